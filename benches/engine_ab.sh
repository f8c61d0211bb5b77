#!/usr/bin/env bash
# A/B runs of engine_profile binaries (copies of target/release/examples/engine_profile from
# different builds): each is run in turn, ROUNDS times, and its min and median µs per query
# printed. On a noisy 2-vCPU VM, differences under ~5% between medians are noise.
#
#   benches/engine_ab.sh N REPS ROUNDS BIN...        e.g. benches/engine_ab.sh 100000 20 4 /tmp/a /tmp/b
#   MODE=scan benches/engine_ab.sh 100000 3 3 /tmp/a /tmp/b
set -euo pipefail
N=$1; REPS=$2; ROUNDS=$3; shift 3
MODE="${MODE:-must}"
declare -A res
for _ in $(seq "$ROUNDS"); do
  for b in "$@"; do
    v=$("$b" "$MODE" "$N" "$REPS" | sed 's/.*: \([0-9.]*\) µs.*/\1/')
    res[$b]="${res[$b]:-} $v"
  done
done
for b in "$@"; do
  printf '%s: %s\n' "$b" "$(echo ${res[$b]} | tr ' ' '\n' | sort -n |
    awk '{a[NR]=$1} END {printf "min %.1f med %.1f (n=%d)", a[1], a[int((NR+1)/2)], NR}')"
done
