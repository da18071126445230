"""dyad on Apache Spark: WARC files in, Parquet tables `documents` and `events` out.

Common Crawl style: a manifest lists one WARC path per line; Spark splits the
manifest into partitions and pipes each partition's paths through one
`dyad code --warc-paths-from-stdin --format spark` process, which streams
every HTML response record through the full pipeline and prints one line per
document: its flat `documents` columns as a small JSON object, a tab, and
the full record. The flat object is parsed against an explicit schema, the
record is kept verbatim, and both tables are written as Parquet.

Everything after the driver runs in the JVM: the pipe is Spark SQL's
`SELECT TRANSFORM(path) USING '<dyad command>' AS (doc STRING, record_json
STRING)` (which splits each line at the tab for free) and the
parsing is `from_json` with an explicit schema, so no Python worker starts
on the executors (PySpark's `RDD.pipe` and per-record Python would start one
per task and move every record through it). dyad runs once per record: the
`documents` table keeps the whole record (`record_json`), and `events` is
derived from that Parquet table rather than by piping a second time.

    python jobs/spark/dyad_spark.py --manifest paths.txt --out OUTDIR \
        --dyad target/release/dyad --master 'local[2]'

On a cluster, ship the binary with `spark-submit --files /path/to/dyad` and
pass `--dyad dyad` (see README.md). WARC paths must be readable by the
executors (local disk, NFS, an HDFS/S3 mount).
"""

import argparse
import json
import os
import shlex
import sys
import time

from pyspark.sql import Observation, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
)

# The part of a dyad record (`dyad code --format jsonl`, one per line) that
# the tables use. Fields not named here are skipped by the JSON parser; the
# whole line is kept in `documents.record_json`. A line that is not JSON
# lands in `_corrupt_record` (it should never happen).
SPAN = StructType([StructField("start", IntegerType()), StructField("end", IntegerType())])
ACTOR = StructType([StructField(n, StringType()) for n in ("code", "text", "name")])
PLACE = StructType(
    [
        StructField("name", StringType()),
        StructField("geonameid", LongType()),
        StructField("country", StringType()),
        StructField("lat", DoubleType()),
        StructField("lon", DoubleType()),
    ]
)
# Only counted: the element type just has to accept an object.
COUNTED = ArrayType(StructType([StructField("start", LongType())]))
RECORD = StructType(
    [
        StructField("id", StringType()),
        StructField(
            "source",
            StructType(
                [
                    StructField("path", StringType()),
                    StructField("url", StringType()),
                    StructField("warc_record_id", StringType()),
                    StructField("line", LongType()),
                ]
            ),
        ),
        StructField(
            "article",
            StructType(
                [
                    StructField(n, StringType())
                    for n in ("title", "standfirst", "byline", "date", "language", "site", "url", "text")
                ]
            ),
        ),
        StructField("error", StructType([StructField(n, StringType()) for n in ("stage", "kind", "message")])),
        StructField("sentences", COUNTED),
        StructField("entities", COUNTED),
        StructField("quotes", COUNTED),
        StructField("numbers", COUNTED),
        StructField("places", COUNTED),
        StructField(
            "events",
            ArrayType(
                StructType(
                    [
                        StructField("plover", StringType()),
                        StructField("mode", StringType()),
                        StructField("cameo", StringType()),
                        StructField("source", ACTOR),
                        StructField("target", ACTOR),
                        StructField("date", StringType()),
                        StructField("place", PLACE),
                        StructField("flags", ArrayType(StringType())),
                        StructField("evidence", ArrayType(SPAN)),
                        StructField("rule", StringType()),
                        StructField("field", StringType()),
                    ]
                )
            ),
        ),
        StructField("_corrupt_record", StringType()),
    ]
)

# One coded event, as the `events` column of `documents` holds it.
EVENT = StructType(
    [
        StructField("plover", StringType()),
        StructField("mode", StringType()),
        StructField("cameo", StringType()),
        StructField("source_code", StringType()),
        StructField("source_text", StringType()),
        StructField("source_name", StringType()),
        StructField("target_code", StringType()),
        StructField("target_text", StringType()),
        StructField("target_name", StringType()),
        StructField("event_date", StringType()),
        StructField("place_name", StringType()),
        StructField("place_geonameid", LongType()),
        StructField("place_country", StringType()),
        StructField("place_lat", DoubleType()),
        StructField("place_lon", DoubleType()),
        StructField("flags", ArrayType(StringType())),
        StructField("rule", StringType()),
        StructField("evidence", ArrayType(SPAN)),
        # The text of the first evidence span (offsets are Unicode scalar
        # offsets into the article text; Spark's substring counts the same).
        StructField("evidence_text", StringType()),
        # Where the offsets point when not into the body: "title" or
        # "standfirst", for an event only the headline reports.
        StructField("field", StringType()),
    ]
)

# One row per WARC response record that dyad read (coded or failed).
DOCUMENTS = StructType(
    [
        StructField("id", StringType(), False),
        StructField("warc_path", StringType()),
        StructField("warc_record_id", StringType()),
        StructField("record_number", LongType()),
        StructField("url", StringType()),
        StructField("error_stage", StringType()),
        StructField("error_kind", StringType()),
        StructField("error_message", StringType()),
        StructField("title", StringType()),
        StructField("byline", StringType()),
        StructField("date", StringType()),
        StructField("language", StringType()),
        StructField("site", StringType()),
        StructField("canonical_url", StringType()),
        StructField("text", StringType()),
        StructField("n_sentences", IntegerType()),
        StructField("n_entities", IntegerType()),
        StructField("n_events", IntegerType()),
        StructField("n_quotes", IntegerType()),
        StructField("n_numbers", IntegerType()),
        StructField("n_places", IntegerType()),
        # The document's events, typed; the `events` table is this column
        # flattened (so the JSON is parsed once).
        StructField("events", ArrayType(EVENT)),
        # The whole dyad record (entities, quotes, numbers, places, dates,
        # offsets), so nothing the pipeline produced is lost.
        StructField("record_json", StringType()),
    ]
)

# One row per coded event.
EVENTS = StructType(
    [
        StructField("doc_id", StringType(), False),
        StructField("url", StringType()),
        StructField("event_index", IntegerType(), False),
    ]
    + EVENT.fields[:10]
    + [StructField("doc_date", StringType())]
    + EVENT.fields[10:]
)

# Session settings for a job whose work is in the piped dyad processes:
# no web UI, few shuffle partitions (the only shuffle spreads the manifest),
# no adaptive re-planning (nothing here to re-plan). spark-submit --conf
# overrides any of them.
SESSION_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.adaptive.enabled": "false",
}


def _count(col):
    # size(NULL) is -1 outside ANSI mode; a missing array counts as 0.
    return F.greatest(F.size(col), F.lit(0)).cast("int")


def _event(e, text, title, standfirst):
    """One event of a parsed record -> an EVENT struct."""
    text = F.when(e["field"] == "title", title).when(e["field"] == "standfirst", standfirst).otherwise(text)
    first = e["evidence"].getItem(0)
    ev_text = F.when(
        (F.size(e["evidence"]) > 0) & first["start"].isNotNull() & first["end"].isNotNull(),
        text.substr(first["start"] + 1, first["end"] - first["start"]),
    )
    fields = {
        "plover": e["plover"],
        "mode": e["mode"],
        "cameo": e["cameo"],
        "source_code": e["source"]["code"],
        "source_text": e["source"]["text"],
        "source_name": e["source"]["name"],
        "target_code": e["target"]["code"],
        "target_text": e["target"]["text"],
        "target_name": e["target"]["name"],
        "event_date": e["date"],
        "place_name": e["place"]["name"],
        "place_geonameid": e["place"]["geonameid"],
        "place_country": e["place"]["country"],
        "place_lat": e["place"]["lat"],
        "place_lon": e["place"]["lon"],
        "flags": F.coalesce(e["flags"], F.array().cast(ArrayType(StringType()))),
        "rule": e["rule"],
        "evidence": F.coalesce(e["evidence"], F.array().cast(ArrayType(SPAN))),
        "evidence_text": ev_text,
        "field": e["field"],
    }
    return F.struct(*[fields[f.name].alias(f.name) for f in EVENT.fields])


def documents(lines):
    """DataFrame of dyad output lines (column `line`) -> `documents` rows.
    Pure Spark SQL expressions: it runs in the JVM."""
    p = lines.select("line", F.from_json("line", RECORD).alias("r"))
    bad = F.col("r").isNull() | F.col("r._corrupt_record").isNotNull()
    art, src, err = "r.article", "r.source", "r.error"
    text = F.coalesce(F.col(art + ".text"), F.lit(""))

    def unless_bad(c, bad_value=None):
        return F.when(bad, F.lit(bad_value)).otherwise(c)

    return p.select(
        unless_bad(F.coalesce(F.col("r.id"), F.lit("")), "<unparsable>").alias("id"),
        unless_bad(F.col(src + ".path")).alias("warc_path"),
        unless_bad(F.col(src + ".warc_record_id")).alias("warc_record_id"),
        unless_bad(F.col(src + ".line")).alias("record_number"),
        unless_bad(F.coalesce(F.col(src + ".url"), F.col(art + ".url"))).alias("url"),
        unless_bad(F.col(err + ".stage"), "spark").alias("error_stage"),
        unless_bad(F.col(err + ".kind"), "invalid").alias("error_kind"),
        unless_bad(F.col(err + ".message"), "dyad output line is not a JSON record").alias("error_message"),
        unless_bad(F.col(art + ".title")).alias("title"),
        unless_bad(F.col(art + ".byline")).alias("byline"),
        unless_bad(F.col(art + ".date")).alias("date"),
        unless_bad(F.col(art + ".language")).alias("language"),
        unless_bad(F.col(art + ".site")).alias("site"),
        unless_bad(F.col(art + ".url")).alias("canonical_url"),
        unless_bad(text).alias("text"),
        _count("r.sentences").alias("n_sentences"),
        _count("r.entities").alias("n_entities"),
        _count("r.events").alias("n_events"),
        _count("r.quotes").alias("n_quotes"),
        _count("r.numbers").alias("n_numbers"),
        _count("r.places").alias("n_places"),
        F.coalesce(
            F.transform(
                "r.events",
                lambda e: _event(e, text, F.col(art + ".title"), F.col(art + ".standfirst")),
            ), F.array().cast(ArrayType(EVENT))
        ).alias("events"),
        F.col("line").alias("record_json"),
    )


# A document's flat columns as `dyad code --format spark` writes them (the
# first of its two tab-separated fields): the `documents` row without
# `record_json`, events already flattened and their evidence text cut out.
FLAT = StructType(
    [StructField(f.name, f.dataType) for f in DOCUMENTS.fields if f.name != "record_json"]
    + [StructField("_corrupt_record", StringType())]
)


def documents_flat(rows):
    """DataFrame of `dyad code --format spark` output split by TRANSFORM
    (columns `doc`: the flat JSON object, `record_json`: the full record)
    -> `documents` rows. The JVM parses only the small flat object (the
    article's fields and the events), never the whole record."""
    p = rows.select("doc", F.from_json("doc", FLAT).alias("d"), "record_json")
    bad = F.col("d").isNull() | F.col("d._corrupt_record").isNotNull() | F.col("record_json").isNull()
    fixed = {
        "id": (F.coalesce(F.col("d.id"), F.lit("")), "<unparsable>"),
        "error_stage": (F.col("d.error_stage"), "spark"),
        "error_kind": (F.col("d.error_kind"), "invalid"),
        "error_message": (F.col("d.error_message"), "dyad output line is not a document record"),
        "text": (F.coalesce(F.col("d.text"), F.lit("")), None),
    }
    cols = []
    for f in DOCUMENTS.fields:
        if f.name == "record_json":
            # A line without the tab: keep all of it here.
            c = F.coalesce(F.col("record_json"), F.col("doc"))
        elif f.name.startswith("n_"):
            c = F.when(bad, F.lit(0)).otherwise(F.coalesce(F.col("d." + f.name), F.lit(0)))
        elif f.name == "events":
            # A broken line's events are not counted as some document's.
            none = F.array().cast(ArrayType(EVENT))
            c = F.when(bad, none).otherwise(F.coalesce(F.col("d.events"), none))
        else:
            c, bad_value = fixed.get(f.name, (F.col("d." + f.name), None))
            c = F.when(bad, F.lit(bad_value)).otherwise(c)
        cols.append(c.alias(f.name))
    return p.select(*cols)


def events(docs):
    """`documents` rows -> `events` rows, one per coded event, in the
    record's order. Reads only the small columns it needs (Parquet prunes
    the rest: the text and the JSON are not read again)."""
    e = docs.select("id", "url", "date", F.posexplode("events").alias("i", "e"))
    cols = {f.name: F.col("e." + f.name) for f in EVENT.fields}
    cols.update(doc_id=F.col("id"), url=F.col("url"), event_index=F.col("i").cast("int"), doc_date=F.col("date"))
    return e.select(*[cols[f.name].alias(f.name) for f in EVENTS.fields])


def dyad_command(binary, threads, extra, fmt="spark"):
    """The command each partition pipes its WARC paths through (run by
    Spark with `/bin/bash -c`).

    dyad exits 1 when some documents failed: their records are in the
    output with an `error`, so for Spark that is data, not a task failure.
    Exit 2 (fatal: cannot write output, bad usage) or a crash still fails
    the task (Spark checks the script's exit status), and Spark retries it."""
    args = [binary, "code", "--warc-paths-from-stdin", "--format", fmt, "--threads", str(threads)]
    args += extra
    return " ".join(shlex.quote(a) for a in args) + '; rc=$?; if [ "$rc" -eq 1 ]; then exit 0; fi; exit "$rc"'


def sql_string(s):
    """A Spark SQL string literal holding `s` exactly."""
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def piped(spark, paths, command, columns="line STRING"):
    """DataFrame of WARC paths (column `path`) -> dyad's output lines split
    into `columns` (default: one column `line`), one dyad process per
    partition, all in the JVM.

    TRANSFORM writes each input row as a line on the script's stdin and
    splits each output line at tabs into the AS columns (missing ones are
    NULL, extra ones dropped). The tab must be named: without a ROW FORMAT
    clause Spark 3.5 does not split at all. dyad's compact JSON has no raw
    tab or line break, so a JSON field is never cut."""
    paths.createOrReplaceTempView("dyad_warc_paths")
    return spark.sql(
        "SELECT TRANSFORM(path) USING %s AS (%s) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' "
        "FROM dyad_warc_paths" % (sql_string(command), columns)
    )


def resolve_binary(name):
    """A path that exists here (local mode, a shared file system) is used
    as is; otherwise the binary was shipped with `--files` and sits in the
    executor's working directory."""
    if os.path.isfile(name):
        return os.path.abspath(name)
    return "./" + os.path.basename(name)


def cpu_seconds(spark):
    """CPU seconds (user + system) of the driver JVM and, separately, of the
    processes it ran and waited for (in local mode: the dyad processes, which
    do the work), read from /proc; {} where that is not readable."""
    try:
        import resource

        pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
        with open("/proc/%d/stat" % pid) as f:
            # Fields after the command name: state is field 3, so utime,
            # stime, cutime, cstime (fields 14-17) are at 11..14.
            fields = f.read().rsplit(")", 1)[1].split()
        tick = float(os.sysconf("SC_CLK_TCK"))
        ut, st, cut, cst = (int(x) / tick for x in fields[11:15])
        me = resource.getrusage(resource.RUSAGE_SELF)
        return {
            "cpu_s_jvm": round(ut + st, 2),
            "cpu_s_children": round(cut + cst, 2),
            "cpu_s_python_driver": round(me.ru_utime + me.ru_stime, 2),
        }
    except Exception:  # not Linux, or the JVM is remote: no figures
        return {}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--manifest", required=True, help="text file: one WARC path per line")
    ap.add_argument("--out", required=True, help="output folder: OUT/documents, OUT/events (Parquet)")
    ap.add_argument("--dyad", default=os.environ.get("DYAD_BIN", "dyad"), help="dyad binary (path, or name shipped with --files)")
    ap.add_argument("--partitions", type=int, default=0, help="partitions of the manifest: dyad processes (default: the default parallelism)")
    ap.add_argument("--threads", type=int, default=1, help="dyad worker threads per task (default 1: one core per Spark task)")
    ap.add_argument("--master", default=None, help="Spark master when not run by spark-submit (e.g. local[2])")
    ap.add_argument("--dyad-arg", action="append", default=[], help="extra argument for `dyad code` (repeatable)")
    ap.add_argument("--format", default="spark", choices=["spark", "jsonl"], help="dyad output format to pipe")
    ap.add_argument("--parquet-option", action="append", default=[], help="KEY=VALUE for the Parquet writer (repeatable)")
    ap.add_argument("--summary", default=None, help="write a JSON summary (counts, seconds) to this file")
    a = ap.parse_args(argv)

    t_start = time.time()
    builder = SparkSession.builder.appName("dyad")
    if a.master:
        builder = builder.master(a.master)
    for k, v in SESSION_CONF.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    parts = a.partitions or spark.sparkContext.defaultParallelism
    t0 = time.time()

    # The manifest (small) is read by the JVM and spread over `parts`
    # partitions round-robin: one dyad process each, WARCs balanced.
    paths = (
        spark.read.text(a.manifest)
        .select(F.trim("value").alias("path"))
        .where((F.col("path") != "") & ~F.col("path").startswith("#"))
        .repartition(parts)
    )
    cmd = dyad_command(resolve_binary(a.dyad), a.threads, a.dyad_arg, a.format)
    docs_path = os.path.join(a.out, "documents")
    events_path = os.path.join(a.out, "events")
    if a.format == "spark":
        docs = documents_flat(piped(spark, paths, cmd, "doc STRING, record_json STRING"))
    else:
        docs = documents(piped(spark, paths, cmd))
    opts = dict(o.split("=", 1) for o in a.parquet_option)
    # Rows are counted as they are written (no second pass over the tables).
    docs_seen, events_seen = Observation("documents"), Observation("events")
    docs = docs.observe(docs_seen, F.count(F.lit(1)).alias("rows"))
    docs.write.options(**opts).mode("overwrite").parquet(docs_path)
    t_docs = time.time()
    # Events come from the written table: dyad's output is piped once.
    evs = events(spark.read.parquet(docs_path)).observe(events_seen, F.count(F.lit(1)).alias("rows"))
    evs.write.options(**opts).mode("overwrite").parquet(events_path)
    t_end = time.time()
    seconds = t_end - t0

    n_docs = docs_seen.get["rows"]
    n_events = events_seen.get["rows"]
    summary = {
        "documents": n_docs,
        "events": n_events,
        "partitions": parts,
        "session_seconds": round(t0 - t_start, 2),
        "documents_seconds": round(t_docs - t0, 2),
        "events_seconds": round(t_end - t_docs, 2),
        "seconds": round(seconds, 2),
        "records_per_s": round(n_docs / seconds, 1) if seconds > 0 else None,
    }
    summary.update(cpu_seconds(spark))
    print("dyad-spark: " + json.dumps(summary), flush=True)
    if a.summary:
        with open(a.summary, "w") as f:
            json.dump(summary, f)
    gateway = spark.sparkContext._gateway
    spark.stop()
    _wait_for_jvm(gateway)
    return 0


def _wait_for_jvm(gateway):
    """When this driver launched the JVM (local mode, plain python), close
    its stdin, which makes it exit, and wait: it may still have work to do
    as it exits (run-local.sh has it write a class-sharing archive)."""
    proc = getattr(gateway, "proc", None)
    if proc is None:
        return
    try:
        gateway.shutdown()
    except Exception:
        pass
    try:
        proc.stdin.close()
        proc.wait(timeout=300)
    except Exception:
        pass


if __name__ == "__main__":
    sys.exit(main())
