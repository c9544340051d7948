#!/usr/bin/env python3
"""The engine with a SmolLM2 LoRA adapter against PEFT, logit for logit (issue 15).

  crosscheck_lora.py ADAPTER_DIR --base DEQUANT_DIR --gguf SmolLM2-135M-Instruct.Q4_1.gguf
                     [--data demo-test.jsonl] [--items 5] [--cli build/bin/gistscope-cli]
                     [--greedy N] [--write-fixture DIR --fixture-items K]

For each item: the chat prompt, the first thought, <|splitter|>, the cache tokens and <|continue|>
(so that every kind of added token is read), through PEFT (the dequantized float32 copy resized to
the adapter's vocabulary + PeftModel.from_pretrained, float32, eager attention) and through
`gistscope-cli logits` on the dequantized copy and on the GGUF itself, both with --adapter. Prints
the largest |logit difference| and how many positions agree on the argmax, per base.

--write-fixture DIR stores what tests/engine/tst_smollm2_lora.cpp holds the bundled adapter to,
so that the C++ suite checks it without Python: PEFT's logits of the first item at every position
in the columns that matter (the added tokens and each position's top 2), and the reference
decoder's greedy runs of the first K items (with --greedy K or more). Both are tied to the
adapter's SHA-256, so a retrained adapter with an old fixture fails with a message, not a diff.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
sys.path.insert(0, here)
from common import load_jsonl, prompt_text  # noqa: E402
sys.path.insert(0, os.path.join(here, "fixtures"))
from make_fixtures import sha256_file  # noqa: E402
from crosscheck_engine import engine_ids  # noqa: E402
from train_lora import HFTok, added_tokens  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("adapter")
    ap.add_argument("--base", required=True)
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--data", default=os.path.join(root, "resources", "datasets", "demo-test.jsonl"))
    ap.add_argument("--items", type=int, default=5)
    ap.add_argument("--cli", default=os.path.join(root, "build", "bin", "gistscope-cli"))
    ap.add_argument("--greedy", type=int, default=0, help="also compare greedy LightThinker decodes on N items")
    ap.add_argument("--max-new", type=int, default=1200)
    ap.add_argument("--write-fixture", default=None, help="a folder for tst_smollm2_lora's reference data")
    ap.add_argument("--fixture-items", type=int, default=2, help="greedy runs kept in the fixture")
    a = ap.parse_args()
    torch.set_num_threads(1)

    gs = json.load(open(os.path.join(a.adapter, "gistscope.json")))
    n_cache = gs["output"]["n_token"]
    tok = HFTok(a.base, added_tokens(gs["method"], n_cache))
    from peft import PeftModel
    from transformers import LlamaForCausalLM
    model = LlamaForCausalLM.from_pretrained(a.base, torch_dtype=torch.float32, attn_implementation="eager")
    model.resize_token_embeddings(tok.vocab_size, mean_resizing=False)
    model = PeftModel.from_pretrained(model, a.adapter).eval()

    tmp = tempfile.mkdtemp()
    worst = {"safetensors": 0.0, "gguf": 0.0}
    agree = {"safetensors": 0, "gguf": 0}
    total = 0
    for k, it in enumerate(load_jsonl(a.data)[: a.items]):
        ids = tok.encode(prompt_text(it["question"])) + tok.encode(it["thoughts"][0]) + [tok.nl, tok.spl]
        ids += tok.cache[:n_cache] + [tok.cont]
        with torch.no_grad():
            want = model(input_ids=torch.tensor([ids])).logits[0].float().numpy()
        if a.write_fixture and k == 0:
            write_logits_fixture(a, ids, want, tok)
        total += len(ids)
        for name, base in (("safetensors", a.base), ("gguf", a.gguf)):
            out = os.path.join(tmp, f"{name}-{k}.f32")
            subprocess.run([a.cli, "logits", "--model", base, "--adapter", a.adapter, "--tokens", ",".join(map(str, ids)),
                            "--out", out, "--threads", "1"], check=True, stdout=subprocess.DEVNULL)
            got = np.fromfile(out, dtype="<f4").reshape(want.shape)
            worst[name] = max(worst[name], float(np.abs(got - want).max()))
            agree[name] += int((got.argmax(-1) == want.argmax(-1)).sum())
    for name in worst:
        print(f"{name} base: max |logit - PEFT| = {worst[name]:.3g}; argmax agrees at {agree[name]} of {total} positions")
    if a.greedy:
        return greedy_check(a, model, tok, gs, tmp)
    return 0


def fixture_name(a):
    """The fixture files' stem (the adapter folder's name) and the adapter's checksum they are tied to."""
    return (os.path.basename(os.path.normpath(a.adapter)),
            sha256_file(os.path.join(a.adapter, "adapter_model.safetensors")))


def write_logits_fixture(a, ids, logits, tok):
    os.makedirs(a.write_fixture, exist_ok=True)
    name, sha = fixture_name(a)
    top2 = np.argsort(-logits, axis=-1)[:, :2]
    columns = sorted(set(tok.new_ids) | set(top2.reshape(-1).tolist()))
    np.ascontiguousarray(logits[:, columns], dtype="<f4").tofile(os.path.join(a.write_fixture, f"{name}.logits.f32"))
    with open(os.path.join(a.write_fixture, f"{name}.logits.json"), "w") as f:
        json.dump({"adapter_sha256": sha, "vocab": tok.vocab_size, "ids": ids, "columns": columns,
                   "argmax": logits.argmax(-1).tolist(), "logits_file": f"{name}.logits.f32"}, f)


def greedy_check(a, peft_model, tok, gs, tmp):
    """The engine's greedy LightThinker decode (compression, eviction) against reference_decoder.py's
    on the adapter merged into its float32 base, item by item, on the dequantized copy and on the
    GGUF (with the product the environment selects: GISTSCOPE_QUANT_MATMUL=float32 for PyTorch's)."""
    from reference_decoder import Model, generate
    merged = peft_model.merge_and_unload()
    cfg = json.load(open(os.path.join(a.base, "config.json")))
    cfg["vocab_size"] = tok.vocab_size
    ref = Model(weights=merged.state_dict(), cfg=cfg, gs=gs, tok=tok)
    items = load_jsonl(a.data)[: a.greedy]
    same = {"safetensors": 0, "gguf": 0}
    kept = []
    for k, it in enumerate(items):
        r = generate(ref, it["question"], max_new=a.max_new)
        if k < a.fixture_items:
            kept.append({"idx": k, "ids": r["ids"], "dependency": r["dependency"], "n_comp": r["n_comp"],
                         "peak": r["peak_kv"]})
        for name, base in (("safetensors", a.base), ("gguf", a.gguf)):
            trace = os.path.join(tmp, f"g-{name}-{k}.jsonl")
            # the adapter folder's base.json names the GGUF; the dequantized copy takes it with --adapter
            model_args = ["--model", a.adapter] if name == "gguf" else ["--model", base, "--adapter", a.adapter]
            subprocess.run([a.cli, "generate", *model_args, "--prompt", it["question"], "--chat", "--max-new-tokens",
                            str(a.max_new), "--backend", "cpu", "--threads", "1", "--json", "--trace", trace],
                           check=True, stdout=subprocess.DEVNULL)
            ids, _ = engine_ids(trace)
            ok = ids == r["ids"]
            same[name] += ok
            if not ok:
                at = next((i for i, (x, y) in enumerate(zip(ids, r["ids"])) if x != y), min(len(ids), len(r["ids"])))
                print(f"  item {k} ({name}): first difference at generated token {at} "
                      f"(reference {len(r['ids'])} tokens, engine {len(ids)})")
        print(f"item {k}: {len(r['ids'])} tokens, {r['n_comp']} compressions", flush=True)
    for name in same:
        print(f"greedy on the {name} base: {same[name]} of {len(items)} items token-identical to the reference decoder")
    if a.write_fixture:
        name, sha = fixture_name(a)
        with open(os.path.join(a.write_fixture, f"{name}.{gs['method']}.reference.jsonl"), "w") as f:
            f.write(json.dumps({"adapter_sha256": sha, "max_new": a.max_new}) + "\n")
            for r in kept:
                f.write(json.dumps(r) + "\n")
    return 0 if all(v == len(items) for v in same.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
