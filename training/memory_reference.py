#!/usr/bin/env python3
"""LightThinker++ reference controller and decode loop in plain PyTorch (spec 10, issue 14).

An independent implementation of what engine/src/memory/ does, for cross-checking the C++ engine
token for token:

  memory_reference.py MODEL_DIR --grammar memory_grammar.json [--data F] [--limit N]
                      [--max-new N] [--cli build/bin/gistscope-cli]

decodes every item greedily with the reference (reference_decoder.Model: an explicit KV cache),
runs `gistscope-cli generate --method lightthinker-pp` on the same prompt and compares the
generated ids, the actions and the metrics (peak visible tokens, dependency, re-prefilled tokens).

The rules, as docs/memory-grammar.md states them:
  * an action is open marker, content, close marker in the decoded text since the last action;
    the earliest open marker with a close after it wins (commit, expand, fold, final_answer in
    that order on a tie);
  * commit archives the current step (its text before the marker, the step's earlier text
    included) with the summary; expand / fold take a step number (digits, first_number based);
    refused actions are taken out, the text before them stays;
  * context = prompt + each step rendered and tokenized on its own + the current step's tokens;
  * after an action the KV cache keeps the longest common prefix of the old and the new context
    (at most all but the last token) and the rest is fed at positions kept, kept + 1, ...
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from common import load_jsonl, prompt_text  # noqa: E402
from reference_decoder import Model  # noqa: E402

ACTIONS = ["commit", "expand", "fold", "final_answer"]


def load_grammar(path):
    if path is None:
        return {"actions": {"commit": {"open": "<|commit|>", "close": "<|/commit|>"},
                            "expand": {"open": "<|expand|>", "close": "<|/expand|>"},
                            "fold": {"open": "<|fold|>", "close": "<|/fold|>"},
                            "final_answer": {"open": "<|answer|>", "close": "<|/answer|>"}},
                "render": {"archived": "<|summary|>{k}: {summary}<|/summary|>\n",
                           "active": "<|raw|>{k}: {raw}<|/raw|>\n"},
                "first_number": 1}
    with open(path) as f:
        g = json.load(f)
    g.setdefault("first_number", 1)
    return g


def trimmed(s):
    return s.strip(" \t\r\n")


class Controller:
    def __init__(self, grammar, sp, prompt):
        self.g, self.sp, self.prompt = grammar, sp, list(prompt)
        self.steps = []          # dicts: raw, summary, active
        self.tail, self.pending = [], []
        self.context = list(prompt)
        self.answer = None
        self.expand_allowed = True

    def encode(self, text):
        return self.sp.encode(text)

    def decode(self, ids):
        return self.sp.decode(ids)

    def render_step(self, i):
        s = self.steps[i]
        t = self.g["render"]["active" if s["active"] else "archived"]
        t = t.replace("{k}", str(i + self.g["first_number"]))
        key = "{raw}" if s["active"] else "{summary}"
        t = t.replace(key, s["raw"] if s["active"] else s["summary"], 1)
        return self.encode(t)

    def render(self):
        out = list(self.prompt)
        for i in range(len(self.steps)):
            out += self.render_step(i)
        return out + self.tail + self.pending

    def pending_prefix(self, chars, text):
        for n in range(len(self.pending), 0, -1):
            head = self.decode(self.pending[:n])
            if len(head.encode()) == chars and text.encode()[:chars] == head.encode():
                return self.pending[:n]
            if len(head.encode()) < chars:
                break
        return [] if chars == 0 else self.encode(text.encode()[:chars].decode())

    def on_token(self, tid):
        self.pending.append(tid)
        self.context.append(tid)
        text = self.decode(self.pending)
        b = text.encode()  # byte offsets, as the C++ side counts
        found, open_at, close_at = None, None, None
        for a in ACTIONS:
            m = self.g["actions"][a]
            o = b.find(m["open"].encode())
            if o < 0 or (open_at is not None and o >= open_at):
                continue
            c = b.find(m["close"].encode(), o + len(m["open"].encode()))
            if c < 0:
                continue
            found, open_at, close_at = a, o, c
        if found is None:
            return None
        m = self.g["actions"][found]
        content = trimmed(b[open_at + len(m["open"].encode()):close_at].decode())
        return self.apply(found, content, open_at, text)

    def apply(self, action, content, marker_at, text):
        u = {"action": action, "written": action, "content": content, "context_before": len(self.context), "error": ""}
        before = self.pending_prefix(marker_at, text)

        def refuse(why):
            u["action"] = "invalid"
            u["error"] = f"{action}: {why}"
            self.tail += before

        if action == "commit":
            raw = trimmed(self.decode(self.tail + before))
            if not content:
                refuse("the summary is empty")
            elif not raw:
                refuse("there is no reasoning since the last commit")
            else:
                self.steps.append({"raw": raw, "summary": content, "active": False})
                self.tail = []
        elif action == "expand" and not self.expand_allowed:
            refuse("expand is turned off for this run")
        elif action in ("expand", "fold"):
            want_active = action == "expand"
            K = len(self.steps)
            if not content or len(content) > 6 or not content.isdigit() or not content.isascii():
                refuse("not a step number")
            else:
                i = int(content) - self.g["first_number"]
                if i < 0 or i >= K:
                    refuse("does not exist")
                elif self.steps[i]["active"] == want_active:
                    refuse("already " + ("expanded" if want_active else "folded"))
                else:
                    self.steps[i]["active"] = want_active
                    self.tail += before
        else:
            if not content:
                refuse("the answer is empty")
            else:
                self.answer = content
                self.tail += before
        self.pending = []
        if self.answer is not None:
            u["context_after"] = u["first_changed"] = u["context_before"]
            return u
        new = self.render()
        same = 0
        while same < len(new) and same < len(self.context) and new[same] == self.context[same]:
            same += 1
        u["first_changed"] = same
        self.context = new
        u["context_after"] = len(new)
        return u


REFUSAL_LIMIT = 3  # the same refused action this many times in a row ends the run (engine: memory_refusal_limit)


@torch.no_grad()
def generate(model, grammar, question, max_new, expand=True):
    sp = model.tok.sp
    eos = sp.piece_to_id(model.gs.get("eos_token", "<|im_end|>"))
    prompt = model.tok.encode(prompt_text(question, model.gs["system_prompt"]))
    model.reset()
    ctl = Controller(grammar, sp, prompt)
    ctl.expand_allowed = expand
    last, refused_in_a_row = None, 0
    logits = model.forward(prompt, list(range(len(prompt))))
    peak = len(prompt)
    dep, reprefilled, chosen, actions = 0, 0, [], []
    while True:
        tid = int(torch.argmax(logits[-1]))
        if tid != eos and len(chosen) >= max_new:
            break
        visible = len(ctl.context)
        dep += visible + 1
        peak = max(peak, visible + 1)
        chosen.append(tid)
        if tid == eos:
            break
        u = ctl.on_token(tid)
        if u is None:
            logits = model.forward([tid], [visible])
        else:
            actions.append((u["action"], u["content"]))
            same = last == (u["written"], u["content"])
            refused_in_a_row = 0 if u["action"] != "invalid" else refused_in_a_row + 1 if same else 1
            last = (u["written"], u["content"])
            if ctl.answer is not None:
                break
            if refused_in_a_row >= REFUSAL_LIMIT:
                break
            kept = min(u["first_changed"], model.kv_len(), u["context_after"] - 1)
            model.evict(kept, model.kv_len())
            new = ctl.context[kept:]
            reprefilled += len(new)
            logits = model.forward(new, list(range(kept, kept + len(new))))
        peak = max(peak, model.kv_len())
    return {"ids": chosen, "peak": peak, "dependency": dep, "reprefilled": reprefilled, "actions": actions,
            "answer": ctl.answer}


def engine_run(cli, model_dir, grammar_path, question, max_new, expand=True):
    with tempfile.TemporaryDirectory() as tmp:
        trace = os.path.join(tmp, "t.jsonl")
        args = [cli, "generate", "--model", model_dir, "--prompt", question, "--chat", "--method", "lightthinker-pp",
                "--max-new-tokens", str(max_new), "--backend", "cpu", "--threads", "1", "--json", "--trace", trace]
        if grammar_path:
            args += ["--memory-grammar", grammar_path]
        if not expand:
            args.append("--memory-no-expand")
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        ids, actions, end = [], [], None
        for line in open(trace).read().splitlines()[1:]:
            e = json.loads(line)
            if e["type"] == "token" and e["step"] > 0:
                ids.append(e["id"])
            elif e["type"] == "memory":
                actions.append((e["action"], e["content"]))
            elif e["type"] == "end":
                end = e["metrics"]
        return {"ids": ids, "actions": actions, "peak": end["peak_tokens"], "dependency": end["dependency"],
                "reprefilled": end.get("memory", {}).get("reprefilled_tokens", 0)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--grammar", default=None, help="memory_grammar.json (default: the built-in grammar)")
    ap.add_argument("--data", default=os.path.join(here, "..", "resources", "datasets", "demo-test.jsonl"))
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--max-new", type=int, default=300)
    ap.add_argument("--cli", default=os.path.join(here, "..", "build", "bin", "gistscope-cli"))
    ap.add_argument("--no-expand", action="store_true", help="refuse every expand in both (--memory-no-expand)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    model = Model(a.model_dir)
    grammar = load_grammar(a.grammar)
    items = load_jsonl(a.data)[: a.limit]
    same = 0
    n_actions = 0
    kinds = {}
    for i, it in enumerate(items):
        ref = generate(model, grammar, it["question"], a.max_new, expand=not a.no_expand)
        eng = engine_run(a.cli, a.model_dir, a.grammar, it["question"], a.max_new, expand=not a.no_expand)
        n_actions += len(ref["actions"])
        for kind, _ in ref["actions"]:
            kinds[kind] = kinds.get(kind, 0) + 1
        ok = all(ref[k] == eng[k] for k in ("ids", "actions", "peak", "dependency", "reprefilled"))
        same += ok
        if not ok:
            at = next((j for j, (x, y) in enumerate(zip(ref["ids"], eng["ids"])) if x != y),
                      min(len(ref["ids"]), len(eng["ids"])))
            print(f"item {i}: differs (first id difference at {at}; "
                  + ", ".join(f"{k} {ref[k] if k != 'ids' else len(ref[k])} vs {eng[k] if k != 'ids' else len(eng[k])}"
                              for k in ("ids", "peak", "dependency", "reprefilled")) + ")", flush=True)
    print(f"{same} of {len(items)} items identical (ids, actions, peak, dependency, re-prefilled); "
          f"{n_actions} actions in the reference runs ("
          + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) + ")")
    return 0 if same == len(items) else 1


if __name__ == "__main__":
    sys.exit(main())
