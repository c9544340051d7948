#!/usr/bin/env python3
"""Reference decoder for GistScope demo models: real KV cache, real eviction.

A plain-PyTorch Qwen2 forward (weights read from model.safetensors) with an explicit
per-layer KV cache, so that eviction is a real range delete, exactly as spec 5.2 / 5.3 /
5.5 (LightThinker thought level), 5.7 (token level), 8 (AnLLM) and plain causal decoding
(vanilla). Greedy, batch 1. With --method h2o (--cache-size N [--h2o-recent R]) any model runs
H2O as meta-llama's HHCache does (spec 8): per layer and KV head, accumulated attention of the
group's first query head, heavy hitters plus a recent window per head, eviction per head.

  reference_decoder.py MODEL_DIR --data demo-test.jsonl [--limit N] [--json out.jsonl]
  reference_decoder.py MODEL_DIR --method h2o --cache-size 180 [--h2o-recent 90] ...
  reference_decoder.py MODEL_DIR --check          # parity vs HF full-sequence training mask

Per item it records: generated ids (model-chosen, incl. the final EOS), output text,
extracted answer, correctness, peak KV (largest physical KV length, counted right after a
forward appended its tokens), dependency (spec 7.3, intended formula), generated-token
count, number of compressions, and the carried-value check (the value a thought ends with
vs the value the next thought restates).
"""
import argparse
import json
import math
import os
import re
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Tok, load_jsonl, prompt_text  # noqa: E402

NEG = torch.finfo(torch.float32).min


class Model:
    def __init__(self, model_dir=None, weights=None, cfg=None, gs=None, tok=None):
        """A demo model folder, or (weights, cfg, gs, tok) given directly: a Qwen2 or Llama state
        dict (biases where it has them), its config.json and gistscope.json as dicts, and a
        tokenizer with encode / decode / piece_id and bos, eos, spl, cont (train_lora.HFTok: a
        SmolLM2 adapter merged into its base, crosscheck_lora.py)."""
        if model_dir is not None:
            from safetensors.torch import load_file
            with open(os.path.join(model_dir, "config.json")) as f:
                cfg = json.load(f)
            with open(os.path.join(model_dir, "gistscope.json")) as f:
                gs = json.load(f)
            weights = load_file(os.path.join(model_dir, "model.safetensors"))
        self.cfg, self.gs = cfg, gs
        self.w = {k: v.float() for k, v in weights.items()}
        c = self.cfg
        self.n_layers = c["num_hidden_layers"]
        self.H = c["num_attention_heads"]
        self.KVH = c["num_key_value_heads"]
        self.hd = c.get("head_dim") or c["hidden_size"] // self.H
        self.eps = c["rms_norm_eps"]
        theta = c.get("rope_theta") or (c.get("rope_parameters") or {}).get("rope_theta", 10000.0)
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.hd, 2, dtype=torch.int64).float() / self.hd))
        if "lm_head.weight" not in self.w:
            self.w["lm_head.weight"] = self.w["model.embed_tokens.weight"]
        self.tok = tok or Tok(model_dir)
        self.reset()

    def reset(self, h2o=None):
        # per layer K, V: [KVH, len, hd]; keys are stored after RoPE (as in HF)
        self.K = [torch.zeros(self.KVH, 0, self.hd) for _ in range(self.n_layers)]
        self.V = [torch.zeros(self.KVH, 0, self.hd) for _ in range(self.n_layers)]
        self.kv_ids = []
        self.kv_pos = []
        # H2O: (budget, recent) per KV head, and per layer the accumulated scores [KVH, len]. Each
        # head keeps its own slots, so after an eviction K[i][h] and K[i][h'] hold different
        # positions; every head holds the same count (all grow by one per token and are cut back to
        # the budget together), so the per-layer tensors stay rectangular.
        self.h2o = h2o
        self.score = [torch.zeros(self.KVH, 0) for _ in range(self.n_layers)]

    def kv_len(self):
        return self.K[0].shape[1]

    def evict(self, a, b):
        """Delete KV slots [a, b) in every layer."""
        for i in range(self.n_layers):
            self.K[i] = torch.cat([self.K[i][:, :a], self.K[i][:, b:]], 1)
            self.V[i] = torch.cat([self.V[i][:, :a], self.V[i][:, b:]], 1)
        del self.kv_ids[a:b]
        del self.kv_pos[a:b]

    def h2o_accumulate(self, i, probs):
        """probs [H, m, L+m]: add each KV head's score, the first query head of its group summed
        over the block's rows (HHCache: attention.sum(2)[:, ::num_kv_groups]), rows in order; with
        the group score (--h2o-score group) the group's query heads summed, in head order."""
        g = self.H // self.KVH
        if len(self.h2o) > 2 and self.h2o[2]:
            grouped = probs.view(self.KVH, g, *probs.shape[1:])
            first = grouped[:, 0]
            for j in range(1, g):
                first = first + grouped[:, j]                # [KVH, m, L+m]
        else:
            first = probs[::g]                               # [KVH, m, L+m]
        s = torch.cat([self.score[i], torch.zeros(self.KVH, first.shape[1])], 1)
        for r in range(first.shape[1]):
            s = s + first[:, r]
        self.score[i] = s

    def h2o_evict(self):
        """Per layer and KV head: over budget, keep the `budget - recent` largest scores outside
        the `recent` newest slots (ties: the earlier slot) and the recent window."""
        budget, recent = self.h2o[:2]
        for i in range(self.n_layers):
            n = self.K[i].shape[1]
            if n <= budget:
                continue
            order = torch.sort(self.score[i][:, : n - recent], dim=1, descending=True, stable=True).indices
            heavy = order[:, : budget - recent].sort(dim=1).values
            keep = torch.cat([heavy, torch.arange(n - recent, n).expand(self.KVH, recent)], 1)  # [KVH, budget]
            self.K[i] = torch.gather(self.K[i], 1, keep[:, :, None].expand(-1, -1, self.hd))
            self.V[i] = torch.gather(self.V[i], 1, keep[:, :, None].expand(-1, -1, self.hd))
            self.score[i] = torch.gather(self.score[i], 1, keep)

    def rms(self, x, wname):
        v = x.pow(2).mean(-1, keepdim=True)
        return self.w[wname] * (x * torch.rsqrt(v + self.eps))

    def rope(self, x, pos):
        # x: [h, m, hd]; pos: [m]
        f = pos.float()[:, None] * self.inv_freq[None, :]
        emb = torch.cat([f, f], -1)
        cos, sin = emb.cos(), emb.sin()
        x1, x2 = x[..., : self.hd // 2], x[..., self.hd // 2:]
        rot = torch.cat([-x2, x1], -1)
        return x * cos + rot * sin

    @torch.no_grad()
    def forward(self, ids, pos, mask=None):
        """Append len(ids) tokens at positions pos. mask: bool [m, L+m] (True = attend) or
        None (causal). Returns logits [m, V]."""
        w = self.w
        m = len(ids)
        L = self.kv_len()
        if mask is None:
            mask = torch.ones(m, L + m, dtype=torch.bool)
            mask[:, L:] = torch.ones(m, m, dtype=torch.bool).tril()
        add = torch.zeros(m, L + m).masked_fill_(~mask, NEG)
        pos_t = torch.tensor(pos)
        x = w["model.embed_tokens.weight"][torch.tensor(ids)]
        g = self.H // self.KVH
        for i in range(self.n_layers):
            p = f"model.layers.{i}."
            h = self.rms(x, p + "input_layernorm.weight")
            q = h @ w[p + "self_attn.q_proj.weight"].T + w.get(p + "self_attn.q_proj.bias", 0.0)  # Qwen2 has
            k = h @ w[p + "self_attn.k_proj.weight"].T + w.get(p + "self_attn.k_proj.bias", 0.0)  # biases,
            v = h @ w[p + "self_attn.v_proj.weight"].T + w.get(p + "self_attn.v_proj.bias", 0.0)  # Llama not
            q = self.rope(q.view(m, self.H, self.hd).transpose(0, 1), pos_t)
            k = self.rope(k.view(m, self.KVH, self.hd).transpose(0, 1), pos_t)
            v = v.view(m, self.KVH, self.hd).transpose(0, 1)
            self.K[i] = torch.cat([self.K[i], k], 1)
            self.V[i] = torch.cat([self.V[i], v], 1)
            kk = self.K[i].repeat_interleave(g, 0)
            vv = self.V[i].repeat_interleave(g, 0)
            s = (q @ kk.transpose(1, 2)) / math.sqrt(self.hd) + add
            probs = torch.softmax(s, -1)
            if self.h2o:
                self.h2o_accumulate(i, probs)
            a = probs @ vv
            a = a.transpose(0, 1).reshape(m, self.H * self.hd)
            x = x + a @ w[p + "self_attn.o_proj.weight"].T
            h = self.rms(x, p + "post_attention_layernorm.weight")
            gate = h @ w[p + "mlp.gate_proj.weight"].T
            up = h @ w[p + "mlp.up_proj.weight"].T
            x = x + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
        x = self.rms(x, "model.norm.weight")
        self.kv_ids += list(ids)
        self.kv_pos += list(pos)
        return x @ w["lm_head.weight"].T


def extract_boxed(text):
    """Content of the last \\boxed{...} (one level of nested braces), else 'error'."""
    i = text.rfind("\\boxed{")
    if i < 0:
        return "error"
    j = i + len("\\boxed{")
    depth = 1
    k = j
    while k < len(text):
        if text[k] == "{":
            depth += 1
        elif text[k] == "}":
            depth -= 1
            if depth == 0:
                return text[j:k].strip()
        k += 1
    return "error"


def generate(model, question, max_new=1200, system=None, trace=None, method=None, h2o=None):
    """Spec 5.2 loop. Returns a dict with ids, text, peak, etc. method: the model's own unless
    given; "h2o" needs h2o = (budget, recent)."""
    tok = model.tok
    gs = model.gs
    method = method or gs["method"]
    n = gs["output"]["n_token"]
    S = gs["output"]["step"]
    C = [tok.piece_id(gs["output"]["token_name"].replace("{t_id}", str(t))) for t in range(n)]
    anchor = C[0] if method == "anllm" else None
    model.reset(h2o if method == "h2o" else None)
    prompt = tok.encode(prompt_text(question, system or gs["system_prompt"]))
    P = len(prompt)
    logits = model.forward(prompt, list(range(P)))
    if trace is not None:
        trace.append(("prefill", prompt, list(range(P)), logits))
    if model.h2o:
        model.h2o_evict()                              # the prompt too, once it is over budget
    local_start, next_pos, peak = P, P, P
    dep = 0  # spec 7.3 as the engine counts it: the context each generated token is generated in
    tok_id = int(logits[-1].argmax())
    out = []
    gen = 0
    n_comp = 0
    since = 0  # token level: tokens generated since the last compression
    while tok_id != tok.eos and gen < max_new:
        dep += model.kv_len() + 1
        out.append(tok_id)
        since += 1
        comp = None
        if method == "lightthinker" and tok_id == tok.spl:
            block, comp = [tok_id] + C + [tok.cont], "lt"
        elif method == "lightthinker-token" and since == S:
            block, comp = [tok_id] + C + [tok.cont], "lt"
        elif method == "anllm" and tok_id == anchor:
            block, comp = [tok_id], "anllm"
        else:
            block = [tok_id]
        L = model.kv_len()
        m = len(block)
        pos = list(range(next_pos, next_pos + m))
        next_pos += m
        mask = torch.ones(m, L + m, dtype=torch.bool)
        mask[:, L:] = torch.ones(m, m, dtype=torch.bool).tril()
        if comp == "lt":
            mask[m - 1, local_start:L + 1] = False     # [o] cannot see the thought and SPL (5.3)
        elif comp == "anllm":
            mask[0, :local_start] = False              # see_current: anchor sees only its thought
        logits = model.forward(block, pos, mask)
        if trace is not None:
            trace.append((comp or "tok", block, pos, logits))
        peak = max(peak, model.kv_len())
        if model.h2o:
            model.h2o_evict()
        if comp == "lt":
            model.evict(local_start, L + 1)            # the thought and the splitter / chunk
            local_start = model.kv_len()
            n_comp += 1
            since = 0
        elif comp == "anllm":
            model.evict(local_start, L)                # the thought, not the anchor
            local_start = model.kv_len()
            n_comp += 1
        tok_id = int(logits[-1].argmax())
        gen += 1
    if tok_id == tok.eos:
        dep += model.kv_len() + 1
    out.append(tok_id)  # final EOS (or cut-off token): shown, never fed
    return {"prompt_len": P, "ids": out, "peak_kv": peak, "n_comp": n_comp,
            "final_kv": model.kv_len(), "max_pos": next_pos - 1, "dependency": dep}


def dependency(method, out_ids, P, tok, n, S):
    """Spec 7.3 intended formula (MemoSight fix: <|splitter|> and |C| = n_token)."""
    if method == "vanilla":
        Lo = len(out_ids)
        return P * Lo + Lo * (Lo + 1) // 2
    keep = 1 if method == "anllm" else n + 1
    trig = tok.piece_id("<|o_0|>") if method == "anllm" else tok.spl
    dep, cur, cache = 0, 0, 0
    for t in out_ids:
        cur += 1
        dep += P + cur + cache
        if (method == "lightthinker-token" and cur == S) or (method != "lightthinker-token" and t == trig):
            cur = 0
            cache += keep
    return dep


# make_data.py's thoughts: a step ends "Now <owner> has N <things>." and the next one starts
# "<label>: <Owner> has M <things>" (label "Day 3", "Monday", "Step 2"); the solution starts
# "At the end, <owner> has M". Owners may be several words ("Mr. Lee", "the twins": "have").
CARRY_END = re.compile(r"Now [\w. ]+? ha(?:s|ve) (\d+) [\w ]+\.")
CARRY_START = re.compile(r"(?:^\s*(?:Day \d+|Step \d+|[A-Z][a-z]+day): [\w. ]+? ha(?:s|ve) (\d+) )|"
                         r"(?:At the end, [\w. ]+? ha(?:s|ve) (\d+) )")


def carried(text):
    """(pairs, lost): value at the end of a day thought vs the value restated next."""
    segs = re.split(r"<\|splitter\|>|<\|o_0\|>|\n\n", text)
    pairs = lost = 0
    prev = None
    for s in segs:
        st = CARRY_START.search(s)
        if prev is not None and st:
            v = st.group(1) or st.group(2)
            pairs += 1
            lost += int(v != prev)
        en = CARRY_END.search(s)
        prev = en.group(1) if en else None
    return pairs, lost


def thoughts_of(method, ids, tok):
    """Lengths (tokens) of the model's thoughts, split at its own trigger token."""
    trig = {"lightthinker": tok.spl, "anllm": tok.piece_id("<|o_0|>")}.get(method, tok.nn)
    lens, cur = [], 0
    for t in ids:
        cur += 1
        if t == trig:
            lens.append(cur)
            cur = 0
    if cur > 1:
        lens.append(cur)
    return lens


def evaluate(model_dir, data, limit=0, json_out=None, max_new=1200, progress=True, method=None, h2o=None):
    model = Model(model_dir)
    tok = model.tok
    gs = model.gs
    method = method or gs["method"]
    items = load_jsonl(data)
    if limit:
        items = items[:limit]
    rows = []
    t0 = time.time()
    fo = open(json_out, "w") if json_out else None
    for k, it in enumerate(items):
        t1 = time.time()
        r = generate(model, it["question"], max_new=max_new, method=method, h2o=h2o)
        text = tok.decode(r["ids"])
        ans = extract_boxed(text)
        pairs, lost = carried(text)
        row = {"idx": k, "method": method, "gt_answer": it["answer"], "model_answer": ans,
               "correct": ans == it["answer"], "prompt_len": r["prompt_len"],
               "gen_tokens": len(r["ids"]), "peak_kv": r["peak_kv"], "final_kv": r["final_kv"], "n_comp": r["n_comp"],
               "dependency": r["dependency"] if method == "h2o" else
                             dependency(method, r["ids"], r["prompt_len"], tok, gs["output"]["n_token"], gs["output"]["step"]),
               "carried_pairs": pairs, "carried_lost": lost,
               "thought_lens": thoughts_of(method, r["ids"], tok),
               "n_steps": it.get("steps", len(it.get("thoughts", [])) - 2), "ids": r["ids"], "output": text,
               "seconds": round(time.time() - t1, 3)}
        rows.append(row)
        if fo:
            fo.write(json.dumps(row) + "\n")
            fo.flush()
        if progress and (k + 1) % 20 == 0:
            acc = sum(x["correct"] for x in rows) / len(rows)
            print(f"[{method}] {k+1}/{len(items)} acc {acc:.3f} {time.time()-t0:.0f}s", flush=True)
    return rows


def summary(rows):
    n = len(rows)
    tl = [l for r in rows for l in r["thought_lens"]]
    pairs = sum(r["carried_pairs"] for r in rows)
    return {"n": n, "accuracy": sum(r["correct"] for r in rows) / n,
            "mean_peak_kv": sum(r["peak_kv"] for r in rows) / n,
            "mean_dependency": sum(r["dependency"] for r in rows) / n,
            "mean_gen_tokens": sum(r["gen_tokens"] for r in rows) / n,
            "mean_thought_len": sum(tl) / max(1, len(tl)),
            "carried_pairs": pairs,
            "carried_lost_frac": sum(r["carried_lost"] for r in rows) / max(1, pairs),
            "mean_compressions": sum(r["n_comp"] for r in rows) / n}


def parity_check(model_dir, data, max_new=400):
    """Spec 6.8: decoder logits (real eviction) vs an HF full-sequence forward with the
    training mask of spec 4.2 / 8 over the same fed sequence and positions."""
    from transformers import Qwen2ForCausalLM
    from seqs import additive, build_mask
    model = Model(model_dir)
    it = load_jsonl(data)[0]
    trace = []
    r = generate(model, it["question"], max_new=max_new, trace=trace)
    seq, blocks, start, worst_rows = [], [], None, []
    for kind, ids, pos, lg in trace:
        assert pos[0] == len(seq)
        if kind == "prefill":
            start = len(ids)
        elif kind == "lt":
            e = pos[0] + 1
            n = len(ids) - 2
            blocks.append(dict(s=start, e=e, c0=e, c1=e + n, after=e + n, see_current=False))
            start = pos[-1] + 1
        elif kind == "anllm":
            blocks.append(dict(s=start, e=pos[0], c0=pos[0], c1=pos[0] + 1, after=pos[0] + 1,
                               see_current=True))
            start = pos[-1] + 1
        seq += ids
    hf = Qwen2ForCausalLM.from_pretrained(model_dir, torch_dtype=torch.float32,
                                          attn_implementation="eager").eval()
    Lq = len(seq)
    with torch.no_grad():
        full = hf(input_ids=torch.tensor([seq]), position_ids=torch.arange(Lq)[None],
                  attention_mask=additive(build_mask(Lq, blocks))[None, None]).logits[0]
    worst, agree = 0.0, True
    for kind, ids, pos, lg in trace:
        ref = full[pos[0]:pos[-1] + 1]
        worst = max(worst, (lg - ref).abs().max().item())
        agree &= bool((lg.argmax(-1) == ref.argmax(-1)).all())
    return {"method": model.gs["method"], "seq_len": Lq, "compressions": len(blocks),
            "generated": len(r["ids"]), "max_abs_logit_diff": worst, "argmax_agree": agree}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "resources", "datasets", "demo-test.jsonl"))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--json", default=None, help="write one JSON row per item here")
    ap.add_argument("--summary", default=None, help="write the summary JSON here")
    ap.add_argument("--max-new", type=int, default=1200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--method", default=None, help="the model's method (default) or h2o")
    ap.add_argument("--cache-size", type=int, default=1024, help="h2o: slots kept per layer and KV head")
    ap.add_argument("--h2o-recent", type=int, default=-1, help="h2o: recent window (default: half the budget)")
    ap.add_argument("--h2o-score", choices=["first", "group"], default="first",
                    help="h2o: a KV head's score from its group's first query head (HHCache) or all of them")
    ap.add_argument("--question", default=None, help="decode one question and print the text")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    h2o = None
    if args.method == "h2o":
        recent = args.h2o_recent if args.h2o_recent >= 0 else args.cache_size // 2
        if args.cache_size < 2 or not 0 <= recent < args.cache_size:
            ap.error(f"--cache-size {args.cache_size} must be at least 2 and above --h2o-recent {recent}")
        h2o = (args.cache_size, recent, args.h2o_score == "group")
    elif args.method not in (None, "vanilla", "lightthinker", "lightthinker-token", "anllm"):
        ap.error(f"--method {args.method}: expected h2o or the model's own method")
    if args.check:
        print(json.dumps(parity_check(args.model_dir, args.data)))
        return
    if args.question:
        m = Model(args.model_dir)
        r = generate(m, args.question, max_new=args.max_new, method=args.method, h2o=h2o)
        print(m.tok.decode(r["ids"]))
        print(json.dumps({k: v for k, v in r.items() if k != "ids"}))
        return
    rows = evaluate(args.model_dir, args.data, args.limit, args.json, args.max_new, method=args.method, h2o=h2o)
    s = summary(rows)
    print(json.dumps(s))
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(s, f, indent=1)


if __name__ == "__main__":
    main()
