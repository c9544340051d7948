#!/usr/bin/env python3
"""Summary of the LightThinker++ evaluation (issue 14's "Done when") from gistscope-cli eval results.

  eval_pp.py TEST.jsonl EVAL_DIR

EVAL_DIR holds lightthinker-pp.jsonl, vanilla-pp.jsonl and lightthinker-pp-no-expand.jsonl
(train_pp.sh writes them). Prints a Markdown table: accuracy on all items, on those with a
back-reference and on those without; mean peak visible tokens and its ratio to the vanilla twin
on the same items; and, on the back-reference items, how many runs made an expand and a fold the
engine accepted (the results' "memory" counts).
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from common import load_jsonl  # noqa: E402

RUNS = [("lightthinker-pp", "LightThinker++"), ("vanilla-pp", "vanilla twin"),
        ("lightthinker-pp-no-expand", "LightThinker++, expand disabled")]


def main():
    test, d = sys.argv[1], sys.argv[2]
    refs = [it["refs"] > 0 for it in load_jsonl(test)]
    res = {}
    for name, _ in RUNS:
        p = os.path.join(d, name + ".jsonl")
        if os.path.exists(p):
            res[name] = {r["index"]: r for r in load_jsonl(p)}
    common = sorted(set.intersection(*(set(r) for r in res.values()))) if res else []
    if not common:
        sys.exit(f"eval_pp.py: no item of {test} is in every results file of {d}")
    van_peak = sum(res["vanilla-pp"][i]["peak_tokens"] for i in common) if "vanilla-pp" in res else None
    print(f"{len(common)} items of {test} ({sum(refs[i] for i in common)} with a back-reference)\n")
    print("| run | accuracy | with back-reference | without | mean peak | peak / vanilla twin "
          "| back-reference items with an expand / a fold |")
    print("|---|---|---|---|---|---|---|")
    for name, label in RUNS:
        if name not in res:
            continue
        r = res[name]

        def acc(sel):
            sel = list(sel)
            return f"{100 * sum(r[i]['verdict'] == 'correct' for i in sel) / len(sel):.1f}% (n={len(sel)})" if sel else "-"
        peak = sum(r[i]["peak_tokens"] for i in common)
        ref_items = [i for i in common if refs[i]]
        exp = sum((r[i].get("memory") or {}).get("expands", 0) > 0 for i in ref_items)
        fold = sum((r[i].get("memory") or {}).get("folds", 0) > 0 for i in ref_items)
        ratio = f"{peak / van_peak:.3f}x" if van_peak else "-"
        print(f"| {label} | {acc(common)} | {acc(i for i in common if refs[i])} | {acc(i for i in common if not refs[i])} "
              f"| {peak / len(common):.1f} | {ratio} | {exp} / {fold} of {len(ref_items)} |")


if __name__ == "__main__":
    main()
