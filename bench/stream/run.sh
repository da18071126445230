#!/usr/bin/env bash
# Streaming and scale-out benchmark (issue 9, targets: Spark local[2] >= 80%
# of dyad alone; one streaming dyad process <= 300 MB peak RSS on 1 GB).
#
#   bench/stream/run.sh [SMALL_PAGES=500] [LARGE_PAGES=2500] [FILES=4] [BIG_BYTES=1000000000]
#
# 1. Throughput at two input sizes: FILES WARC files (gzip per record) of
#    SMALL_PAGES, then of LARGE_PAGES generated news pages each. For each
#    size, `dyad code --warc-paths-from-stdin --threads 2` alone, then the
#    Spark job (jobs/spark/run-local.sh, local[2], 2 partitions: two dyad
#    processes of one thread each) on the same manifest. Prints per run:
#    records, wall seconds (Spark: the whole job, JVM start-up included, and
#    the part from the pipe to both tables written), CPU seconds, load
#    average. Then, per engine, the whole-job rate on the large input and
#    the marginal rate (slope between the two sizes: what a longer job adds
#    per record, fixed start-up cancelled out), and the Spark/alone ratio of
#    each.
# 2. Memory: one WARC of BIG_BYTES (uncompressed .warc) through one
#    streaming `dyad code --warc-paths-from-stdin --format jsonl` process
#    (output to a file); prints its peak RSS, records and time. BIG_BYTES=0
#    skips it.
#
# Generated inputs go to $BENCH_DIR (default $CARGO_TARGET_DIR/bench-stream)
# and are reused by later runs; nothing is committed. Run it on a quiet
# machine: the figures are wall-clock rates.
set -euo pipefail
cd "$(dirname "$0")/../.."
SMALL="${1:-500}"
LARGE="${2:-2500}"
FILES="${3:-4}"
BIG="${4:-1000000000}"
TARGET="${CARGO_TARGET_DIR:-target}"
export DYAD_BIN="${DYAD_BIN:-$TARGET/release/dyad}"
[ -x "$DYAD_BIN" ] || cargo build --release -p dyad
DIR="${BENCH_DIR:-$TARGET/bench-stream}"
mkdir -p "$DIR"
DIR="$(realpath "$DIR")"
echo "dyad: $DYAD_BIN; cores: $(nproc); $(uptime)"

# Exit status, wall seconds, CPU seconds (user + system) and peak RSS (MB)
# of a command, from the kernel's accounting of the waited-for child.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
out = open(sys.argv[2], "wb") if sys.argv[2] != "-" else subprocess.DEVNULL
t = time.time()
p = subprocess.run(sys.argv[3:], stdin=open(sys.argv[1], "rb"), stdout=out)
dt = time.time() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%d %.2f %.2f %.0f" % (p.returncode, dt, r.ru_utime + r.ru_stime, r.ru_maxrss / 1024))
PY
}
load() { cut -d' ' -f1 /proc/loadavg; }

RESULTS="$DIR/results.txt"
: > "$RESULTS"
for PAGES in "$SMALL" "$LARGE"; do
  echo "== $FILES files x $PAGES pages"
  MANIFEST="$DIR/manifest-$FILES-$PAGES.txt"
  : > "$MANIFEST"
  for i in $(seq 1 "$FILES"); do
    f="$DIR/pages-$PAGES-$i.warc.gz"
    [ -f "$f" ] || python3 bench/stream/make_warc.py "$f" --records "$PAGES" --gzip --seed "$i" > /dev/null
    echo "$f" >> "$MANIFEST"
  done

  l0=$(load)
  read -r rc secs cpu rss < <(measure "$MANIFEST" "$DIR/alone.jsonl" "$DYAD_BIN" code --warc-paths-from-stdin --format jsonl --threads 2)
  [ "$rc" -le 1 ] || { echo "dyad failed (exit $rc)"; exit 1; }
  n=$(wc -l < "$DIR/alone.jsonl")
  rm -f "$DIR/alone.jsonl"
  printf "dyad alone (2 threads):  %6d records in %7.1f s wall = %5.1f records/s; CPU %6.1f s; peak RSS %s MB; load %s -> %s\n" \
    "$n" "$secs" "$(python3 -c "print($n / $secs)")" "$cpu" "$rss" "$l0" "$(load)"
  echo "alone $PAGES $n $secs $cpu" >> "$RESULTS"

  l0=$(load)
  t0=$(date +%s.%N)
  SUMMARY="$DIR/spark-summary.json" PARTITIONS=2 jobs/spark/run-local.sh "$MANIFEST" "$DIR/spark-out" > "$DIR/spark.log" 2>&1 \
    || { tail -30 "$DIR/spark.log"; exit 1; }
  t1=$(date +%s.%N)
  python3 - "$DIR/spark-summary.json" "$t0" "$t1" "$PAGES" "$RESULTS" "$l0" "$(load)" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
wall = float(sys.argv[3]) - float(sys.argv[2])
cpu = s.get("cpu_s_jvm", 0) + s.get("cpu_s_children", 0) + s.get("cpu_s_python_driver", 0)
print("Spark local[2] (2 tasks): %6d records in %7.1f s wall = %5.1f records/s; CPU %6.1f s "
      "(dyad %.1f, JVM %.1f, Python driver %.1f); load %s -> %s"
      % (s["documents"], wall, s["documents"] / wall, cpu, s.get("cpu_s_children", 0),
         s.get("cpu_s_jvm", 0), s.get("cpu_s_python_driver", 0), sys.argv[6], sys.argv[7]))
print("  of which: session start %.1f s, pipe + documents table %.1f s, events table %.1f s, %d events"
      % (s["session_seconds"], s["documents_seconds"], s["events_seconds"], s["events"]))
with open(sys.argv[5], "a") as f:
    f.write("spark %s %d %.2f %.2f\n" % (sys.argv[4], s["documents"], wall, cpu))
PY
done

python3 - "$RESULTS" <<'PY'
import sys
r = {}
for line in open(sys.argv[1]):
    engine, pages, n, secs, cpu = line.split()
    r.setdefault(engine, []).append((int(n), float(secs), float(cpu)))
(na, ta, ca), (nA, tA, cA) = r["alone"]
(ns, ts, cs), (nS, tS, cS) = r["spark"]
whole_a, whole_s = nA / tA, nS / tS
marg_a, marg_s = (nA - na) / (tA - ta), (nS - ns) / (tS - ts)
print("== summary")
print("whole job, large input:  alone %.1f records/s, Spark %.1f records/s: ratio %.0f%% (target >= 80%%)"
      % (whole_a, whole_s, 100 * whole_s / whole_a))
print("marginal (slope):        alone %.1f records/s, Spark %.1f records/s: ratio %.0f%%"
      % (marg_a, marg_s, 100 * marg_s / marg_a))
print("fixed cost (intercept):  alone %.1f s, Spark %.1f s"
      % (ta - na / marg_a, ts - ns / marg_s))
print("CPU per record (large):  alone %.1f ms, Spark %.1f ms (%.0f%% more)"
      % (1000 * cA / nA, 1000 * cS / nS, 100 * (cS / nS) / (cA / nA) - 100))
PY

if [ "$BIG" -gt 0 ]; then
  echo "== memory: one streaming process on a $((BIG / 1000000)) MB WARC"
  BIGF="$DIR/big-$BIG.warc"
  [ -f "$BIGF" ] || python3 bench/stream/make_warc.py "$BIGF" --bytes "$BIG" --seed 99
  echo "$BIGF" > "$DIR/big-manifest.txt"
  ls -l "$BIGF" | awk '{printf "file: %.0f MB\n", $5/1e6}'
  read -r rc secs cpu rss < <(measure "$DIR/big-manifest.txt" "$DIR/big.jsonl" "$DYAD_BIN" code --warc-paths-from-stdin --format jsonl)
  n=$(wc -l < "$DIR/big.jsonl")
  echo "dyad streaming: exit $rc, $n records in $secs s ($(python3 -c "print('%.1f' % ($n / $secs))") records/s, CPU $cpu s), peak RSS $rss MB (target <= 300 MB)"
  rm -f "$DIR/big.jsonl"
fi
