#!/usr/bin/env bash
# `make run`: a complete local Countersign — nginx on 127.0.0.1:8080 serving the stylesheet and
# passing /Account/ to a pool of workers on a unix socket, SQLite in ./run, emails and SMS codes
# printed here. Ctrl-C stops everything this script started.
set -euo pipefail
bin=$(realpath "$1")
root=$(pwd)
run="$root/run"
port=${PORT:-8080}
mkdir -p "$run/nginx/logs" "$run/nginx/tmp"

if [[ ! -f "$run/countersign.conf" ]]; then
  secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 48)
  sed -e "s|^base_url = .*|base_url = http://127.0.0.1:$port|" \
      -e "s|^listen = .*|listen = unix:countersign.sock|" \
      -e "s|^secure = .*|secure = false|" \
      -e "s|^secret = .*|secret = $secret|" \
      "$root/conf/countersign.conf" > "$run/countersign.conf"
fi

user_line=""
[[ $(id -u) -eq 0 ]] && user_line="user root root;"
sed -e "s|@USER@|$user_line|" -e "s|@PORT@|$port|g" -e "s|@RUN@|$run|g" -e "s|@WWW@|$root/www|g" \
    "$root/conf/nginx-dev.conf.in" > "$run/nginx/nginx.conf"

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$bin" migrate --config "$run/countersign.conf" >/dev/null
"$bin" serve --config "$run/countersign.conf" &
pids+=($!)
for _ in $(seq 50); do [[ -S "$run/countersign.sock" ]] && break; sleep 0.1; done
nginx -p "$run/nginx" -c "$run/nginx/nginx.conf" -g "daemon off;" &
pids+=($!)

cat <<MSG

  Countersign is running.
    open   http://127.0.0.1:$port/Account/Register
    data   $run/countersign.db
    config $run/countersign.conf
  Confirmation emails and SMS codes are printed below. Ctrl-C stops everything.

MSG
wait -n "${pids[@]}" || true
