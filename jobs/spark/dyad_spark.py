"""dyad on Apache Spark: WARC files in, Parquet tables `documents` and `events` out.

Common Crawl style: a manifest lists one WARC path per line; Spark splits the
manifest into partitions and pipes each partition's paths through one
`dyad code --warc-paths-from-stdin --format jsonl` process (RDD.pipe with
checkCode=True), which streams every HTML response record through the full
pipeline and prints one JSON record per line. The records are parsed here
against an explicit schema and written as Parquet.

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

from pyspark import StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql.types import (
    ArrayType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
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
        # The whole dyad record (entities, quotes, numbers, places, dates,
        # offsets), so nothing the pipeline produced is lost.
        StructField("record_json", StringType()),
    ]
)

SPAN = StructType([StructField("start", IntegerType()), StructField("end", IntegerType())])

# One row per coded event.
EVENTS = StructType(
    [
        StructField("doc_id", StringType(), False),
        StructField("url", StringType()),
        StructField("event_index", IntegerType(), False),
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
        StructField("doc_date", StringType()),
        StructField("place_name", StringType()),
        StructField("place_geonameid", LongType()),
        StructField("place_country", StringType()),
        StructField("place_lat", DoubleType()),
        StructField("place_lon", DoubleType()),
        StructField("flags", ArrayType(StringType())),
        StructField("rule", StringType()),
        StructField("evidence", ArrayType(SPAN)),
        # The text of the first evidence span (offsets are Unicode scalar
        # offsets into the article text, which Python indexes the same way).
        StructField("evidence_text", StringType()),
    ]
)


def _i(v):
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _f(v):
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _s(v):
    return v if isinstance(v, str) else None


def parse_line(line):
    """One dyad JSON record -> (document row, [event rows]). A line that is
    not JSON (it should never happen) becomes a document row with an error,
    so row counts still match dyad's output line count."""
    try:
        rec = json.loads(line)
        if not isinstance(rec, dict):
            raise ValueError("not a JSON object")
    except ValueError as e:
        doc = {f.name: None for f in DOCUMENTS.fields}
        doc.update(
            id="<unparsable>",
            error_stage="spark",
            error_kind="invalid",
            error_message="dyad output line is not a JSON record: %s" % e,
            record_json=line[:10000],
        )
        return doc, []
    src = rec.get("source") or {}
    art = rec.get("article") or {}
    err = rec.get("error") or {}
    text = art.get("text") or ""
    doc_id = str(rec.get("id") or "")
    url = _s(src.get("url")) or _s(art.get("url"))
    events = rec.get("events") or []
    doc = {
        "id": doc_id,
        "warc_path": _s(src.get("path")),
        "warc_record_id": _s(src.get("warc_record_id")),
        "record_number": _i(src.get("line")),
        "url": url,
        "error_stage": _s(err.get("stage")),
        "error_kind": _s(err.get("kind")),
        "error_message": _s(err.get("message")),
        "title": _s(art.get("title")),
        "byline": _s(art.get("byline")),
        "date": _s(art.get("date")),
        "language": _s(art.get("language")),
        "site": _s(art.get("site")),
        "canonical_url": _s(art.get("url")),
        "text": text,
        "n_sentences": len(rec.get("sentences") or []),
        "n_entities": len(rec.get("entities") or []),
        "n_events": len(events),
        "n_quotes": len(rec.get("quotes") or []),
        "n_numbers": len(rec.get("numbers") or []),
        "n_places": len(rec.get("places") or []),
        "record_json": line,
    }
    rows = []
    for i, ev in enumerate(events):
        s = ev.get("source") or {}
        t = ev.get("target") or {}
        p = ev.get("place") or {}
        spans = [
            {"start": _i(e.get("start")), "end": _i(e.get("end"))}
            for e in (ev.get("evidence") or [])
            if isinstance(e, dict)
        ]
        ev_text = None
        if spans and spans[0]["start"] is not None and spans[0]["end"] is not None:
            ev_text = text[spans[0]["start"] : spans[0]["end"]]
        rows.append(
            {
                "doc_id": doc_id,
                "url": url,
                "event_index": i,
                "plover": _s(ev.get("plover")),
                "mode": _s(ev.get("mode")),
                "cameo": _s(ev.get("cameo")),
                "source_code": _s(s.get("code")),
                "source_text": _s(s.get("text")),
                "source_name": _s(s.get("name")),
                "target_code": _s(t.get("code")),
                "target_text": _s(t.get("text")),
                "target_name": _s(t.get("name")),
                "event_date": _s(ev.get("date")),
                "doc_date": _s(art.get("date")),
                "place_name": _s(p.get("name")),
                "place_geonameid": _i(p.get("geonameid")),
                "place_country": _s(p.get("country")),
                "place_lat": _f(p.get("lat")),
                "place_lon": _f(p.get("lon")),
                "flags": [f for f in (ev.get("flags") or []) if isinstance(f, str)],
                "rule": _s(ev.get("rule")),
                "evidence": spans,
                "evidence_text": ev_text,
            }
        )
    return doc, rows


def dyad_command(binary, threads, extra):
    """The command each partition pipes its WARC paths through.

    dyad exits 1 when some documents failed: their records are in the
    output with an `error`, so for Spark that is data, not a task failure.
    Exit 2 (fatal: cannot write output, bad usage) or a crash still fails
    the task through checkCode, and Spark retries it."""
    inner = 'bin="$1"; shift; "$bin" "$@"; rc=$?; [ "$rc" -eq 1 ] && exit 0; exit "$rc"'
    args = [binary, "code", "--warc-paths-from-stdin", "--format", "jsonl", "--threads", str(threads)]
    args += extra
    return "/bin/sh -c %s dyad-pipe %s" % (shlex.quote(inner), " ".join(shlex.quote(a) for a in args))


def resolve_binary(name):
    """A path that exists here (local mode, a shared file system) is used
    as is; otherwise the binary was shipped with `--files` and sits in the
    executor's working directory."""
    if os.path.isfile(name):
        return os.path.abspath(name)
    return "./" + os.path.basename(name)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--manifest", required=True, help="text file: one WARC path per line")
    ap.add_argument("--out", required=True, help="output folder: OUT/documents, OUT/events (Parquet)")
    ap.add_argument("--dyad", default=os.environ.get("DYAD_BIN", "dyad"), help="dyad binary (path, or name shipped with --files)")
    ap.add_argument("--partitions", type=int, default=0, help="minPartitions for the manifest (default: the default parallelism)")
    ap.add_argument("--threads", type=int, default=1, help="dyad worker threads per task (default 1: one core per Spark task)")
    ap.add_argument("--master", default=None, help="Spark master when not run by spark-submit (e.g. local[2])")
    ap.add_argument("--dyad-arg", action="append", default=[], help="extra argument for `dyad code` (repeatable)")
    ap.add_argument("--summary", default=None, help="write a JSON summary (counts, seconds) to this file")
    a = ap.parse_args(argv)

    builder = SparkSession.builder.appName("dyad")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    parts = a.partitions or sc.defaultParallelism

    t0 = time.time()
    cmd = dyad_command(resolve_binary(a.dyad), a.threads, a.dyad_arg)
    lines = (
        sc.textFile(a.manifest, minPartitions=parts)
        .map(lambda l: l.strip())
        .filter(lambda l: l and not l.startswith("#"))
        # dyad is lazy: paths are opened one at a time, records streamed.
        .pipe(cmd, env={"PATH": "/usr/local/bin:/usr/bin:/bin"}, checkCode=True)
    )
    parsed = lines.map(parse_line).persist(StorageLevel.MEMORY_AND_DISK)
    docs = spark.createDataFrame(parsed.map(lambda p: p[0]), schema=DOCUMENTS)
    events = spark.createDataFrame(parsed.flatMap(lambda p: p[1]), schema=EVENTS)
    docs.write.mode("overwrite").parquet(os.path.join(a.out, "documents"))
    events.write.mode("overwrite").parquet(os.path.join(a.out, "events"))
    seconds = time.time() - t0
    parsed.unpersist()

    n_docs = spark.read.parquet(os.path.join(a.out, "documents")).count()
    n_events = spark.read.parquet(os.path.join(a.out, "events")).count()
    summary = {
        "documents": n_docs,
        "events": n_events,
        "partitions": parts,
        "seconds": round(seconds, 2),
        "records_per_s": round(n_docs / seconds, 1) if seconds > 0 else None,
    }
    print("dyad-spark: " + json.dumps(summary), flush=True)
    if a.summary:
        with open(a.summary, "w") as f:
            json.dump(summary, f)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
