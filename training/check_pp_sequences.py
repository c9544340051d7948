#!/usr/bin/env python3
"""Check the LightThinker++ training sequences against docs/memory-grammar.md, and fail loudly.

  check_pp_sequences.py DATA.jsonl --tok TOK_DIR [--grammar memory_grammar.json] [--limit N]

train.py builds the sequences with the reference controller (seqs.pp_segments drives
memory_reference.Controller token by token). This check rebuilds every context from the
trajectory's meaning alone, as the grammar document states it, without the controller:

  context before segment j = prompt
                           + each committed step's template (archived: {summary}, active: {raw}),
                             tokenized on its own
                           + the text tokens of the current step's segments so far
  raw of a step            = the text of its segments, actions taken out, trimmed

and requires, for every segment: ids == context + segment tokens, labels only on the segment,
the segment's tokens = its text's tokens, then the action's. It also checks the data itself: every
fold follows an expand of the same step, and the number a fold segment reads ("bought 162") is in
the expanded step's raw text; how often a summary holds the same number by coincidence (a running
count equal to it) is reported, and the mean peak visible context of a model that writes exactly
these trajectories, against the vanilla twin's solutions (the best ratio training can aim at).
Exit code 1 and the first difference on failure.
"""
import argparse
import os
import re
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from common import Tok, load_jsonl, prompt_text  # noqa: E402
from memory_reference import load_grammar  # noqa: E402
from seqs import IGNORE, build_examples, memory_markup  # noqa: E402


def fail(msg):
    print(f"check_pp_sequences: FAILED: {msg}", file=sys.stderr)
    sys.exit(1)


def first_difference(a, b):
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def check_item(n, item, tok, g, coincidences, peaks):
    examples = build_examples("lightthinker-pp", item, tok, g)
    segs = item["segments"]
    if len(examples) != len(segs):
        fail(f"item {n}: {len(examples)} sequences for {len(segs)} segments")
    prompt = tok.encode(prompt_text(item["question"]))
    steps = []          # [raw, summary, active]
    tail_text, tail_ids = "", []
    last_expand = None
    for j, (seg, (ids, labels, blocks)) in enumerate(zip(segs, examples)):
        rendered = []
        for i, (raw, summary, active) in enumerate(steps):
            t = g["render"]["active" if active else "archived"].replace("{k}", str(i + g["first_number"]))
            rendered += tok.encode(t.replace("{raw}", raw) if active else t.replace("{summary}", summary))
        context = prompt + rendered + tail_ids
        text_ids = tok.encode(seg["text"])
        seg_ids = tok.encode(seg["text"] + memory_markup(g, seg["action"], seg["content"]))
        if seg_ids[:len(text_ids)] != text_ids:
            fail(f"item {n} segment {j}: the text's tokens change when the action follows it")
        if ids != context + seg_ids:
            at = first_difference(ids, context + seg_ids)
            fail(f"item {n} segment {j} ({seg['action']}): sequence differs at token {at}:\n"
                 f"  train.py: {tok.decode(ids[max(0, at - 20):at + 20])!r}\n"
                 f"  expected: {tok.decode((context + seg_ids)[max(0, at - 20):at + 20])!r}")
        if labels != [IGNORE] * len(context) + seg_ids or blocks:
            fail(f"item {n} segment {j}: labels are not exactly the segment's tokens (or a mask block is set)")
        a, c = seg["action"], seg["content"]
        if a == "fold":
            if last_expand != c:
                fail(f"item {n} segment {j}: fold {c} without expand {c} right before it")
            number = re.search(r"bought (\d+)", seg["text"])
            k = int(c) - g["first_number"]
            if not number or not re.search(rf"\b{number[1]}\b", steps[k][0]):
                fail(f"item {n} segment {j}: the number read back is not in step {c}'s raw text")
            if any(re.search(rf"\b{number[1]}\b", s[1]) for s in steps):
                coincidences[0] += 1  # a running count that happens to equal it
        last_expand = c if a == "expand" else None
        if a == "commit":
            steps.append([(tail_text + seg["text"]).strip(" \t\r\n"), c, False])
            tail_text, tail_ids = "", []
        elif a in ("expand", "fold"):
            steps[int(c) - g["first_number"]][2] = a == "expand"
            tail_text += seg["text"]
            tail_ids += text_ids
        elif j != len(segs) - 1:
            fail(f"item {n}: final_answer before the last segment")
    # Peak visible tokens of a decode that writes exactly this trajectory (the engine's peak: the
    # context plus the token being written, at its largest), and of the vanilla twin's solution.
    peaks[0] += max(len(ids) for ids, _, _ in examples)
    peaks[1] += len(build_examples("vanilla", item, tok)[0][0])
    return len(examples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--tok", required=True)
    ap.add_argument("--grammar", default=None)
    ap.add_argument("--limit", type=int, default=50)
    a = ap.parse_args()
    tok = Tok(a.tok)
    g = load_grammar(a.grammar)
    items = load_jsonl(a.data)[:a.limit]
    coincidences, peaks = [0], [0, 0]
    n_seq = sum(check_item(n, it, tok, g, coincidences, peaks) for n, it in enumerate(items))
    refs = sum(1 for it in items if it["refs"])
    print(f"check_pp_sequences: {len(items)} trajectories ({refs} with a back-reference), {n_seq} sequences: "
          f"contexts equal the grammar's rendering, labels only on the segments; {coincidences[0]} of "
          f"{sum(it['refs'] for it in items)} numbers read back also stand in a summary by coincidence")
    print(f"check_pp_sequences: written exactly as trained, mean peak visible tokens {peaks[0] / len(items):.1f} "
          f"(LightThinker++) vs {peaks[1] / len(items):.1f} (vanilla twin, prompt + solution + EOS): "
          f"{peaks[0] / peaks[1]:.3f}x")


if __name__ == "__main__":
    main()
