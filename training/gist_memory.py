#!/usr/bin/env python3
"""How much of the running count survives a compression (issue 15): the cross-entropy of the
digits a thought restates ("Saturday: Jonas has 349 ...", "At the end, Jonas has 77 ...") when the
thought that computed them has been compressed away, on held-out problems, under the training
mask (spec 4.2; the engine's eviction gives the same logits, see the parity note in README.md).

  gist_memory.py ADAPTER [ADAPTER ...] --base DEQUANT_DIR [--data demo-test.jsonl] [--items 20]

ln 10 = 2.30 nats a digit is a uniform guess: the gists carry nothing. The vanilla twin reads the
number from its full context, so its figure is the floor. The mean over all supervised tokens is
printed beside it: it hides the carried digits among hundreds of template tokens.
"""
import argparse
import json
import os
import re
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from common import load_jsonl, prompt_text  # noqa: E402
from seqs import IGNORE, build_example  # noqa: E402
from train import make_batch  # noqa: E402
from train_lora import HFTok, added_tokens  # noqa: E402

# A thought that starts by restating the count: "Day 3: X has N", "Step 2: X has N", "Friday: ...",
# and the solution's "At the end, X has N".
RESTATED = re.compile(r"^(?:<\|end_of_thought\|> <\|begin_of_solution\|> )?(?:(?:Day \d+|Step \d+|[A-Z][a-z]+day): |At the end, )"
                      r"[\w. ]+? ha(?:s|ve) (\d+)")


def value_positions(item, tok, n_cache, length):
    """Positions (in build_example's lightthinker ids, `length` of them) of the digits restated at
    the start of thoughts 2.. Each thought is its text, "\n", <|splitter|>, the cache tokens and
    <|continue|>, after the prompt and before the final EOS (seqs.build_example)."""
    out, at = [], len(tok.encode(prompt_text(item["question"])))
    for k, th in enumerate(item["thoughts"]):
        enc = tok.tk.encode(th, add_special_tokens=False)
        m = RESTATED.search(th) if k > 0 else None
        if m:
            a, b = m.span(1)
            out += [at + i for i, (s, e) in enumerate(enc.offsets) if s >= a and e <= b]
        at += len(enc.ids) + 2 + n_cache + 1
    if at + 1 != length:
        raise SystemExit(f"gist_memory.py: the sequence layout changed ({at + 1} tokens counted, build_example "
                         f"made {length}); update value_positions to seqs.build_example")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("adapters", nargs="+")
    ap.add_argument("--base", required=True)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(here), "resources", "datasets", "demo-test.jsonl"))
    ap.add_argument("--items", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    from peft import PeftModel
    from transformers import LlamaForCausalLM
    items = load_jsonl(a.data)[: a.items]
    print("| adapter | method | step | carried digits | their loss (nats) | all supervised tokens | their loss |")
    print("|---|---|---|---|---|---|---|")
    for ad in a.adapters:
        gs = json.load(open(os.path.join(ad, "gistscope.json")))
        state = json.load(open(os.path.join(ad, "training_state.json")))
        method, n_cache = gs["method"], gs["output"]["n_token"]
        tok = HFTok(a.base, added_tokens(method, n_cache))
        model = LlamaForCausalLM.from_pretrained(a.base, torch_dtype=torch.float32, attn_implementation="sdpa")
        model.resize_token_embeddings(tok.vocab_size, mean_resizing=False)
        model = PeftModel.from_pretrained(model, ad).eval()
        v_sum = v_n = t_sum = t_n = 0.0
        for it in items:
            x, y, blocks = build_example(method, it, tok, n_cache)
            ids, lab, mask, pos = make_batch([(torch.tensor(x), torch.tensor(y), blocks)], [0])
            with torch.no_grad():
                logits = model(input_ids=ids, attention_mask=mask, position_ids=pos).logits[0, :-1]
            loss = torch.nn.functional.cross_entropy(logits, lab[0, 1:], ignore_index=IGNORE, reduction="none")
            sup = lab[0, 1:] != IGNORE
            t_sum, t_n = t_sum + loss[sup].sum().item(), t_n + sup.sum().item()
            vp = value_positions(it, tok, n_cache, len(x)) if method == "lightthinker" else vanilla_positions(it, tok)
            for p in vp:  # the loss of predicting token p comes from row p - 1
                v_sum, v_n = v_sum + loss[p - 1].item(), v_n + 1
        print(f"| {os.path.basename(os.path.normpath(ad))} | {method} | {state['step']} | {int(v_n)} | "
              f"{v_sum / max(1, v_n):.3f} | {int(t_n)} | {t_sum / max(1, t_n):.4f} |", flush=True)


def vanilla_positions(item, tok):
    """The same digits in the vanilla twin's one solution text (thoughts joined by "\\n\\n")."""
    at = len(tok.encode(prompt_text(item["question"])))
    enc = tok.tk.encode(item["solution"], add_special_tokens=False)
    out, start = [], 0
    for k, th in enumerate(item["thoughts"]):
        off = item["solution"].index(th, start)
        start = off + len(th)
        m = RESTATED.search(th) if k > 0 else None
        if m:
            a, b = off + m.span(1)[0], off + m.span(1)[1]
            out += [at + i for i, (s, e) in enumerate(enc.offsets) if s >= a and e <= b]
    return out


if __name__ == "__main__":
    main()
