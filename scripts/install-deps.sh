#!/usr/bin/env bash
# Installs the Debian packages Countersign needs, only those missing, quietly. Idempotent:
# a machine that has everything runs no apt at all.
set -euo pipefail

packages=(
  libfcgi-dev libsqlite3-dev libssl-dev libargon2-dev libcurl4-openssl-dev
  libphonenumber-dev libpwquality-dev cracklib-runtime libpq-dev
  nginx-light python3 python3-pip
)
case "${1:-}" in
  --test) packages+=(chromium chromium-driver sqlite3 curl spawn-fcgi postgresql apache2 libapache2-mod-fcgid wrk systemd) ;;
  --bench) packages+=(wrk curl valgrind postgresql) ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nginx-light, nginx-core and nginx-full all provide a working nginx binary.
if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v nginx >/dev/null; then
  missing=("${missing[@]/nginx-light}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))

if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # Packages with a service (nginx, apache2) must not start it: the tests run their own, on
  # their own ports. policy-rc.d answering 101 tells invoke-rc.d not to start anything.
  policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy"
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [[ -z "$policy" ]] || $sudo rm -f "$policy"
fi

if [[ "${1:-}" == "--test" || "${1:-}" == "--bench" ]]; then
  python3 -c 'import pytest, requests, psycopg' 2>/dev/null || python3 -m pip install -q pytest requests 'psycopg[binary]'
fi
# nginx from Debian starts itself as a service on install; ours run on their own ports.
exit 0
