#!/usr/bin/env bash
# Makes the benchmark GGUF files from the random Qwen2-0.5B-shaped bench checkpoint:
#   $BENCH_DIR/qwen2-0.5b-random-hf/        make_fixtures.py --bench-model (BF16 safetensors, 494 M parameters)
#   $BENCH_DIR/qwen2-0.5b-random-bf16.gguf  llama.cpp's convert_hf_to_gguf.py --outtype bf16
#   $BENCH_DIR/qwen2-0.5b-random-q8_0.gguf  llama-quantize ... Q8_0
#   $BENCH_DIR/qwen2-0.5b-random-q4_k_m.gguf llama-quantize ... Q4_K_M
# Idempotent: a file that exists is kept. Needs the venv of training/fixtures/requirements-gguf.txt and
# llama.cpp built by tests/bench/build_llamacpp.sh. A benchmark dependency only; no test needs these files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/work/cache/bench}"
VENV="${VENV:-/work/cache/venv-ref}"
LLAMACPP_DIR="${LLAMACPP_DIR:-/work/cache/llama.cpp}"
PY="$VENV/bin/python"
QUANTIZE="$LLAMACPP_DIR/build/bin/llama-quantize"
CONVERT="$LLAMACPP_DIR/src/vendor/llama.cpp/convert_hf_to_gguf.py"

for f in "$PY" "$QUANTIZE" "$CONVERT"; do
    [[ -e "$f" ]] || { echo "make_bench_ggufs.sh: $f is missing (venv: see training/fixtures/requirements-gguf.txt;" \
                            "llama.cpp: run tests/bench/build_llamacpp.sh)" >&2; exit 2; }
done

HF="$BENCH_DIR/qwen2-0.5b-random-hf"
BF16="$BENCH_DIR/qwen2-0.5b-random-bf16.gguf"
mkdir -p "$BENCH_DIR"

if [[ ! -f "$HF/model.safetensors" ]]; then
    nice -n 10 "$PY" "$ROOT/training/fixtures/make_fixtures.py" --bench-model "$HF"
fi
if [[ ! -f "$BF16" ]]; then
    # convert_hf_to_gguf.py puts the gguf-py next to it on sys.path itself (the one of the same llama.cpp)
    nice -n 10 "$PY" "$CONVERT" "$HF" --outtype bf16 --outfile "$BF16.tmp"
    mv "$BF16.tmp" "$BF16"
fi
for q in Q8_0 Q4_K_M; do
    out="$BENCH_DIR/qwen2-0.5b-random-${q,,}.gguf"
    if [[ ! -f "$out" ]]; then
        nice -n 10 "$QUANTIZE" "$BF16" "$out.tmp" "$q" 2
        mv "$out.tmp" "$out"
    fi
done
ls -l "$BENCH_DIR"/*.gguf
