#!/usr/bin/env bash
# HTTP benchmark (docs/PERFORMANCE.md, "HTTP"): wrk against
#   1. bench_http_trivial: a Poco handler answering a fixed small JSON (the reference),
#   2. GET /v1/agencies/BENCH/compliance?year=2023 of `passline serve`,
#   3. create + decide of a 1,000-applicant case (bench/http/create_decide.lua),
# on the same machine in the same run, and prints requests/s, p99 and the ratios.
#   bench/http/run.sh [BUILD_DIR] [SECONDS]      (defaults: build, 10)
# Environment: DB (default: a fresh SQLite file), CONNS (default 64), THREADS (wrk, default 2).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
secs="${2:-10}"
conns="${CONNS:-64}"
wthreads="${THREADS:-2}"
passline="$build/adapters/cli/passline"
trivial="$build/bench/bench_http_trivial"
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d /tmp/passline-bench-http.XXXXXX)
db="${DB:-sqlite:$work/bench.db}"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }

"$passline" db init --db "$db" >/dev/null
token=$("$passline" token create --role recruiter --agency BENCH --db "$db" | tail -n 1)
python3 "$root/bench/http/make_case.py" TEMPLATE-ID 1000 > "$work/case.json"

port=$(free_port)
"$passline" serve --db "$db" --port "$port" --access-log "${ACCESS_LOG:-$work/access.log}" 2>"$work/serve.err" &
pids+=($!)
# The same service with the report cache off: every GET computes the compliance in the database.
printf 'report_cache_ms = 0\n' > "$work/nocache.properties"
nport=$(free_port)
"$passline" serve --db "$db" --port "$nport" --config "$work/nocache.properties" --access-log "${ACCESS_LOG:-$work/access2.log}" 2>"$work/serve2.err" &
pids+=($!)
tport=$(free_port)
"$trivial" "$tport" 64 2>/dev/null &
pids+=($!)
wait_port "$port" && wait_port "$tport" && wait_port "$nport"

# Seed: three decided recruitments of BENCH, so the compliance row has something to count.
for i in 1 2 3; do
  sed "s/TEMPLATE-ID/SEED-$i/g" "$work/case.json" > "$work/seed.json"
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/v1/recruitments" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' --data-binary @"$work/seed.json"
  curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/v1/recruitments/SEED-$i/decide" -H "Authorization: Bearer $token"
done
curl -sf "http://127.0.0.1:$port/v1/agencies/BENCH/compliance?year=2023" -H "Authorization: Bearer $token" >/dev/null

# wrk's "Requests/sec" and the 99% latency line, as "RPS P99".
measure() {
  local out
  out=$(wrk --latency "$@")
  echo "$out" >> "$work/wrk.log"
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out") $(awk '$1 == "99%" {print $2}' <<<"$out")"
}
ms() {  # wrk's latency (850.00us, 1.20ms, 2.01s) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

read -r t_rps t_p99 < <(measure -t"$wthreads" -c"$conns" -d"${secs}s" "http://127.0.0.1:$tport/")
read -r g_rps g_p99 < <(measure -t"$wthreads" -c"$conns" -d"${secs}s" -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/v1/agencies/BENCH/compliance?year=2023")
read -r n_rps n_p99 < <(measure -t"$wthreads" -c"$conns" -d"${secs}s" -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$nport/v1/agencies/BENCH/compliance?year=2023")
read -r c_rps c_p99 < <(BENCH_TOKEN="$token" BENCH_CASE="$work/case.json" measure -t"$wthreads" -c"$wthreads" \
  -d"${secs}s" -s "$root/bench/http/create_decide.lua" "http://127.0.0.1:$port")
if grep -q "unexpected status" "$work/wrk.log"; then grep "unexpected status" "$work/wrk.log" | head -3 >&2; fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "wrk -t$wthreads, ${secs}s each; db $db; $(nproc) cores"
printf '%-44s %12s %10s %8s\n' "target" "requests/s" "p99 ms" "ratio"
printf '%-44s %12s %10s %8s\n' "trivial Poco handler (c=$conns)" "$t_rps" "$(ms "$t_p99")" "1.00"
printf '%-44s %12s %10s %8s\n' "GET compliance (c=$conns)" "$g_rps" "$(ms "$g_p99")" "$(ratio "$g_rps" "$t_rps")"
printf '%-44s %12s %10s %8s\n' "GET compliance, report cache off (c=$conns)" "$n_rps" "$(ms "$n_p99")" "$(ratio "$n_rps" "$t_rps")"
printf '%-44s %12s %10s %8s\n' "create+decide 1,000 applicants (c=$wthreads)" "$c_rps" "$(ms "$c_p99")" "$(ratio "$c_rps" "$t_rps")"
echo "create+decide pairs/s: $(awk -v r="$c_rps" 'BEGIN { printf "%.1f", r / 2 }')"
