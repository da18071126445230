#!/usr/bin/env bash
# Processing time against input length (issue 10: no quadratic path in
# extraction, parsing or coding). Builds documents of 1x, 2x, 4x and 8x a
# base size from the bundled example (as clean text, as one HTML page, and
# as one long run of words without punctuation) and prints dyad's CPU
# seconds for each and the ratio to the previous size: about 2.0 per
# doubling is linear, about 4.0 would be quadratic.
#
#   bench/scaling/run.sh [BASE_KB=256]
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE_KB="${1:-256}"
TARGET="${CARGO_TARGET_DIR:-target}"
DYAD="${DYAD_BIN:-$TARGET/release/dyad}"
[ -x "$DYAD" ] || cargo build --release -p dyad
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK" "$BASE_KB" <<'PY'
import html, re, sys
work, base = sys.argv[1], int(sys.argv[2]) * 1024
page = open("examples/ankara-talks.html", encoding="utf-8").read()
body = re.search(r"<body.*?>(.*)</body>", page, re.S).group(1)
text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip() + "\n\n"
for k in (1, 2, 4, 8):
    n = base * k
    t = (text * (n // len(text) + 1))[:n]
    open(f"{work}/text-{k}.txt", "w").write(t)
    paras = "".join(f"<p>{p}</p>\n" for p in t.split("\n\n") if p)
    open(f"{work}/page-{k}.html", "w").write(f"<html lang=en><body><article>{paras}</article></body></html>")
    words = re.sub(r"[^\w\s]", "", t).replace("\n", " ")
    open(f"{work}/run-{k}.txt", "w").write(words)
PY
cpu() { /usr/bin/time -f "%U %S" -o "$WORK/t" "$@" > /dev/null 2>&1 || true; awk '{printf "%.2f", $1 + $2}' "$WORK/t"; }
echo "base ${BASE_KB} KB; load $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in text page run; do
  prev=""
  line="$kind:"
  for k in 1 2 4 8; do
    f="$WORK/$kind-$k.txt"; [ "$kind" = page ] && f="$WORK/page-$k.html"
    args=(code --threads 1 --format jsonl --date 2023-03-09)
    [ "$kind" != page ] && args+=(--clean)
    c=$(cpu "$DYAD" "${args[@]}" "$f")
    if [ -n "$prev" ]; then
      r=$(awk -v a="$c" -v b="$prev" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
      line="$line  ${k}x ${c}s (x$r)"
    else
      line="$line  ${k}x ${c}s"
    fi
    prev="$c"
  done
  echo "$line"
done
