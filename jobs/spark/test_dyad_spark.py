"""Unit tests of the driver's record parsing and command (no Spark started).

    $SPARK_VENV/bin/python -m unittest jobs/spark/test_dyad_spark.py
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dyad_spark  # noqa: E402

REC = {
    "id": "<urn:uuid:1>",
    "source": {"path": "/w/a.warc.gz", "url": "https://x.example/a", "warc_record_id": "<urn:uuid:1>", "line": 3},
    "article": {"title": "T", "date": "2024-05-14", "language": "en", "text": "\u00e9 Scholz met Macron in Berlin."},
    "sentences": [{"start": 0, "end": 31}],
    "entities": [],
    "events": [
        {
            "plover": "CONSULT",
            "cameo": "040",
            "source": {"code": "DEUGOV", "text": "Scholz", "start": 2, "end": 8},
            "target": {"code": "FRAGOV", "text": "Macron", "start": 13, "end": 19},
            "place": {"name": "Berlin", "geonameid": 2950159, "country": "DEU", "lat": 52.5, "lon": 13.4, "start": 23, "end": 29},
            "flags": ["future"],
            "evidence": [{"start": 2, "end": 29}],
            "rule": "consult.meet",
        }
    ],
    "quotes": [],
    "numbers": [],
    "places": [],
    "dates": [],
}


class ParseLine(unittest.TestCase):
    def test_document_and_event_rows(self):
        doc, events = dyad_spark.parse_line(json.dumps(REC))
        self.assertEqual(set(doc), {f.name for f in dyad_spark.DOCUMENTS.fields})
        self.assertEqual(doc["warc_record_id"], "<urn:uuid:1>")
        self.assertEqual(doc["record_number"], 3)
        self.assertEqual(doc["n_events"], 1)
        self.assertIsNone(doc["error_kind"])
        self.assertEqual(len(events), 1)
        ev = events[0]
        self.assertEqual(set(ev), {f.name for f in dyad_spark.EVENTS.fields})
        self.assertEqual((ev["source_code"], ev["target_code"], ev["place_geonameid"]), ("DEUGOV", "FRAGOV", 2950159))
        # Offsets are Unicode scalar offsets: the leading é counts as one.
        self.assertEqual(ev["evidence_text"], "Scholz met Macron in Berlin")
        self.assertEqual(ev["flags"], ["future"])

    def test_error_record(self):
        rec = {"id": "x", "source": {"path": "p"}, "error": {"stage": "read", "kind": "unreadable", "message": "truncated"}}
        doc, events = dyad_spark.parse_line(json.dumps(rec))
        self.assertEqual((doc["error_stage"], doc["error_kind"]), ("read", "unreadable"))
        self.assertEqual(events, [])

    def test_garbage_line_is_an_error_row_not_a_crash(self):
        doc, events = dyad_spark.parse_line("not json")
        self.assertEqual(doc["error_kind"], "invalid")
        self.assertEqual(events, [])


class Command(unittest.TestCase):
    def run_cmd(self, code):
        """The pipe command around a fake binary that exits with `code`."""
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "dyad")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho \"$@\"\nexit %d\n" % code)
            os.chmod(fake, 0o755)
            cmd = dyad_spark.dyad_command(fake, 1, ["--date", "2024-05-01"])
            import shlex

            p = subprocess.run(shlex.split(cmd), capture_output=True, text=True)
            return p.returncode, p.stdout

    def test_document_errors_are_not_task_failures(self):
        self.assertEqual(self.run_cmd(1)[0], 0)
        rc, out = self.run_cmd(0)
        self.assertEqual(rc, 0)
        self.assertEqual(out.strip(), "code --warc-paths-from-stdin --format jsonl --threads 1 --date 2024-05-01")

    def test_fatal_errors_fail_the_task(self):
        self.assertEqual(self.run_cmd(2)[0], 2)


if __name__ == "__main__":
    unittest.main()
