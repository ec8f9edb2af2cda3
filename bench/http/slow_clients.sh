#!/usr/bin/env bash
# Slow and idle clients (docs/PERFORMANCE.md, "Slow and idle clients"): `passline serve` on a
# fresh SQLite database, then bench/http/slow_clients.py: p50/p99 of GET /healthz and of an
# authenticated GET with no other client (the same-run reference), then while 1,000 connections
# trickle their headers and 1,000 sit idle.
#   bench/http/slow_clients.sh [BUILD_DIR] [IDLE] [TRICKLE] [REQUESTS]   (build 1000 1000 500)
# Environment: PASSLINE (a passline binary to measure instead, e.g. an older build), NO_CONFIG=1
# (an older build that knows no max_connections_per_peer), TIMEOUT (seconds per request, 30),
# SECONDS_MIN (measure with the crowd at least this long, 15: past the 10 s header deadline).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
passline="${PASSLINE:-$build/adapters/cli/passline}"
work=$(mktemp -d /tmp/passline-bench-slow.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

db="sqlite:$work/bench.db"
"$passline" db init --db "$db" >/dev/null
token=$("$passline" token create --role recruiter --agency BENCH --db "$db" | tail -n 1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Every test connection comes from 127.0.0.1: lift the per-client limit (the default is 256).
if [ -z "${NO_CONFIG:-}" ]; then printf 'max_connections_per_peer = 5000\n'; fi > "$work/serve.properties"
"$passline" serve --db "$db" --port "$port" --config "$work/serve.properties" \
  --access-log "$work/access.log" 2>"$work/serve.err" &
pid=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
echo "passline: $passline; $(nproc) cores"
python3 "$root/bench/http/slow_clients.py" "$port" "$token" --idle "${2:-1000}" \
  --trickle "${3:-1000}" --requests "${4:-500}" --timeout "${TIMEOUT:-30}" --seconds "${SECONDS_MIN:-15}"
