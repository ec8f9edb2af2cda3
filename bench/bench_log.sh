#!/usr/bin/env bash
# bench_log.sh [BUILD_DIR] [N]: the decision log at scale, against `openssl dgst -sha256` in the
# same run.
#   1. bench_storage decides one recruitment of N applicants (default 1,000,000) into a fresh
#      SQLite file: N + 1 log entries appended in the decide's transaction (its rate is printed);
#   2. the log is exported (JSONL) and a checkpoint signed;
#   3. `passline audit verify` (leaf hashes, chain, RFC 6962 root, checkpoint signature) is timed
#      against `openssl dgst -sha256` over the same file, best of 3 each.
set -euo pipefail
build=${1:-build}
n=${2:-1000000}
cli="$build/adapters/cli/passline"
work=$(mktemp -d /tmp/passline-bench-log.XXXXXX)
trap 'rm -rf "$work"' EXIT
db="sqlite:$work/log.db"

"$build/bench/bench_storage" "$n" --db "$db" | grep -E "bench_storage|Store::decide"
"$cli" keys init --key "$work/k" >/dev/null
"$cli" audit checkpoint --key "$work/k" --db "$db" >"$work/cp.txt"
"$cli" audit export --out "$work/log.jsonl" --db "$db" 2>/dev/null

best() {  # best wall time of 3 runs of "$@", in seconds
  local b=
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null
    t1=$(date +%s.%N)
    b=$(echo "$t1 - $t0" | bc -l | awk -v b="$b" '{ if (b == "" || $1 < b) print $1; else print b }')
  done
  echo "$b"
}
size=$(stat -c %s "$work/log.jsonl")
entries=$(wc -l <"$work/log.jsonl")
verify=$(best "$cli" audit verify "$work/log.jsonl" --checkpoint "$work/cp.txt" --pubkey "$work/k.pub")
dgst=$(best openssl dgst -sha256 "$work/log.jsonl")
"$cli" audit verify "$work/log.jsonl" --checkpoint "$work/cp.txt" --pubkey "$work/k.pub" | cut -c1-90
printf 'log of %d entries, %d MB\n' "$entries" $((size / 1000000))
printf '  passline audit verify   %.3f s\n' "$verify"
printf '  openssl dgst -sha256    %.3f s (reference)\n' "$dgst"
printf '  ratio                   %.2fx (goal <= 3x)\n' "$(echo "$verify / $dgst" | bc -l)"
