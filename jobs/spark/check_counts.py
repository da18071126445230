"""Checks the Spark job's Parquet tables against `dyad code` run directly.

    python check_counts.py DIRECT.jsonl OUTDIR

Compares: number of document rows and lines of dyad output; the multiset of
document ids; number of event rows and events in the records; events per
document; a document table column against the record (title); each event's
type, actors and evidence text against the record (computed here in Python,
for Spark by dyad's --format spark); text, URL and layer counts likewise. Prints one
line per check and 'N passed, M failed' last; exits 1 on any failure.
"""

import collections
import json
import os
import sys

from pyspark.sql import SparkSession


def main(direct_path, out):
    recs = []
    with open(direct_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                recs.append(json.loads(line))
    spark = SparkSession.builder.master("local[1]").appName("dyad-check").getOrCreate()
    docs = spark.read.parquet(os.path.join(out, "documents"))
    events = spark.read.parquet(os.path.join(out, "events"))
    d_rows = docs.select("id", "title", "n_events", "error_kind", "text", "url", "n_sentences", "n_entities",
                         "n_quotes", "n_numbers", "n_places").collect()
    e_rows = events.select("doc_id", "event_index", "plover", "source_code", "target_code", "evidence_text").collect()
    spark.stop()

    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print("%s %s%s" % ("ok  " if ok else "FAIL", name, (": " + detail) if detail else ""))

    n_events = sum(len(r.get("events") or []) for r in recs)
    check("documents rows == dyad records", len(d_rows) == len(recs), "%d vs %d" % (len(d_rows), len(recs)))
    check("events rows == dyad events", len(e_rows) == n_events, "%d vs %d" % (len(e_rows), n_events))
    ids_direct = collections.Counter(r["id"] for r in recs)
    ids_spark = collections.Counter(r["id"] for r in d_rows)
    check("same document ids", ids_direct == ids_spark,
          "" if ids_direct == ids_spark else "only direct: %s; only spark: %s"
          % (list((ids_direct - ids_spark))[:3], list((ids_spark - ids_direct))[:3]))
    ev_direct = collections.Counter()
    for r in recs:
        ev_direct[r["id"]] += len(r.get("events") or [])
    ev_spark = collections.Counter(r["doc_id"] for r in e_rows)
    check("same events per document", +ev_direct == +ev_spark)
    titles_direct = {r["id"]: (r.get("article") or {}).get("title") for r in recs}
    titles_spark = {r["id"]: r["title"] for r in d_rows}
    check("same titles", titles_direct == titles_spark)
    # The flat columns dyad writes for Spark (--format spark) against the
    # record itself.
    def doc_key(r):
        a, s = r.get("article") or {}, r.get("source") or {}
        return (r["id"], a.get("text") or "", s.get("url") or a.get("url"),
                *(len(r.get(k) or []) for k in ("sentences", "entities", "quotes", "numbers", "places")))

    docs_direct = collections.Counter(doc_key(r) for r in recs)
    docs_spark = collections.Counter((r["id"], r["text"], r["url"], r["n_sentences"], r["n_entities"],
                                      r["n_quotes"], r["n_numbers"], r["n_places"]) for r in d_rows)
    check("same text, url and layer counts", docs_direct == docs_spark)

    def ev_key(doc_id, i, ev, text):
        spans = ev.get("evidence") or []
        ev_text = text[spans[0]["start"]:spans[0]["end"]] if spans else None
        return (doc_id, i, ev.get("plover"), (ev.get("source") or {}).get("code"),
                (ev.get("target") or {}).get("code"), ev_text)

    evs_direct = collections.Counter(
        ev_key(r["id"], i, ev, (r.get("article") or {}).get(ev.get("field") or "text") or "")
        for r in recs for i, ev in enumerate(r.get("events") or []))
    evs_spark = collections.Counter(tuple(r) for r in e_rows)
    check("same events (type, actors, evidence text)", evs_direct == evs_spark,
          "" if evs_direct == evs_spark else "only direct: %s; only spark: %s"
          % (list(evs_direct - evs_spark)[:2], list(evs_spark - evs_direct)[:2]))
    errs_direct = sum(1 for r in recs if r.get("error"))
    errs_spark = sum(1 for r in d_rows if r["error_kind"])
    check("same error documents", errs_direct == errs_spark, "%d vs %d" % (errs_spark, errs_direct))
    check("some documents were coded", len(recs) > 0 and errs_direct < len(recs))
    passed = sum(results)
    failed = len(results) - passed
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
