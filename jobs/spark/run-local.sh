#!/usr/bin/env bash
# Runs the dyad Spark job in local mode: MANIFEST (one WARC path per line)
# in, OUTDIR/documents and OUTDIR/events (Parquet) out.
#
#   jobs/spark/run-local.sh MANIFEST OUTDIR
#
# Environment:
#   SPARK_MASTER   Spark master (default local[2])
#   PARTITIONS     minPartitions of the manifest (default 2)
#   DYAD_BIN       dyad binary (default $CARGO_TARGET_DIR/release/dyad, built if missing)
#   SPARK_VENV     venv with the pinned pyspark (default $CARGO_TARGET_DIR/spark-venv;
#                  created and installed on first use)
#   SUMMARY        write the job's JSON summary (counts, seconds) to this file
# Needs python3 (3.9+) and Java 17 on PATH.
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 MANIFEST OUTDIR" >&2
  exit 2
fi
MANIFEST="$(realpath "$1")"
OUTDIR="$(realpath -m "$2")"
cd "$(dirname "$0")/../.."

PYSPARK_VERSION="3.5.5"
TARGET="${CARGO_TARGET_DIR:-target}"
DYAD="${DYAD_BIN:-$TARGET/release/dyad}"
if [ ! -x "$DYAD" ]; then
  echo "run-local: building $DYAD" >&2
  cargo build --release -p dyad >&2
fi
VENV="${SPARK_VENV:-$TARGET/spark-venv}"
if ! "$VENV/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  echo "run-local: installing pyspark==$PYSPARK_VERSION into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION" >&2
fi
if ! command -v java >/dev/null 2>&1; then
  echo "run-local: java not found (Spark needs Java 17)" >&2
  exit 2
fi

# Local mode, loopback only, no web UI, quiet logs; the driver's python is
# the venv's, and so are the workers'.
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON="$VENV/bin/python"
export PYSPARK_DRIVER_PYTHON="$VENV/bin/python"
export PYSPARK_SUBMIT_ARGS="--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
 --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
 --driver-java-options -Dlog4j2.level=warn pyspark-shell"
ARGS=(--manifest "$MANIFEST" --out "$OUTDIR" --dyad "$DYAD"
      --master "${SPARK_MASTER:-local[2]}" --partitions "${PARTITIONS:-2}")
if [ -n "${SUMMARY:-}" ]; then ARGS+=(--summary "$SUMMARY"); fi
exec "$VENV/bin/python" jobs/spark/dyad_spark.py "${ARGS[@]}"
