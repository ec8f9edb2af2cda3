#!/usr/bin/env bash
# HTTP soak (docs/PERFORMANCE.md, "Soak"): `passline serve` on a fresh SQLite database holding
# the demo year (passline demo), MINUTES of mixed traffic from bench/http/soak.py (create +
# decide, decisions pages, compliance, the report, receipts, /healthz, bad requests), the
# server's VmRSS sampled every 3 s. Passes when no response is 5xx and the RSS at the end is
# within 10% of the RSS at 10% of the run; exits 1 otherwise. Not run in CI.
#   bench/http/soak.sh [BUILD_DIR] [MINUTES]      (defaults: build, 20)
# Environment: KEEP=1 keeps the work directory (database, access log, RSS samples); WRAP= a
# command the server runs under (e.g. WRAP='heaptrack -o /tmp/soak'; RSS is then the wrapper's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
minutes="${2:-20}"
passline="$build/adapters/cli/passline"
work=$(mktemp -d /tmp/passline-soak.XXXXXX)
db="sqlite:$work/soak.db"
pid=""
cleanup() {
  # Under WRAP the server is the wrapper's child: stop it first, then the wrapper.
  [[ -n $pid ]] && { kill $(pgrep -P "$pid") 2>/dev/null || true; kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true; }
  if [[ ${KEEP:-0} == 1 ]]; then echo "soak: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }

"$passline" db init --db "$db" >/dev/null
"$passline" demo --db "$db" --key "$work/log.key" >/dev/null 2>"$work/demo.err"
# Recruiter tokens of three demo agencies with recruitments in 2018, an auditor, and SOAK's.
mapfile -t codes < <(python3 -c 'import sqlite3, sys
for (c,) in sqlite3.connect(sys.argv[1]).execute(
    "SELECT agency FROM recruitments WHERE year = 2018 AND state = ? GROUP BY agency "
    "ORDER BY count(*) DESC, agency LIMIT 3", ("decided",)):
    print(c)' "$work/soak.db")
((${#codes[@]})) || { echo "soak: no demo agencies found" >&2; exit 2; }
{
  echo '{"soak": "'"$("$passline" token create --role recruiter --agency SOAK --db "$db" | tail -n 1)"'",'
  echo ' "auditor": "'"$("$passline" token create --role auditor --db "$db" | tail -n 1)"'",'
  echo ' "agencies": {'
  sep=""
  for c in "${codes[@]}"; do
    printf '%s  "%s": "%s"\n' "$sep" "$c" "$("$passline" token create --role recruiter --agency "$c" --db "$db" | tail -n 1)"
    sep=","
  done
  echo '}}'
} > "$work/tokens.json"

port=$(free_port)
${WRAP:-} "$passline" serve --db "$db" --port "$port" --key "$work/log.key" --access-log "$work/access.log" \
  2>"$work/serve.err" &
pid=$!
wait_port "$port"
echo "soak: passline serve (pid $pid) on port $port, ${minutes} min, agencies ${codes[*]}"
python3 "$root/bench/http/soak.py" "$port" "$pid" "$((minutes * 60))" "$work/tokens.json"
