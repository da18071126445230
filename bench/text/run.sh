#!/usr/bin/env bash
# Text-stage throughput (MB/s on one core) on the raw text of UD EWT + GUM train.
# Usage: bench/text/run.sh [--data DIR] [--secs N]   (run from the workspace root)
set -euo pipefail
cargo build --quiet --release -p dyad-text --example text_bench
TARGET="${CARGO_TARGET_DIR:-target}"
BIN="$TARGET/release/examples/text_bench"
if command -v taskset >/dev/null; then exec taskset -c 0 "$BIN" "$@"; else exec "$BIN" "$@"; fi
