#!/usr/bin/env bash
# Side-by-side extraction benchmark: dyad vs Python trafilatura on the same
# pages, one core each (taskset -c 0 where available). Prints pages/s for
# both, the ratio, and dyad's peak memory (RSS, from /usr/bin/time -v).
#
#   bench/extract.sh [PAGES_DIR] [REPEAT]
#
# PAGES_DIR defaults to $DYAD_DATA/extract/trafilatura-eval/tests/eval
# (DYAD_DATA defaults to ../shared/data). Both tools read the files from
# disk; trafilatura's time excludes interpreter start-up and file reading,
# dyad's includes process start, reading and writing JSONL (so the ratio
# is conservative). Pages/s are per CPU second (user + sys), the honest
# "per core" figure on a shared machine; wall seconds are printed beside.
# The venv goes to $BENCH_VENV (default: $CARGO_TARGET_DIR/bench-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${DYAD_DATA:-../shared/data}"
PAGES="${1:-$DATA/extract/trafilatura-eval/tests/eval}"
REPEAT="${2:-3}"
if [ ! -d "$PAGES" ]; then
  echo "bench/extract.sh: pages folder not found: $PAGES (set DYAD_DATA or pass a folder)" >&2
  exit 2
fi
TARGET="${CARGO_TARGET_DIR:-target}"
DYAD="${DYAD_BIN:-$TARGET/release/dyad}"
if [ ! -x "$DYAD" ]; then
  cargo build --release -p dyad
fi
VENV="${BENCH_VENV:-$TARGET/bench-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c 'import trafilatura' 2>/dev/null; then
  # lxml >= 5.2 moved lxml.html.clean (used by justext) to its own package.
  "$VENV/bin/pip" install --quiet trafilatura lxml_html_clean
fi
PIN=""
if command -v taskset >/dev/null 2>&1; then PIN="taskset -c 0"; fi

LIST="$(mktemp)"
trap 'rm -f "$LIST" "$LIST.time"' EXIT
find "$PAGES" -type f \( -name '*.html' -o -name '*.htm' \) | sort > "$LIST"
mapfile -t FILES < "$LIST"
N=${#FILES[@]}
echo "pages: $N from $PAGES; repeat $REPEAT (median); pinned: ${PIN:-no}"

# dyad: whole process (start, read, extract, write JSONL), median of runs.
walls=()
cpus=()
RSS=0
for _ in $(seq "$REPEAT"); do
  s=$(date +%s.%N)
  $PIN /usr/bin/time -v "$DYAD" extract --format jsonl --input html "${FILES[@]}" > /dev/null 2> "$LIST.time" || true
  e=$(date +%s.%N)
  walls+=("$(echo "$e - $s" | bc -l)")
  u=$(awk -F: '/User time \(seconds\)/ {gsub(/ /,"",$2); print $2}' "$LIST.time")
  k=$(awk -F: '/System time \(seconds\)/ {gsub(/ /,"",$2); print $2}' "$LIST.time")
  cpus+=("$(echo "$u + $k" | bc -l)")
  r=$(awk -F: '/Maximum resident set size/ {gsub(/ /,"",$2); print $2}' "$LIST.time")
  if [ "$r" -gt "$RSS" ]; then RSS=$r; fi
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
DWALL=$(median "${walls[@]}")
DCPU=$(median "${cpus[@]}")
DPS=$(echo "$N / $DCPU" | bc -l)

read -r _ TWALL TCPU TPS < <($PIN "$VENV/bin/python" bench/extract/run_trafilatura.py "$LIST" "$REPEAT")
TVER=$("$VENV/bin/python" -c 'import trafilatura; print(trafilatura.__version__)')

printf '%-28s %10s %10s %14s\n' "" "wall s" "CPU s" "pages/CPU-s"
printf '%-28s %10.2f %10.2f %14.1f\n' "dyad extract" "$DWALL" "$DCPU" "$DPS"
printf '%-28s %10.2f %10.2f %14.1f\n' "trafilatura $TVER" "$TWALL" "$TCPU" "$TPS"
printf 'ratio (dyad / trafilatura):  %.1fx   (target >= 8x per core)\n' "$(echo "$DPS / $TPS" | bc -l)"
printf 'dyad peak RSS:               %.1f MiB\n' "$(echo "$RSS / 1024" | bc -l)"
