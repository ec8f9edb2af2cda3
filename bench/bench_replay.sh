#!/usr/bin/env bash
# bench_replay.sh [BUILD_DIR] [N | demo]: `passline audit replay` at scale (issue 13: at most 5 µs per
# log entry), with `audit verify` and `openssl dgst -sha256` of the same export in the same run.
#   1. bench_storage decides one quota-case/1 recruitment of N applicants (default 100,000) into
#      a fresh SQLite file: N + 1 log entries; or, with `demo`, `passline demo` decides the demo
#      year (208 quota-case/2 recruitments of 115 agencies, about 125,000 entries);
#   2. the log is exported (JSONL) and a checkpoint signed;
#   3. `passline audit replay` (read every entry back, rebuild the case, decide it again,
#      regenerate every entry and compare byte for byte), `passline audit verify` (leaf hashes,
#      chain, RFC 6962 root, checkpoint signature) and `openssl dgst -sha256` over the same file
#      are timed, best of 3 each (wall time; the user + system CPU time of that run beside it:
#      on a shared machine the wall time includes waiting for a core).
# PASSLINE_REPLAY_BEFORE=/path/to/passline also times that binary's replay and verify on the same
# file (an older build, for before/after figures).
set -euo pipefail
build=${1:-build}
n=${2:-100000}
cli="$build/adapters/cli/passline"
work=$(mktemp -d /tmp/passline-bench-replay.XXXXXX)
trap 'rm -rf "$work"' EXIT
db="sqlite:$work/log.db"

if [ "$n" = demo ]; then
  "$cli" demo --db "$db" --key "$work/demo.key" >/dev/null 2>&1
else
  "$build/bench/bench_storage" "$n" --db "$db" | grep -E "Store::decide"
fi
"$cli" keys init --key "$work/k" >/dev/null
"$cli" audit checkpoint --key "$work/k" --db "$db" >"$work/cp.txt"
# passline-log/3 (issue 13): the applicants' inputs are in the openings, exported beside the log.
"$cli" audit export --out "$work/log.jsonl" --openings "$work/openings.jsonl" --db "$db" 2>/dev/null
rm -f "$work/log.db"

best() {  # "WALL CPU" of the fastest of 3 runs of "$@", in seconds (CPU = user + system)
  local b= c=
  for _ in 1 2 3; do
    local t0 t1 wall user sys
    t0=$(date +%s.%N)
    /usr/bin/time -o "$work/time" -f '%U %S' "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    read -r user sys <"$work/time"
    wall=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$b" ] || [ "$(echo "$wall < $b" | bc -l)" = 1 ]; then
      b=$wall
      c=$(echo "$user + $sys" | bc -l)
    fi
  done
  echo "$b $c"
}
entries=$(wc -l <"$work/log.jsonl")
size=$(stat -c %s "$work/log.jsonl")
"$cli" audit replay "$work/log.jsonl" --openings "$work/openings.jsonl"
read -r replay replay_cpu < <(best "$cli" audit replay "$work/log.jsonl" --openings "$work/openings.jsonl")
read -r verify verify_cpu < <(best "$cli" audit verify "$work/log.jsonl" --checkpoint "$work/cp.txt" \
  --pubkey "$work/k.pub")
read -r dgst dgst_cpu < <(best openssl dgst -sha256 "$work/log.jsonl")
us() { echo "$1 * 1000000 / $entries" | bc -l; }
printf 'log of %d entries, %d MB; load average %s\n' "$entries" $((size / 1000000)) \
  "$(cut -d' ' -f1 /proc/loadavg)"
printf '  passline audit replay   %7.3f s (cpu %.3f s)  %6.2f us/entry (goal <= 5)  %6.2fx openssl\n' \
  "$replay" "$replay_cpu" "$(us "$replay")" "$(echo "$replay / $dgst" | bc -l)"
printf '  passline audit verify   %7.3f s (cpu %.3f s)  %6.2f us/entry              %6.2fx openssl (goal <= 3x)\n' \
  "$verify" "$verify_cpu" "$(us "$verify")" "$(echo "$verify / $dgst" | bc -l)"
printf '  openssl dgst -sha256    %7.3f s (cpu %.3f s)  %6.2f us/entry (reference)\n' \
  "$dgst" "$dgst_cpu" "$(us "$dgst")"
if [ -n "${PASSLINE_REPLAY_BEFORE:-}" ]; then
  read -r before before_cpu < <(best "$PASSLINE_REPLAY_BEFORE" audit replay "$work/log.jsonl" \
    --openings "$work/openings.jsonl")
  printf '  replay, %s %7.3f s (cpu %.3f s)  %6.2f us/entry  %6.2fx openssl; now %.1fx faster\n' \
    "$PASSLINE_REPLAY_BEFORE" "$before" "$before_cpu" "$(us "$before")" \
    "$(echo "$before / $dgst" | bc -l)" "$(echo "$before / $replay" | bc -l)"
  read -r bverify bverify_cpu < <(best "$PASSLINE_REPLAY_BEFORE" audit verify "$work/log.jsonl" \
    --checkpoint "$work/cp.txt" --pubkey "$work/k.pub")
  printf '  verify, %s %7.3f s (cpu %.3f s)  %6.2f us/entry  %6.2fx openssl\n' \
    "$PASSLINE_REPLAY_BEFORE" "$bverify" "$bverify_cpu" "$(us "$bverify")" \
    "$(echo "$bverify / $dgst" | bc -l)"
fi
