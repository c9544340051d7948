#!/bin/sh
# Rebuild every GistScope demo model from scratch (or resume an interrupted rebuild).
#
#   training/train_all.sh            # data, tokenizer, 4 models, install, evaluate
#
# Environment:
#   PY          python with the requirements (default: $GISTSCOPE_VENV/bin/python,
#               training/.venv/bin/python, python3)
#   WORK        where data/ and runs/ go (default: training/); keep it on a disk that
#               survives, the run resumes from it
#   SEED        training seed (default 1)
#   VANILLA_STEPS LT_STEPS ANLLM_STEPS TOKEN_STEPS FT_STEPS   optimizer steps (batch 16)
#   JOBS=2      run the fine-tunes two at a time (one thread each)
#   INSTALL=0   train only: do not copy the models and the test set into resources/
#   SKIP_EVAL=1 do not run the evaluation at the end
#
# Everything is resumable: train.py resumes from runs/<method>/ckpt.pt and the data /
# tokenizer steps are skipped when their outputs exist. Each training is single-threaded
# (torch.set_num_threads(1)).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
WORK=${WORK:-$here}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
cd "$WORK"

if [ -z "${PY:-}" ]; then
  for c in "${GISTSCOPE_VENV:-$here/.venv}/bin/python"; do
    if [ -x "$c" ]; then PY=$c; break; fi
  done
  PY=${PY:-python3}
fi
SEED=${SEED:-1}
VANILLA_STEPS=${VANILLA_STEPS:-1400}
FT_STEPS=${FT_STEPS:-500}        # second vanilla phase (same compute as the lightthinker fine-tune)
LT_STEPS=${LT_STEPS:-500}
ANLLM_STEPS=${ANLLM_STEPS:-500}
TOKEN_STEPS=${TOKEN_STEPS:-400}
JOBS=${JOBS:-1}

mkdir -p data runs
# 1. data (seeds: 1 train, 20261122 demo-test, 777 other-seed check) and the hand-written set
[ -s data/train.jsonl ] || python3 "$here/make_data.py" --seed "$SEED" --count 40000 --out data/train.jsonl
[ -s data/other-seed.jsonl ] || python3 "$here/make_data.py" --seed 777 --count 100 --out data/other-seed.jsonl
[ -s data/demo-test.jsonl ] || python3 "$here/make_data.py" --seed 20261122 --count 200 --out data/demo-test.jsonl
python3 "$here/handwritten/make_handwritten.py" data/demo-handwritten.jsonl
# 2. tokenizer
[ -s data/tok/tokenizer.model ] || "$PY" "$here/make_tokenizer.py" --data data/train.jsonl --out data/tok --vocab 768

train() { # run-dir method steps [extra args]
  r=$1; m=$2; s=$3; shift 3
  mkdir -p "runs/$r"
  "$PY" "$here/train.py" --method "$m" --data data/train.jsonl --tok data/tok --run "runs/$r" \
    --steps "$s" --seed "$SEED" "$@" 2>&1 | grep --line-buffered -v -i warn >> "runs/$r/train.log"
}
install_model() { # run-dir model-name
  [ "${INSTALL:-1}" = 1 ] || return 0
  d="$root/resources/models/demo-$2"
  mkdir -p "$d"
  for f in config.json model.safetensors tokenizer.model gistscope.json; do
    cp "runs/$1/export/$f" "$d/$f"
  done
  # transformers 5 writes rope_theta only inside rope_parameters; add the classic
  # top-level key too so loaders written for Qwen2 configs find it.
  "$PY" -c "import json; p='$d/config.json'; c=json.load(open(p)); \
c['rope_theta']=c.get('rope_parameters',{}).get('rope_theta',10000.0); json.dump(c,open(p,'w'),indent=2)"
}
pair() { # two trainings, at once when JOBS=2
  if [ "$JOBS" -ge 2 ]; then
    ( eval "$1" ) & a=$!
    ( eval "$2" ) & b=$!
    wait $a; wait $b
  else
    eval "$1"; eval "$2"
  fi
}

# 3. models: a vanilla base from scratch (runs/vanilla), then four fine-tunes from it:
#    the three compressed methods and a second vanilla phase (so demo-vanilla and
#    demo-lightthinker have had the same number of steps). AnLLM and token level keep a
#    snapshot every 200 steps for their accuracy-against-steps curves.
train vanilla vanilla "$VANILLA_STEPS" --lr 2e-3
ft="--lr 1e-3 --warmup 20 --init runs/vanilla/export"
pair 'train lightthinker lightthinker "$LT_STEPS" $ft' 'train vanilla-ft vanilla "$FT_STEPS" $ft'
install_model lightthinker lightthinker
install_model vanilla-ft vanilla
pair 'train anllm anllm "$ANLLM_STEPS" $ft --snapshot-every 200' \
     'train lightthinker-token lightthinker-token "$TOKEN_STEPS" $ft --snapshot-every 200'
install_model anllm anllm
install_model lightthinker-token lightthinker-token
if [ "${INSTALL:-1}" = 1 ]; then
  cp data/demo-test.jsonl "$root/resources/datasets/demo-test.jsonl"
  cp data/demo-handwritten.jsonl "$root/resources/datasets/demo-handwritten.jsonl"
fi

# 4. evaluation (reference decoder, greedy) + loss curves
[ "${SKIP_EVAL:-0}" = 1 ] || "$PY" "$here/eval_all.py" --runs runs --other data/other-seed.jsonl
