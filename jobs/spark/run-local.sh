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
#   SPARK_DRIVER_JAVA_OPTS  driver JVM flags (default: serial GC, C1 only)
#   SPARK_CDS      1 (default): share Spark's classes through an AppCDS archive
#                  in the venv, written by the first run; 0: off
#   SPARK_DRIVER_MEMORY     driver (= executor in local mode) heap (default 2g)
#   JOB_ARGS       extra dyad_spark.py arguments, split at spaces
#                  (e.g. "--parquet-option compression=zstd")
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

# Local mode, loopback only, no web UI, quiet logs. The executors run no
# Python (the pipe and the parsing are Spark SQL), so PYSPARK_PYTHON is only
# a fallback; the test sets it to a path that does not exist to prove that.
export SPARK_LOCAL_IP=127.0.0.1
export PYSPARK_PYTHON="${PYSPARK_PYTHON:-$VENV/bin/python}"
export PYSPARK_DRIVER_PYTHON="$VENV/bin/python"

# Driver JVM flags for a short job on few cores: serial GC (no parallel GC
# threads competing with dyad), C1 only (the JVM does little per record, so
# C2's compile time does not pay back on jobs of thousands of records).
JAVA_OPTS="${SPARK_DRIVER_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
# Class data sharing for Spark's own classes (AppCDS): the first run writes
# an archive of the classes it loaded (under the target folder, ~130 MB);
# later runs map it instead of loading and verifying them from jars (about
# 7 CPU seconds and a third of the JVM's start-up saved per run). The
# archive is tied to the JDK and the pyspark version (SPARK_CDS=0: off).
CDS_TMP=""
if [ "${SPARK_CDS:-1}" = "1" ]; then
  JAVA_HOME_REAL="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  JVM_ID="$(echo "$JAVA_HOME_REAL $(stat -c %s-%Y "$JAVA_HOME_REAL/lib/modules" 2>/dev/null)" | cksum | cut -d' ' -f1)"
  mkdir -p "$TARGET"
  CDS="$(realpath "$TARGET")/spark-cds-$PYSPARK_VERSION-$JVM_ID.jsa"
  if [ -s "$CDS" ]; then
    JAVA_OPTS="$JAVA_OPTS -XX:SharedArchiveFile=$CDS"
  else
    CDS_TMP="$CDS.$$.tmp"
    JAVA_OPTS="$JAVA_OPTS -XX:ArchiveClassesAtExit=$CDS_TMP"
  fi
  JAVA_OPTS="$JAVA_OPTS -Xlog:cds=off -Xlog:cds+dynamic=off"
fi
export PYSPARK_SUBMIT_ARGS="--conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
 --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
 --driver-memory ${SPARK_DRIVER_MEMORY:-2g} --driver-java-options '$JAVA_OPTS -Dlog4j2.level=warn' pyspark-shell"
ARGS=(--manifest "$MANIFEST" --out "$OUTDIR" --dyad "$DYAD"
      --master "${SPARK_MASTER:-local[2]}" --partitions "${PARTITIONS:-2}")
if [ -n "${SUMMARY:-}" ]; then ARGS+=(--summary "$SUMMARY"); fi
if [ -n "${JOB_ARGS:-}" ]; then read -ra EXTRA <<< "$JOB_ARGS"; ARGS+=("${EXTRA[@]}"); fi
rc=0
"$VENV/bin/python" jobs/spark/dyad_spark.py "${ARGS[@]}" || rc=$?
# The JVM writes the archive as it exits; a run at the same time writes its
# own, and the rename makes whichever lands complete.
if [ -n "$CDS_TMP" ]; then
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$CDS_TMP" ] && break; sleep 1; done
  if [ "$rc" -eq 0 ] && [ -s "$CDS_TMP" ]; then mv -f "$CDS_TMP" "$CDS"; else rm -f "$CDS_TMP"; fi
fi
exit "$rc"
