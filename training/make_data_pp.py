#!/usr/bin/env python3
"""LightThinker++ trajectories: make_data.py problems with back-references, written in
GistScope's built-in memory grammar (docs/memory-grammar.md).

Usage: make_data_pp.py --seed S --count N --out FILE.jsonl [--ref-share 0.5] [--days 1-8]

Some changes are compound ("buys 3 bags with 7 apples in each"): the step's raw text works out
3 * 7 = 21, but its summary only keeps the count after the step. A later change may refer back
to it ("gives away as many apples as she bought on day 2"). The 21 is then only in the raw text
of day 2's step, so a correct trajectory expands that step, reads the number, folds it again and
goes on. Problems without back-references are plain make_data.py problems, one step per change.

Each JSONL line: {"question", "answer", "steps", "style", "refs", "segments", "thoughts",
"solution"} where segments is the trajectory as the model writes it, one entry per action:
  {"text": raw text written before the action, "action": "commit" | "expand" | "fold" |
   "final_answer", "content": summary / step number / answer}
The step numbering of expand / fold follows the grammar (first_number 1): step 1 is the
restatement, step i + 1 the i-th change.

"thoughts" and "solution" are the same reasoning as a vanilla model writes it (make_data.py's
format: thoughts joined by a blank line, \boxed{} answer, <|end_of_solution|>): every step stays
in the context, so a back-reference reads the earlier step directly ("I need the number from day
2. On day 2 she bought 21 apples.") instead of expanding it. train.py --method vanilla on the
same file trains the vanilla twin on the same problems.
"""
import argparse
import json
import os
import random

import make_data as md

COMMIT = ("<|commit|>", "<|/commit|>")
EXPAND = ("<|expand|>", "<|/expand|>")
FOLD = ("<|fold|>", "<|/fold|>")
ANSWER = ("<|answer|>", "<|/answer|>")

CONTAINERS = ["bags", "boxes", "packs", "baskets", "crates", "jars"]


def compound_phrase(rng, n, each, thing, pron):
    c = rng.choice(CONTAINERS)
    return rng.choice([f"buys {n} {c} with {each} {thing} in each",
                       f"gets {n} {c} of {each} {thing} each"]), c


def make_problem(rng, want_ref, days=(1, 8)):
    """A problem whose changes are +, -, *, / and compound buys; with want_ref, one later change
    refers back to an earlier compound buy. days: the range of the number of changes (at least 3
    with a back-reference)."""
    owner = rng.choice([o for o, p in md.OWNERS.items() if p in ("he", "she")])
    pron = md.OWNERS[owner]
    thing, kind = rng.choice([t for t in md.THINGS if t[1] in ("object", "food")])
    k = rng.randint(max(3, days[0]), days[1]) if want_ref else rng.randint(days[0], days[1])
    x = rng.randint(10, 99) if rng.random() < 0.35 else rng.randint(100, 400)
    start = x
    steps = []
    ref_from = None
    compound_at = rng.randint(1, k - 1) if want_ref else (rng.randint(1, k) if rng.random() < 0.3 else None)
    ref_at = rng.randint(compound_at + 1, k) if want_ref else None
    for i in range(1, k + 1):
        if i == compound_at and x <= md.MAXV - 20:
            n = rng.randint(2, 9)
            each = rng.randint(2, max(2, min(60, (md.MAXV - x) // n)))
            bought = n * each
            phrase, c = compound_phrase(rng, n, each, thing, pron)
            e1, _ = md.explain_mul(each, n)
            e2, y = md.explain_add(x, bought)
            steps.append(dict(i=i, op="compound", v=bought, before=x, after=y, phrase=phrase,
                              expl=f"{n} {c} of {each} is {each} * {n}. {e1} So {pron} buys {bought} {thing}. "
                                   f"So I add. {e2}", bought=bought))
            ref_from = i
        elif i == ref_at and ref_from is not None:
            bought = steps[ref_from - 1]["bought"]
            if x > bought + 1:
                op, phrase = "ref-sub", f"gives away as many {thing} as {pron} bought on day {ref_from}"
                e, y = md.explain_sub(x, bought)
            else:
                op, phrase = "ref-add", f"buys as many {thing} again as {pron} bought on day {ref_from}"
                e, y = md.explain_add(x, bought)
            if y > md.MAXV or y < 1:
                op, phrase = "ref-sub", f"gives away as many {thing} as {pron} bought on day {ref_from}"
                e, y = md.explain_sub(x, min(bought, x - 1))
            steps.append(dict(i=i, op=op, v=bought, before=x, after=y, phrase=phrase, expl=e, ref=ref_from))
        else:
            op, v = md.choose_op(rng, x)
            e, y = {"add": md.explain_add, "sub": md.explain_sub, "mul": md.explain_mul, "div": md.explain_div}[op](x, v)
            steps.append(dict(i=i, op=op, v=v, before=x, after=y, phrase=md.event_phrase(rng, op, v, thing, kind, pron),
                              expl=f"{md.reason_text(op, v, '')} {e}"))
        x = steps[-1]["after"]
        assert 1 <= x <= md.MAXV, steps[-1]
    answer = x
    O = md.cap(owner)
    question = (f"{O} has {start} {thing}. " + " ".join(f"On day {s['i']} {pron} {s['phrase']}." for s in steps) +
                f" How many {thing} does {owner} have after day {k}?")

    days = "day" if k == 1 else "days"
    segments = [{"text": f"<|begin_of_thought|> Okay, let's see. The question is about {owner} and {md.POSS[pron]} "
                         f"{thing}. {O} starts with {start} {thing}. Then the count changes on each of {k} {days}, "
                         f"and I need the count at the end. I will go day by day and keep track of the count.",
                 "action": "commit", "content": f"{O} starts with {start} {thing}, {k} {days}."}]
    for s in steps:
        head = f"Day {s['i']}: {O} has {s['before']} {thing}, and on day {s['i']} {pron} {s['phrase']}."
        if "ref" in s:
            j = s["ref"] + 1  # the step number of that day's thought
            segments.append({"text": f"{head} I need the number from day {s['ref']}, so I open step {j}.",
                             "action": "expand", "content": str(j)})
            segments.append({"text": f" On day {s['ref']} {pron} bought {s['v']} {thing}.",
                             "action": "fold", "content": str(j)})
            verb = "subtract" if s["op"] == "ref-sub" else "add"
            body = f" So {pron} {'gives away' if verb == 'subtract' else 'buys'} {s['v']} {thing}. So I {verb}. {s['expl']}"
            segments.append({"text": body + f" Now {owner} has {s['after']} {thing}.", "action": "commit",
                             "content": f"{O} has {s['after']} {thing}."})
        else:
            segments.append({"text": f"{head} {s['expl']} Now {owner} has {s['after']} {thing}.", "action": "commit",
                             "content": f"{O} has {s['after']} {thing}."})
    segments.append({"text": f"<|end_of_thought|> <|begin_of_solution|> At the end, {owner} has {answer} {thing}. "
                             f"The answer is \\boxed{{{answer}}}", "action": "final_answer", "content": str(answer)})
    thoughts = vanilla_thoughts(segments)
    return {"question": question, "answer": str(answer), "steps": k, "style": "day",
            "refs": sum(1 for s in steps if "ref" in s), "segments": segments,
            "thoughts": thoughts, "solution": "\n\n".join(thoughts)}


def vanilla_thoughts(segments):
    """The trajectory without actions, one thought per committed step: a back-reference keeps
    "I need the number from day d." and the number read back, without opening a step."""
    thoughts, cur = [], ""
    for s in segments:
        text = s["text"]
        if s["action"] == "expand":
            text = text[:text.rindex(", so I open step")] + "."
        cur += text
        if s["action"] == "commit":
            thoughts.append(cur)
            cur = ""
        elif s["action"] == "final_answer":
            thoughts.append(cur + " <|end_of_solution|>")
    return thoughts


def trajectory_text(item):
    """The whole output as the model writes it, actions included."""
    marks = {"commit": COMMIT, "expand": EXPAND, "fold": FOLD, "final_answer": ANSWER}
    return "".join(s["text"] + marks[s["action"]][0] + s["content"] + marks[s["action"]][1] for s in item["segments"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--ref-share", type=float, default=0.5, help="share of problems with a back-reference")
    ap.add_argument("--days", default="1-8", help="number of changes, LO-HI (default 1-8)")
    args = ap.parse_args()
    try:
        lo, hi = (int(x) for x in args.days.split("-"))
        if not 1 <= lo <= hi or hi < 3:
            raise ValueError
    except ValueError:
        ap.error(f"--days: {args.days!r}, expected LO-HI with 1 <= LO <= HI and HI >= 3, e.g. 4-8")
    rng = random.Random(args.seed)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        for _ in range(args.count):
            f.write(json.dumps(make_problem(rng, rng.random() < args.ref_share, (lo, hi))) + "\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
