#!/bin/sh
# Rebuild every GistScope demo model from scratch (or resume an interrupted rebuild).
#
#   training/train_all.sh            # data, tokenizer, 4 models, install, evaluate
#
# Environment:
#   PY          python with the requirements (default: $GISTSCOPE_VENV/bin/python,
#               training/.venv/bin/python, /work/venv/bin/python, python3)
#   SEED        training seed (default 1)
#   VANILLA_STEPS LT_STEPS ANLLM_STEPS TOKEN_STEPS   optimizer steps (batch 16)
#   SKIP_EVAL=1 do not run the evaluation at the end
#
# Everything is resumable: train.py resumes from runs/<method>/ckpt.pt and the data /
# tokenizer steps are skipped when their outputs exist. One training runs at a time,
# single-threaded (torch.set_num_threads(1)).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$here"

if [ -z "${PY:-}" ]; then
  for c in "${GISTSCOPE_VENV:-$here/.venv}/bin/python" /work/venv/bin/python; do
    if [ -x "$c" ]; then PY=$c; break; fi
  done
  PY=${PY:-python3}
fi
SEED=${SEED:-1}
VANILLA_STEPS=${VANILLA_STEPS:-1400}
LT_STEPS=${LT_STEPS:-600}
ANLLM_STEPS=${ANLLM_STEPS:-400}
TOKEN_STEPS=${TOKEN_STEPS:-400}

mkdir -p data runs
# 1. data (seeds: 1 train, 2 valid, 20261122 demo-test, 777 other-seed check)
[ -s data/train.jsonl ] || python3 make_data.py --seed "$SEED" --count 30000 --out data/train.jsonl
[ -s data/other-seed.jsonl ] || python3 make_data.py --seed 777 --count 100 --out data/other-seed.jsonl
[ -s "$root/resources/datasets/demo-test.jsonl" ] || \
  python3 make_data.py --seed 20261122 --count 200 --out "$root/resources/datasets/demo-test.jsonl"
# 2. tokenizer
[ -s data/tok/tokenizer.model ] || "$PY" make_tokenizer.py --data data/train.jsonl --out data/tok

train() { # method steps [extra args]
  m=$1; s=$2; shift 2
  mkdir -p "runs/$m"
  "$PY" train.py --method "$m" --data data/train.jsonl --tok data/tok --run "runs/$m" \
    --steps "$s" --seed "$SEED" "$@" 2>&1 | grep -v -i warn | tee -a "runs/$m/train.log"
}
install_model() { # method
  d="$root/resources/models/demo-$1"
  mkdir -p "$d"
  for f in config.json model.safetensors tokenizer.model gistscope.json; do
    cp "runs/$1/export/$f" "$d/$f"
  done
  "$PY" -c "import json,sys; s=json.load(open('runs/$1/export/training_state.json')); \
s.pop('args',None); json.dump(s,open('$d/training_state.json','w'),indent=1)"
}

# 3. models: vanilla from scratch, the compressed ones fine-tuned from it
train vanilla "$VANILLA_STEPS" --lr 2e-3
install_model vanilla
train lightthinker "$LT_STEPS" --lr 1e-3 --warmup 20 --init runs/vanilla/export
install_model lightthinker
train anllm "$ANLLM_STEPS" --lr 1e-3 --warmup 20 --init runs/vanilla/export
install_model anllm
train lightthinker-token "$TOKEN_STEPS" --lr 1e-3 --warmup 20 --init runs/vanilla/export
install_model lightthinker-token

# 4. evaluation (reference decoder, greedy) + loss curves
[ "${SKIP_EVAL:-0}" = 1 ] || "$PY" eval_all.py
