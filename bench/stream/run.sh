#!/usr/bin/env bash
# Streaming and scale-out benchmark (issue 9, targets: Spark local[2] >= 80%
# of dyad alone; one streaming dyad process <= 300 MB peak RSS on 1 GB).
#
#   bench/stream/run.sh [PAGES_PER_FILE] [FILES] [BIG_BYTES]
#
# 1. Throughput: FILES WARC files (default 4) of PAGES_PER_FILE generated
#    news pages (default 150) each, gzip per record. Runs
#    `dyad code --warc-paths-from-stdin --threads 2` alone, then the Spark
#    job in local[2] with 2 partitions (two dyad processes, one thread
#    each), same manifest; prints records/s of both and the ratio. Spark's
#    figure is timed inside the job (from the pipe to the Parquet written:
#    what scales); its wall time with JVM start-up is printed beside it.
# 2. Memory: one WARC of BIG_BYTES (default 1 GB, uncompressed .warc)
#    through one streaming `dyad code --warc-paths-from-stdin --format jsonl`
#    process (output to /dev/null); prints its peak RSS, records and time.
#
# Generated inputs go to $BENCH_DIR (default $CARGO_TARGET_DIR/bench-stream)
# and are reused by later runs; nothing is committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
PAGES="${1:-150}"
FILES="${2:-4}"
BIG="${3:-1000000000}"
TARGET="${CARGO_TARGET_DIR:-target}"
export DYAD_BIN="${DYAD_BIN:-$TARGET/release/dyad}"
[ -x "$DYAD_BIN" ] || cargo build --release -p dyad
DIR="${BENCH_DIR:-$TARGET/bench-stream}"
mkdir -p "$DIR"
DIR="$(realpath "$DIR")"

# Peak RSS (MB) and seconds of a command, from the kernel's accounting.
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
out = open(sys.argv[2], "wb") if sys.argv[2] != "-" else subprocess.DEVNULL
t = time.time()
p = subprocess.run(sys.argv[3:], stdin=open(sys.argv[1], "rb"), stdout=out)
dt = time.time() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print("%d %.2f %.0f" % (p.returncode, dt, rss))
PY
}

echo "== throughput: $FILES files x $PAGES pages"
MANIFEST="$DIR/manifest-$FILES-$PAGES.txt"
: > "$MANIFEST"
for i in $(seq 1 "$FILES"); do
  f="$DIR/pages-$PAGES-$i.warc.gz"
  [ -f "$f" ] || python3 bench/stream/make_warc.py "$f" --records "$PAGES" --gzip --seed "$i" > /dev/null
  echo "$f" >> "$MANIFEST"
done
read -r rc secs rss < <(measure "$MANIFEST" "$DIR/alone.jsonl" "$DYAD_BIN" code --warc-paths-from-stdin --format jsonl --threads 2)
[ "$rc" -le 1 ] || { echo "dyad failed (exit $rc)"; exit 1; }
n=$(wc -l < "$DIR/alone.jsonl")
alone=$(python3 -c "print('%.1f' % ($n / $secs))")
echo "dyad alone (2 threads):     $n records in $secs s = $alone records/s (peak RSS $rss MB)"

t0=$(date +%s.%N)
SUMMARY="$DIR/spark-summary.json" PARTITIONS=2 jobs/spark/run-local.sh "$MANIFEST" "$DIR/spark-out" > "$DIR/spark.log" 2>&1 \
  || { tail -30 "$DIR/spark.log"; exit 1; }
t1=$(date +%s.%N)
python3 - "$DIR/spark-summary.json" "$alone" "$t0" "$t1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
alone = float(sys.argv[2])
wall = float(sys.argv[4]) - float(sys.argv[3])
print("Spark local[2] (2 tasks):   %d records in %.1f s = %.1f records/s (wall with JVM start: %.1f s = %.1f records/s)"
      % (s["documents"], s["seconds"], s["records_per_s"], wall, s["documents"] / wall))
print("ratio Spark/alone:          %.0f%% in the job, %.0f%% wall (target >= 80%%)"
      % (100 * s["records_per_s"] / alone, 100 * s["documents"] / wall / alone))
PY

echo "== memory: one streaming process on a $((BIG / 1000000)) MB WARC"
BIGF="$DIR/big-$BIG.warc"
[ -f "$BIGF" ] || python3 bench/stream/make_warc.py "$BIGF" --bytes "$BIG" --seed 99
echo "$BIGF" > "$DIR/big-manifest.txt"
ls -l "$BIGF" | awk '{printf "file: %.0f MB\n", $5/1e6}'
read -r rc secs rss < <(measure "$DIR/big-manifest.txt" "$DIR/big.jsonl" "$DYAD_BIN" code --warc-paths-from-stdin --format jsonl)
n=$(wc -l < "$DIR/big.jsonl")
echo "dyad streaming: exit $rc, $n records in $secs s ($(python3 -c "print('%.1f' % ($n / $secs))") records/s), peak RSS $rss MB (target <= 300 MB)"
rm -f "$DIR/big.jsonl"
