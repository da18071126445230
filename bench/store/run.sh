#!/usr/bin/env bash
# Store benchmark (issue 7): ingest docs/s on 1 and 2 threads, the store's
# overhead over the pipeline alone, and query latency at >= 100k events.
#
#   bench/store/run.sh            # data from ../shared/data (or $DYAD_DATA)
#   REPEAT=3 bench/store/run.sh   # median of 3 runs per ingest figure
#
# Prints figures only; nothing here asserts timings.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA="${DYAD_DATA:-../shared/data}"
PAGES="$DATA/extract/trafilatura-eval/tests/eval"
REPEAT="${REPEAT:-1}"
TARGET="${CARGO_TARGET_DIR:-target}"
WORK="$(mktemp -d /tmp/dyad-store-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

cargo build --release -q -p dyad -p dyad-store --example query_bench
DYAD="$TARGET/release/dyad"
QB="$TARGET/release/examples/query_bench"

if [ ! -d "$PAGES" ]; then
  echo "store bench: $PAGES is missing (set DYAD_DATA to the shared data folder); ingest figures skipped" >&2
else
  n=$(find "$PAGES" -type f | wc -l)
  echo "== ingest: $n pages from $PAGES, $(nproc) cores, median of $REPEAT"
  # One ingest into a fresh store; prints elapsed seconds (from --json).
  run() { # threads, extra flags...
    local t=$1; shift
    rm -f "$WORK/s.db" "$WORK/s.db-wal" "$WORK/s.db-shm"
    "$DYAD" ingest "$PAGES" --db "$WORK/s.db" --threads "$t" -q --json "$@" | python3 -c 'import json,sys; print(json.load(sys.stdin)["elapsed_s"])' || true
  }
  median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  declare -A T
  for t in 1 2; do
    for mode in store dry; do
      flags=(); [ "$mode" = dry ] && flags=(--dry-run)
      T[$t$mode]=$(for _ in $(seq "$REPEAT"); do run "$t" "${flags[@]}"; done | median)
    done
  done
  run 2 > /dev/null # a full store, then a re-run over it: everything unchanged
  "$DYAD" ingest "$PAGES" --db "$WORK/s.db" -q --json --threads 2 > "$WORK/last.json" || true
  python3 - "$n" "${T[1store]}" "${T[2store]}" "${T[1dry]}" "${T[2dry]}" "$WORK/last.json" <<'PY'
import json, sys
n = int(sys.argv[1]); s1, s2, d1, d2 = map(float, sys.argv[2:6])
print(f"{'':24}{'1 thread':>12}{'2 threads':>12}")
print(f"{'ingest docs/s':24}{n/s1:12.1f}{n/s2:12.1f}")
print(f"{'pipeline alone docs/s':24}{n/d1:12.1f}{n/d2:12.1f}")
print(f"{'store overhead':24}{(s1/d1-1)*100:11.1f}%{(s2/d2-1)*100:11.1f}%   (target <= 15%)")
print(f"speed-up 1 -> 2 threads: ingest {s1/s2:.2f}x, pipeline alone {d1/d2:.2f}x   (target >= 1.8x)")
p = json.load(open(sys.argv[6]))
print(f"re-run over the same store: {p['unchanged']} unchanged of {p['done']} in {p['elapsed_s']:.2f}s")
PY
fi

echo
echo "== query latency"
if [ -d "$PAGES" ]; then "$QB" --db "$WORK/q.db" --pages "$PAGES" --events "${EVENTS:-100000}"; else "$QB" --db "$WORK/q.db" --events "${EVENTS:-100000}"; fi
