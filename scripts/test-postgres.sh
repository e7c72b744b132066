#!/usr/bin/env bash
# Runs a command with a private PostgreSQL server for the tests: a new cluster in a temporary
# folder, on a free loopback port and a unix socket in that folder, run as the `postgres`
# system user (PostgreSQL refuses to run as root), stopped (fast shutdown) and removed when
# the command ends, whether it passed or failed. The command gets
# COUNTERSIGN_TEST_POSTGRES_URL, a libpq key/value string for a superuser connection.
#
#   scripts/test-postgres.sh swift test --filter StorageTests
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "test-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

run_as_postgres=()
if [[ $(id -u) -eq 0 ]]; then run_as_postgres=(runuser -u postgres --); fi

dir=$(mktemp -d /tmp/countersign-pg.XXXXXX)
chmod 755 "$dir"
[[ ${#run_as_postgres[@]} -gt 0 ]] && chown postgres:postgres "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

pid=""
cleanup() {
  # The server's own pid (runuser does not pass signals on): SIGINT is its fast shutdown.
  local server
  server=$(head -1 "$dir/data/postmaster.pid" 2>/dev/null || true)
  for p in $server $pid; do kill -INT "$p" 2>/dev/null || true; done
  for _ in $(seq 1 100); do
    alive=0
    for p in $server $pid; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for p in $server $pid; do kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${run_as_postgres[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${run_as_postgres[@]}" "$bin/postgres" -D "$dir/data" -k "$dir" -p "$port" -c listen_addresses=127.0.0.1 \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  "$bin/pg_isready" -q -h "$dir" -p "$port" && break
  kill -0 "$pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.1
done
"$bin/pg_isready" -q -h "$dir" -p "$port" || { echo "test-postgres: server did not start" >&2; cat "$dir/server.log" >&2; exit 1; }

export COUNTERSIGN_TEST_POSTGRES_URL="host=$dir port=$port user=postgres dbname=postgres"
export COUNTERSIGN_TEST_POSTGRES_BIN="$bin"
"$@"
