#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, started for real with initdb and pg_ctl.
#
#   scripts/pg-test-server.sh start STATE_DIR   initdb in a new temp dir, start on a free loopback
#                                               port, write the server's URL to STATE_DIR/url
#   scripts/pg-test-server.sh stop STATE_DIR    stop it and delete its data
#   scripts/pg-test-server.sh crash STATE_DIR   stop it with `pg_ctl -m immediate` (no shutdown
#                                               checkpoint: as a power cut), keeping its data
#   scripts/pg-test-server.sh restart STATE_DIR start it again on the same port (crash recovery)
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user that
# Debian's package creates; otherwise as the current user. Authentication is `trust` on
# 127.0.0.1 only; the superuser is `passline`.
set -euo pipefail

cmd=${1:?usage: pg-test-server.sh start|stop|crash|restart STATE_DIR}
state=${2:?usage: pg-test-server.sh start|stop STATE_DIR}

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$pgbin" || ! -x "$pgbin/pg_ctl" ]]; then
  echo "pg-test-server: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)" >&2
  exit 1
fi

as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$state"
    if [[ -f "$state/datadir" ]]; then "$0" stop "$state" || true; fi
    data=$(mktemp -d /tmp/passline-pg.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres: "$data"
    echo "$data" > "$state/datadir"
    as_server_user "$pgbin/initdb" -D "$data/db" -U passline --auth=trust -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 \
      || { cat "$state/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5 6 7 8; do
      port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
      if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then continue; fi  # taken
      if as_server_user "$pgbin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
           -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c max_connections=200 -c fsync=off" start >/dev/null; then
        echo "postgresql://passline@127.0.0.1:$port/postgres" > "$state/url"
        echo "$port" > "$state/port"
        echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $data"
        exit 0
      fi
    done
    cat "$data/server.log" >&2 || true
    echo "pg-test-server: could not start PostgreSQL" >&2
    exit 1
    ;;
  stop)
    [[ -f "$state/datadir" ]] || exit 0
    data=$(cat "$state/datadir")
    as_server_user "$pgbin/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$data" "$state/datadir" "$state/url" "$state/port"
    ;;
  crash)
    data=$(cat "$state/datadir")
    as_server_user "$pgbin/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null
    ;;
  restart)
    data=$(cat "$state/datadir")
    port=$(cat "$state/port")
    as_server_user "$pgbin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $data -c max_connections=200 -c fsync=off" start >/dev/null \
      || { tail -n 20 "$data/server.log" >&2; exit 1; }
    ;;
  *)
    echo "usage: pg-test-server.sh start|stop|crash|restart STATE_DIR" >&2
    exit 64
    ;;
esac
