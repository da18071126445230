"""Reads a `dyad export --format parquet` file with pyarrow (a real Parquet
reader) and checks it cell by cell against `dyad export --format csv` of
the same store and filter. Exits non-zero on any difference.

    python check_parquet.py events.parquet events.csv

Run by scripts/test-api (which has pyarrow in its venv).
"""
import csv
import math
import sys

import pyarrow as pa
import pyarrow.parquet as pq

INTS = {"id", "doc_id", "place_geonameid", "cluster"}
FLOATS = {"place_lat", "place_lon"}
BOOLS = {"duplicate"}


def fail(msg):
    print(f"check_parquet: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def main(pq_path, csv_path):
    f = pq.ParquetFile(pq_path)  # parses the footer, schema and row groups
    table = f.read()
    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, rows = rows[0], rows[1:]
    if table.column_names != header:
        fail(f"columns {table.column_names} != CSV header {header}")
    if table.num_rows != len(rows):
        fail(f"{table.num_rows} rows in Parquet, {len(rows)} in CSV")
    if table.num_rows == 0:
        fail("no rows: the check needs a store with events")
    for name in header:
        t = table.schema.field(name).type
        want = (pa.int64() if name in INTS else pa.float64() if name in FLOATS
                else pa.bool_() if name in BOOLS else pa.string())
        if t != want:
            fail(f"column {name}: type {t}, expected {want}")
    cols = {n: table.column(n).to_pylist() for n in header}
    for i, row in enumerate(rows):
        for name, text in zip(header, row):
            got = cols[name][i]
            if name in INTS:
                ok = got == (int(text) if text else None)
            elif name in FLOATS:
                ok = (got is None and not text) or (
                    got is not None and text and math.isclose(got, float(text), rel_tol=1e-9))
            elif name in BOOLS:
                ok = got == (text == "1")
            else:
                ok = (got or "") == text
            if not ok:
                fail(f"row {i} column {name}: Parquet {got!r}, CSV {text!r}")
    print(f"check_parquet: ok: {table.num_rows} rows x {len(header)} columns in "
          f"{f.metadata.num_row_groups} row group(s) read by pyarrow {pa.__version__}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
