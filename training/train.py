#!/usr/bin/env python3
"""Train one GistScope demo model (Qwen2 architecture) on make_data.py problems.

Deterministic from --seed and resumable: the run directory holds ckpt.pt (model,
optimizer, step, RNG-free data order: batch k is drawn from a generator seeded with
(seed, k)), log.jsonl, and export/ (a Hugging Face checkpoint written every
--export-every steps and at the end). Re-running the same command resumes.

  train.py --method vanilla --data data/train.jsonl --tok data/tok --run runs/vanilla \
           --steps 1500 --seed 1
  train.py --method lightthinker ... --init runs/vanilla/export   # fine-tune
  train.py --method lightthinker-pp --data data/pp-train.jsonl --tok data/tok-pp \
           --init runs/vanilla/export ...   # LightThinker++ (make_data_pp.py trajectories)

lightthinker-pp: one training sequence per action of a trajectory, the context as the runtime
renders it before the segment (seqs.pp_segments, memory_reference.Controller) followed by the
segment, the loss on the segment only. When the tokenizer has more pieces than the --init model
(extend_tokenizer.py adds the grammar's markers after the existing ids), the embedding and
lm_head get rows for the new ids (transformers' resize_token_embeddings: the mean of the old
rows plus noise of their covariance); every old id keeps its row.
"""
import argparse
import json
import math
import os
import shutil
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Tok, gistscope_json, load_jsonl  # noqa: E402
from memory_reference import load_grammar  # noqa: E402
from seqs import IGNORE, build_examples, build_mask  # noqa: E402

MEMORY_GRAMMAR_FORMAT = "gistscope-memory-grammar"


def model_config(vocab_size, args):
    from transformers import Qwen2Config
    return Qwen2Config(
        vocab_size=vocab_size, hidden_size=args.d_model, intermediate_size=args.d_ff,
        num_hidden_layers=args.layers, num_attention_heads=args.heads,
        num_key_value_heads=args.kv_heads, max_position_embeddings=4096,
        rope_theta=10000.0, rms_norm_eps=1e-6, tie_word_embeddings=False,
        hidden_act="silu", attention_dropout=0.0, use_sliding_window=False,
        bos_token_id=None, eos_token_id=None, pad_token_id=None,
        torch_dtype="float32")


def export(model, tok_path, method, out_dir, meta, grammar=None):
    tmp = out_dir + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    shutil.copy(os.path.join(tok_path, "tokenizer.model"), os.path.join(tmp, "tokenizer.model"))
    with open(os.path.join(tmp, "gistscope.json"), "w") as f:
        json.dump(gistscope_json(method), f, indent=1)
    if grammar is not None:  # the grammar it was trained with, beside gistscope.json (docs/memory-grammar.md)
        with open(os.path.join(tmp, "memory_grammar.json"), "w") as f:
            json.dump({"format": MEMORY_GRAMMAR_FORMAT, "version": 1, **grammar}, f, indent=1)
            f.write("\n")
    with open(os.path.join(tmp, "training_state.json"), "w") as f:
        json.dump(meta, f, indent=1)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.rename(tmp, out_dir)


def make_batch(examples, idx):
    L = max(len(examples[i][0]) for i in idx)
    B = len(idx)
    ids = torch.zeros(B, L, dtype=torch.long)
    lab = torch.full((B, L), IGNORE, dtype=torch.long)
    mask = torch.full((B, 1, L, L), torch.finfo(torch.float32).min)
    for r, i in enumerate(idx):
        x, y, blocks = examples[i]
        n = len(x)
        ids[r, :n] = torch.as_tensor(x)
        lab[r, :n] = torch.as_tensor(y)
        m = torch.ones(L, L, dtype=torch.bool).tril_()
        m[:n, :n] = build_mask(n, blocks)
        mask[r, 0].masked_fill_(m, 0.0)
    pos = torch.arange(L).unsqueeze(0).expand(B, L)
    return ids, lab, mask, pos


def batch_indices(seed, step, n_examples, bsz, pool, lengths):
    g = torch.Generator().manual_seed(seed * 1_000_003 + step)
    cand = torch.randint(0, n_examples, (pool,), generator=g).tolist()
    cand.sort(key=lambda i: lengths[i])
    off = int(torch.randint(0, pool - bsz + 1, (1,), generator=g))
    return cand[off:off + bsz]


def lr_at(step, args):
    if step < args.warmup:
        return args.lr * (step + 1) / args.warmup
    t = (step - args.warmup) / max(1, args.steps - args.warmup)
    return args.lr * (args.min_lr_frac + (1 - args.min_lr_frac) * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", required=True, choices=["vanilla", "lightthinker", "anllm", "lightthinker-token",
                                                      "lightthinker-pp"])
    ap.add_argument("--data", required=True)
    ap.add_argument("--tok", required=True)
    ap.add_argument("--run", required=True)
    ap.add_argument("--init", default=None, help="HF dir to fine-tune from")
    ap.add_argument("--grammar", default=None,
                    help="lightthinker-pp: memory_grammar.json to train with (default: the built-in grammar)")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--bsz", type=int, default=16)
    ap.add_argument("--pool", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--min-lr-frac", type=float, default=0.1)
    ap.add_argument("--warmup", type=int, default=60)
    ap.add_argument("--wd", type=float, default=0.01)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--d-model", type=int, default=192)
    ap.add_argument("--d-ff", type=int, default=512)
    ap.add_argument("--heads", type=int, default=6)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ckpt-every", type=int, default=25)
    ap.add_argument("--export-every", type=int, default=200)
    ap.add_argument("--snapshot-every", type=int, default=0,
                    help="also keep snapshots/step-N every N steps (accuracy against steps)")
    ap.add_argument("--max-examples", type=int, default=0)
    ap.add_argument("--attn", default="sdpa")
    ap.add_argument("--bf16", action="store_true",
                    help="bfloat16 autocast for the forward (weights, optimizer and loss stay float32)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.run, exist_ok=True)
    tok = Tok(args.tok)
    from transformers import Qwen2ForCausalLM

    items = load_jsonl(args.data)
    if args.max_examples:
        items = items[:args.max_examples]
    t0 = time.time()
    grammar = load_grammar(args.grammar) if args.method == "lightthinker-pp" else None
    if grammar is not None:
        grammar = {k: grammar[k] for k in ("actions", "render", "first_number")}
    # int32 tensors: LightThinker++ gives about ten sequences per problem
    examples = [(torch.tensor(x, dtype=torch.int32), torch.tensor(y, dtype=torch.int32), b)
                for it in items for x, y, b in build_examples(args.method, it, tok, grammar)]
    lengths = [len(e[0]) for e in examples]
    print(f"{len(items)} items, {len(examples)} examples, mean len {sum(lengths)/len(lengths):.1f}, max {max(lengths)}, "
          f"tokenised in {time.time()-t0:.1f}s", flush=True)

    if args.init:
        model = Qwen2ForCausalLM.from_pretrained(args.init, torch_dtype=torch.float32,
                                                 attn_implementation=args.attn)
        old_vocab = model.config.vocab_size
        if tok.vocab_size < old_vocab:
            sys.exit(f"train.py: {args.tok} has {tok.vocab_size} pieces, fewer than the {old_vocab} rows of {args.init}")
        if tok.vocab_size > old_vocab:
            model.resize_token_embeddings(tok.vocab_size)
            print(f"vocabulary {old_vocab} -> {tok.vocab_size}: new embedding and lm_head rows", flush=True)
    else:
        cfg = model_config(tok.vocab_size, args)
        cfg._attn_implementation = args.attn
        model = Qwen2ForCausalLM(cfg)
    model.config._attn_implementation = args.attn
    model.train()
    nparams = sum(p.numel() for p in model.parameters())
    print(f"params {nparams}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.wd},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-8)
    step = 0
    elapsed = 0.0
    ck = os.path.join(args.run, "ckpt.pt")
    if os.path.exists(ck):
        state = torch.load(ck, map_location="cpu", weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step = state["step"]
        elapsed = state.get("elapsed", 0.0)
        print(f"resumed at step {step}", flush=True)
    with open(os.path.join(args.run, "args.json"), "w") as f:
        json.dump(vars(args), f, indent=1)
    log = open(os.path.join(args.run, "log.jsonl"), "a")

    def meta():
        return {"method": args.method, "step": step, "train_seconds": round(elapsed, 1),
                "params": nparams, "args": vars(args)}

    def save_ckpt():
        tmp = ck + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                    "elapsed": elapsed}, tmp)
        os.replace(tmp, ck)

    while step < args.steps:
        t1 = time.time()
        idx = batch_indices(args.seed, step, len(examples), args.bsz, args.pool, lengths)
        ids, lab, mask, pos = make_batch(examples, idx)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            out = model(input_ids=ids, attention_mask=mask, position_ids=pos, use_cache=False)
        logits = out.logits[:, :-1].float().reshape(-1, out.logits.shape[-1])
        tgt = lab[:, 1:].reshape(-1)
        loss = torch.nn.functional.cross_entropy(logits, tgt, ignore_index=IGNORE)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        dt = time.time() - t1
        elapsed += dt
        log.write(json.dumps({"step": step, "loss": round(loss.item(), 5), "lr": opt.param_groups[0]["lr"],
                              "gnorm": round(float(gn), 3), "sec": round(dt, 3),
                              "elapsed": round(elapsed, 1), "len": ids.shape[1]}) + "\n")
        log.flush()
        if step % 10 == 0:
            print(f"step {step} loss {loss.item():.4f} {dt:.2f}s/step L={ids.shape[1]} elapsed {elapsed/60:.1f}m",
                  flush=True)
        if step % args.ckpt_every == 0 or step == args.steps:
            save_ckpt()
        if step % args.export_every == 0 or step == args.steps:
            export(model, args.tok, args.method, os.path.join(args.run, "export"), meta(), grammar)
        if args.snapshot_every and step % args.snapshot_every == 0:
            os.makedirs(os.path.join(args.run, "snapshots"), exist_ok=True)
            export(model, args.tok, args.method, os.path.join(args.run, "snapshots", f"step-{step}"), meta(),
                   grammar)
    st = os.path.join(args.run, "export", "training_state.json")
    if not os.path.exists(st) or json.load(open(st))["step"] != step:
        export(model, args.tok, args.method, os.path.join(args.run, "export"), meta(), grammar)
    print("done", flush=True)


if __name__ == "__main__":
    main()
