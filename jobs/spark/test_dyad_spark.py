"""Tests of the driver: the pipe command, and the JVM-side pipe and parsing
on a local[1] SparkSession (one session for all tests).

    $SPARK_VENV/bin/python -m unittest jobs/spark/test_dyad_spark.py

scripts/test-spark runs them with PYSPARK_PYTHON set to a path that does not
exist, so any Python worker (a UDF, an RDD map) would fail the tests.
"""

import json
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dyad_spark  # noqa: E402

REC = {
    "id": "<urn:uuid:1>",
    "source": {"path": "/w/a.warc.gz", "url": "https://x.example/a", "warc_record_id": "<urn:uuid:1>", "line": 3},
    "article": {
        "title": "T",
        "standfirst": "\u00c9lys\u00e9e backs Berlin on aid",
        "date": "2024-05-14",
        "language": "en",
        "text": "\u00e9 Scholz met Macron in Berlin.",
    },
    "sentences": [{"start": 0, "end": 31}],
    "entities": [],
    "events": [
        {
            "plover": "CONSULT",
            "cameo": "040",
            "source": {"code": "DEUGOV", "text": "Scholz", "start": 2, "end": 8},
            "target": {"code": "FRAGOV", "text": "Macron", "start": 13, "end": 19},
            "place": {"name": "Berlin", "geonameid": 2950159, "country": "DEU", "lat": 52.5, "lon": 13, "start": 23, "end": 29},
            "flags": ["future"],
            "evidence": [{"start": 2, "end": 29}],
            "rule": "consult.meet",
        },
        {"plover": "AID", "cameo": "070", "evidence": [], "rule": "aid.give"},
        # Only the standfirst reports it: offsets point into that field.
        {"plover": "SUPPORT", "cameo": "051", "evidence": [{"start": 0, "end": 12}], "rule": "support.praise", "field": "standfirst"},
    ],
    "quotes": [],
    "numbers": [{"start": 1, "end": 2, "value": 5}],
    "places": [],
    "dates": [],
}
# REC's flat row, as `dyad code --format spark` writes it before the tab
# (crates/dyad/src/cmd/code/spark.rs tests the Rust side of it).
FLAT_REC = {
    "id": "<urn:uuid:1>",
    "warc_path": "/w/a.warc.gz",
    "warc_record_id": "<urn:uuid:1>",
    "record_number": 3,
    "url": "https://x.example/a",
    "title": "T",
    "date": "2024-05-14",
    "language": "en",
    "text": "\u00e9 Scholz met Macron in Berlin.",
    "n_sentences": 1, "n_entities": 0, "n_events": 3, "n_quotes": 0, "n_numbers": 1, "n_places": 0,
    "events": [
        {"plover": "CONSULT", "cameo": "040", "source_code": "DEUGOV", "source_text": "Scholz",
         "target_code": "FRAGOV", "target_text": "Macron", "place_name": "Berlin", "place_geonameid": 2950159,
         "place_country": "DEU", "place_lat": 52.5, "place_lon": 13, "flags": ["future"],
         "evidence": [{"start": 2, "end": 29}], "evidence_text": "Scholz met Macron in Berlin", "rule": "consult.meet"},
        {"plover": "AID", "cameo": "070", "flags": [], "evidence": [], "rule": "aid.give"},
        {"plover": "SUPPORT", "cameo": "051", "flags": [], "evidence": [{"start": 0, "end": 12}],
         "evidence_text": "\u00c9lys\u00e9e backs", "rule": "support.praise", "field": "standfirst"},
    ],
}
ERROR_REC = {"id": "x", "source": {"path": "p"}, "error": {"stage": "read", "kind": "unreadable", "message": "truncated"}}


def fake_dyad(directory, body, code):
    """A stand-in for the dyad binary: a shell script running `body`, then
    exiting with `code`."""
    path = os.path.join(directory, "dyad")
    with open(path, "w") as f:
        f.write("#!/bin/sh\n%s\nexit %d\n" % (body, code))
    os.chmod(path, 0o755)
    return path


class Command(unittest.TestCase):
    def run_cmd(self, code):
        """The pipe command, run the way Spark runs it (`bash -c`), around
        a fake binary that prints its arguments and exits with `code`."""
        with tempfile.TemporaryDirectory() as d:
            cmd = dyad_spark.dyad_command(fake_dyad(d, 'echo "$@"', code), 1, ["--date", "2024-05-01"])
            p = subprocess.run(["/bin/bash", "-c", cmd], capture_output=True, text=True)
            return p.returncode, p.stdout

    def test_document_errors_are_not_task_failures(self):
        self.assertEqual(self.run_cmd(1)[0], 0)
        rc, out = self.run_cmd(0)
        self.assertEqual(rc, 0)
        self.assertEqual(out.strip(), "code --warc-paths-from-stdin --format spark --threads 1 --date 2024-05-01")

    def test_fatal_errors_fail_the_task(self):
        self.assertEqual(self.run_cmd(2)[0], 2)

    def test_binary_paths_with_spaces_and_quotes(self):
        with tempfile.TemporaryDirectory() as d:
            sub = os.path.join(d, "it's a dir")
            os.mkdir(sub)
            cmd = dyad_spark.dyad_command(fake_dyad(sub, "echo ran", 0), 1, [])
            p = subprocess.run(["/bin/bash", "-c", cmd], capture_output=True, text=True)
            self.assertEqual((p.returncode, p.stdout.strip()), (0, "ran"))


class OnSpark(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from pyspark.sql import SparkSession

        b = SparkSession.builder.master("local[1]").appName("dyad-test")
        for k, v in dyad_spark.SESSION_CONF.items():
            b = b.config(k, v)
        cls.spark = b.getOrCreate()
        cls.spark.sparkContext.setLogLevel("FATAL")  # the failing-pipe test logs a stack trace
        cls.tmp = tempfile.TemporaryDirectory()

    @classmethod
    def tearDownClass(cls):
        cls.spark.stop()
        cls.tmp.cleanup()

    def lines(self, *lines):
        """A DataFrame with column `line`, read by the JVM from a file."""
        path = os.path.join(self.tmp.name, "lines-%d.txt" % abs(hash(lines)))
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return self.spark.read.text(path).withColumnRenamed("value", "line")

    def test_tables_have_the_documented_schemas(self):
        docs = dyad_spark.documents(self.lines(json.dumps(REC)))
        evs = dyad_spark.events(docs)
        strip = lambda t: [(f.name, f.dataType.simpleString()) for f in t.fields]  # noqa: E731
        self.assertEqual(strip(docs.schema), strip(dyad_spark.DOCUMENTS))
        self.assertEqual(strip(evs.schema), strip(dyad_spark.EVENTS))

    def test_document_and_event_rows(self):
        docs = dyad_spark.documents(self.lines(json.dumps(REC)))
        [doc] = docs.collect()
        self.assertEqual((doc.id, doc.warc_record_id, doc.record_number, doc.url), ("<urn:uuid:1>", "<urn:uuid:1>", 3, "https://x.example/a"))
        self.assertEqual((doc.n_sentences, doc.n_entities, doc.n_events, doc.n_numbers, doc.n_places), (1, 0, 3, 1, 0))
        self.assertIsNone(doc.error_kind)
        self.assertEqual(json.loads(doc.record_json), REC)
        self.assertEqual([e.plover for e in doc.events], ["CONSULT", "AID", "SUPPORT"])
        evs = sorted(dyad_spark.events(docs).collect(), key=lambda r: r.event_index)
        self.assertEqual([e.event_index for e in evs], [0, 1, 2])
        # A headline-only event's evidence text comes from its field.
        self.assertEqual((evs[2].field, evs[2].evidence_text), ("standfirst", "\u00c9lys\u00e9e backs"))
        self.assertIsNone(evs[0].field)
        ev = evs[0]
        self.assertEqual((ev.doc_id, ev.source_code, ev.target_code, ev.place_geonameid), ("<urn:uuid:1>", "DEUGOV", "FRAGOV", 2950159))
        self.assertEqual((ev.place_lat, ev.place_lon, ev.doc_date), (52.5, 13.0, "2024-05-14"))
        # Offsets are Unicode scalar offsets: the leading é counts as one.
        self.assertEqual(ev.evidence_text, "Scholz met Macron in Berlin")
        self.assertEqual(ev.flags, ["future"])
        # Absent parts are NULL or empty, never a failure.
        self.assertEqual((evs[1].source_code, evs[1].flags, evs[1].evidence, evs[1].evidence_text), (None, [], [], None))

    def test_error_record(self):
        docs = dyad_spark.documents(self.lines(json.dumps(ERROR_REC)))
        [doc] = docs.collect()
        self.assertEqual((doc.error_stage, doc.error_kind, doc.text, doc.n_events), ("read", "unreadable", "", 0))
        self.assertEqual(dyad_spark.events(docs).count(), 0)

    def test_garbage_line_is_an_error_row_not_a_crash(self):
        docs = dyad_spark.documents(self.lines("not json", json.dumps(ERROR_REC)))
        rows = {r.id: r for r in docs.collect()}
        self.assertEqual(rows["<unparsable>"].error_kind, "invalid")
        self.assertEqual(rows["<unparsable>"].record_json, "not json")
        self.assertEqual(rows["x"].error_kind, "unreadable")

    def spark_lines(self, *lines):
        """`dyad code --format spark` lines, split at the tab as TRANSFORM
        splits them (a line without a tab: `record_json` NULL)."""
        df = self.lines(*lines)
        parts = dyad_spark.F.split("line", "\t", 2)
        return df.select(
            parts.getItem(0).alias("doc"),
            dyad_spark.F.when(dyad_spark.F.size(parts) > 1, parts.getItem(1)).alias("record_json"),
        )

    def test_flat_format_gives_the_same_rows(self):
        flat = dyad_spark.documents_flat(self.spark_lines(json.dumps(FLAT_REC) + "\t" + json.dumps(REC)))
        strip = lambda t: [(f.name, f.dataType.simpleString()) for f in t.fields]  # noqa: E731
        self.assertEqual(strip(flat.schema), strip(dyad_spark.DOCUMENTS))
        ref = dyad_spark.documents(self.lines(json.dumps(REC)))
        self.assertEqual(flat.collect(), ref.collect())
        self.assertEqual(dyad_spark.events(flat).collect(), dyad_spark.events(ref).collect())

    def test_flat_format_errors(self):
        err = {"id": "x", "warc_path": "p", "error_stage": "read", "error_kind": "unreadable",
               "error_message": "truncated", "n_events": 0, "events": []}
        docs = dyad_spark.documents_flat(self.spark_lines(
            json.dumps(err) + "\t" + json.dumps(ERROR_REC), "not json", "{broken\t{}"))
        rows = {r.record_json: r for r in docs.collect()}
        e = rows[json.dumps(ERROR_REC)]
        self.assertEqual((e.id, e.error_stage, e.error_kind, e.text, e.n_events, e.events), ("x", "read", "unreadable", "", 0, []))
        for line in ["not json", "{}"]:
            self.assertEqual((rows[line].id, rows[line].error_kind, rows[line].events), ("<unparsable>", "invalid", []))
        # A flat row without its record (a cut line) is an error row too,
        # and its events are not counted.
        cut = dyad_spark.documents_flat(self.spark_lines(json.dumps(FLAT_REC)))
        [r] = cut.collect()
        self.assertEqual((r.id, r.error_kind, r.n_events, r.events), ("<unparsable>", "invalid", 0, []))
        self.assertEqual(dyad_spark.events(docs).count(), 0)

    def test_sql_string_round_trips(self):
        for s in ["plain", "it's", "back\\slash \\' \\n", '"; rm -rf / #', "tab\there"]:
            self.assertEqual(self.spark.sql("SELECT %s" % dyad_spark.sql_string(s)).first()[0], s)

    def test_pipe_runs_one_process_per_partition_in_the_jvm(self):
        # The fake dyad prints one record per path (with its pid) and exits
        # 1, as dyad does when some documents failed: that is not a failure.
        body = 'while read -r p; do printf \'{"id":"%s","source":{"path":"%s","url":"u\\\\tv"},"pid":%d}\\n\' "$p" "$p" $$; done'
        d = tempfile.mkdtemp(dir=self.tmp.name)
        cmd = dyad_spark.dyad_command(fake_dyad(d, body, 1), 1, [])
        paths = self.spark.read.text(self._manifest(["/a b.warc", "/c.warc", "/d.warc", "/e.warc"])).select(
            dyad_spark.F.col("value").alias("path")
        ).repartition(2)
        out = dyad_spark.piped(self.spark, paths, cmd).collect()
        recs = [json.loads(r.line) for r in out]
        self.assertEqual(sorted(r["id"] for r in recs), ["/a b.warc", "/c.warc", "/d.warc", "/e.warc"])
        self.assertEqual(len({r["pid"] for r in recs}), 2)
        self.assertEqual(recs[0]["source"]["url"], "u\tv")

    def test_pipe_splits_the_spark_format_at_the_tab(self):
        # What dyad --format spark prints, through the real TRANSFORM.
        d = tempfile.mkdtemp(dir=self.tmp.name)
        with open(os.path.join(d, "out.txt"), "w", encoding="utf-8") as f:
            f.write(json.dumps(FLAT_REC) + "\t" + json.dumps(REC) + "\n")
        cmd = dyad_spark.dyad_command(fake_dyad(d, "cat > /dev/null; cat %s" % shlex.quote(f.name), 1), 1, [])
        paths = self.spark.read.text(self._manifest(["/a.warc"])).withColumnRenamed("value", "path")
        [doc] = dyad_spark.documents_flat(dyad_spark.piped(self.spark, paths, cmd, "doc STRING, record_json STRING")).collect()
        self.assertEqual((doc.id, doc.error_kind, doc.n_events), ("<urn:uuid:1>", None, 3))
        self.assertEqual(json.loads(doc.record_json), REC)

    def test_fatal_exit_fails_the_job(self):
        d = tempfile.mkdtemp(dir=self.tmp.name)
        cmd = dyad_spark.dyad_command(fake_dyad(d, "cat > /dev/null", 2), 1, [])
        paths = self.spark.read.text(self._manifest(["/a.warc"])).withColumnRenamed("value", "path")
        with self.assertRaises(Exception) as e:
            dyad_spark.piped(self.spark, paths, cmd).collect()
        self.assertIn("exit", str(e.exception).lower())

    def _manifest(self, paths):
        fd, path = tempfile.mkstemp(dir=self.tmp.name, suffix=".txt")
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(paths) + "\n")
        return path


if __name__ == "__main__":
    unittest.main()
