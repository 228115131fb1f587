#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests and benchmarks: a new cluster in a temporary folder, on
# a free loopback port, trust authentication, fsync off (the data is disposable).
#
#   scripts/pg-test-server.sh start DIR   # prints the connection URL on its last line
#   scripts/pg-test-server.sh stop DIR
#
# initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user (Debian's
# postgresql package creates it). Installs Debian's postgresql package first when root and the
# binaries are missing.
set -euo pipefail
cmd=${1:?usage: pg-test-server.sh start|stop DIR}
dir=${2:?usage: pg-test-server.sh start|stop DIR}

bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done
if [ -z "$bindir" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir=$d; done
fi
[ -n "$bindir" ] || { echo "pg-test-server: PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    # The cluster lives in a folder of its owner's own making: as root, DIR may sit under a
    # private temporary folder that the postgres user cannot enter.
    data=$(as_owner mktemp -d /tmp/phylolm-pg.XXXXXX)
    echo "$data" >"$dir/cluster"
    port=$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    as_owner "$bindir/initdb" -D "$data/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bindir/pg_ctl" -D "$data/data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >&2 || { cat "$data/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -f "$dir/cluster" ] || exit 0
    data=$(cat "$dir/cluster")
    as_owner "$bindir/pg_ctl" -D "$data/data" -m fast -w stop >&2 || true
    rm -rf "$data" "$dir/cluster"
    ;;
  *)
    echo "usage: pg-test-server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
