#!/usr/bin/env python3
"""Copies a trained SmolLM2 adapter (train_lora.py's export/ or a snapshots/step-N/ folder) into
resources/models/<name>/ as the window and the CLI find it (issue 15).

  bundle_lora.py RUN_EXPORT_DIR NAME [--models resources/models] [--eval RESULTS.md]

What changes on the way: PEFT's boilerplate model card is replaced by a README that says what
the adapter is, how it was trained and on what; adapter_config.json and training_state.json lose
this machine's absolute paths (the base is named by file, as base.json does); trained_for.txt is
the note the window shows beside a model that knows only one kind of problem. The
folder is written beside the target and renamed, so a failed copy leaves the old bundle in place.
"""
import argparse
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
from make_fixtures import sha256_file  # noqa: E402

LIMIT = 20 * 1024 * 1024  # issue 15: at most 20 MiB an adapter
KEEP = ["adapter_config.json", "adapter_model.safetensors", "gistscope.json", "base.json"]
TRAINED_FOR = ("counting word problems (one count that changes 1 to 8 times: buys, sells, gives away, shares "
               "equally, times as many; whole numbers)")


def readme(name, state, base, gs, eval_md):
    a = state["args"]
    method = state["method"]
    n = gs["output"]["n_token"]
    first, last = (gs["output"]["token_name"].replace("{t_id}", str(t)) for t in (0, n - 1))
    twin = "smollm2-vanilla" if method == "lightthinker" else "smollm2-lightthinker"
    lines = [
        f"# {name}: {'LightThinker' if method == 'lightthinker' else 'vanilla twin'} LoRA for SmolLM2-135M-Instruct",
        "",
        (f"Compresses each thought into {n} gist tokens `{first}`..`{last}` and reasons on from them "
         "(LightThinker, thought level)." if method == "lightthinker" else
         "The same recipe as smollm2-lightthinker without compression: it keeps every thought in the cache. "
         "It is the fair baseline for the LightThinker adapter."),
        "",
        f"- Base: `{base['base']}` ({base['version']}), SHA-256 `{base['sha256']}`; GistScope looks for it in the "
        "user's model folder, where ./run.sh puts it.",
        f"- LoRA rank {a['rank']}, alpha {2 * a['rank']}, on q, k, v, o, gate, up and down of all 30 layers, plus "
        f"trainable rows for the added tokens; {state['trainable_params']:,} trainable parameters, stored in BF16.",
        f"- Trained by `training/train_lora.sh` (see training/README.md): {state['step']} steps of {a['bsz']} "
        f"problems from `make_data.py --seed {a['seed']}`, lr {a['lr']}, bfloat16 autocast, "
        f"{state['train_seconds'] / 3600:.1f} hours of training on a 2-core CPU.",
        f"- Trained for: {TRAINED_FOR}. Other problems get fluent but unreliable text.",
        f"- Compare with `{twin}` (the window's preset \"LightThinker vs vanilla (SmolLM2)\").",
        "- Licence: GPL-3.0-or-later, as GistScope; the base model is Apache-2.0 (HuggingFaceTB/SmolLM2-135M-Instruct).",
    ]
    if eval_md:
        lines += ["", "## Measured", "", open(eval_md).read().strip()]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("export")
    ap.add_argument("name")
    ap.add_argument("--models", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                     "resources", "models"))
    ap.add_argument("--eval", help="a Markdown file of measured results to add to the README")
    a = ap.parse_args()
    for f in KEEP + ["training_state.json"]:
        if not os.path.isfile(os.path.join(a.export, f)):
            sys.exit(f"bundle_lora.py: {a.export} has no {f}; expected a train_lora.py export folder")
    state = json.load(open(os.path.join(a.export, "training_state.json")))
    base = json.load(open(os.path.join(a.export, "base.json")))
    size = sum(os.path.getsize(os.path.join(a.export, f)) for f in KEEP)
    if size > LIMIT:
        sys.exit(f"bundle_lora.py: {a.export} is {size / 2**20:.1f} MiB, over the 20 MiB a bundled adapter may take")

    target = os.path.join(a.models, a.name)
    tmp = target + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    try:
        for f in ["adapter_model.safetensors", "base.json"]:
            shutil.copyfile(os.path.join(a.export, f), os.path.join(tmp, f))
        cfg = json.load(open(os.path.join(a.export, "adapter_config.json")))
        cfg["base_model_name_or_path"] = base["base"]
        json.dump(cfg, open(os.path.join(tmp, "adapter_config.json"), "w"), indent=2, sort_keys=True)
        shutil.copyfile(os.path.join(a.export, "gistscope.json"), os.path.join(tmp, "gistscope.json"))
        with open(os.path.join(tmp, "trained_for.txt"), "w") as f:
            f.write(TRAINED_FOR + "\n")
        args = {k: (os.path.basename(v) if isinstance(v, str) and os.path.isabs(v) else v)
                for k, v in state["args"].items()}
        state = dict(state, args=args, adapter_sha256=sha256_file(os.path.join(tmp, "adapter_model.safetensors")))
        json.dump(state, open(os.path.join(tmp, "training_state.json"), "w"), indent=1)
        with open(os.path.join(tmp, "README.md"), "w") as f:
            f.write(readme(a.name, state, base, json.load(open(os.path.join(a.export, "gistscope.json"))), a.eval))
        shutil.rmtree(target, ignore_errors=True)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    print(f"{target}: {size / 2**20:.1f} MiB, step {state['step']}")


if __name__ == "__main__":
    main()
