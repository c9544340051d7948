#!/usr/bin/env python3
"""The report table of issue 15 from `gistscope-cli eval` result files.

  lora_report.py LABEL=RESULTS.jsonl [LABEL=RESULTS.jsonl ...] [--vanilla LABEL]

One Markdown row per file: items, accuracy, mean peak KV, mean dependency (each also against the
--vanilla row of the same dataset), generated tokens, compressions, and "carried values lost":
of the thought pairs where one thought ends with "Now X has N" and the next restates X's count,
how many restate another number (reference_decoder.carried). For LightThinker every such pair
crosses a compression, so this is the gists' memory, apart from the arithmetic.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_decoder import carried  # noqa: E402


def stats(path):
    rows = [json.loads(l) for l in open(path) if l.strip()]
    if not rows:
        raise SystemExit(f"lora_report.py: {path} has no results")
    n = len(rows)
    pairs = lost = 0
    for r in rows:
        p, l = carried(r["output"])
        pairs, lost = pairs + p, lost + l
    return {"dataset": rows[0]["dataset"], "n": n,
            "acc": 100.0 * sum(r["verdict"] == "correct" for r in rows) / n,
            "peak": sum(r["peak_tokens"] for r in rows) / n, "dep": sum(r["dependency"] for r in rows) / n,
            "gen": sum(r["generated_tokens"] for r in rows) / n, "comp": sum(r["compressions"] for r in rows) / n,
            "eos": sum(r["stop_reason"] == "eos" for r in rows), "pairs": pairs, "lost": lost}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+", help="LABEL=RESULTS.jsonl")
    ap.add_argument("--vanilla", default=None, help="the label the ratios are against")
    a = ap.parse_args()
    res = []
    for spec in a.runs:
        label, _, path = spec.partition("=")
        res.append((label, stats(path)))
    base = {s["dataset"]: s for label, s in res if label == a.vanilla}
    print("| model | dataset | items | accuracy | mean peak KV | peak / vanilla | mean dependency | dep / vanilla "
          "| generated tokens | compressions | ended (EOS) | carried values lost |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, s in res:
        v = base.get(s["dataset"])
        ratio = (lambda k: f"{s[k] / v[k]:.2f}x") if v else (lambda k: "-")
        lost = f"{100.0 * s['lost'] / s['pairs']:.1f}% of {s['pairs']}" if s["pairs"] else "-"
        print(f"| {label} | {s['dataset']} | {s['n']} | {s['acc']:.1f}% | {s['peak']:.1f} | {ratio('peak')} | "
              f"{s['dep']:.0f} | {ratio('dep')} | {s['gen']:.1f} | {s['comp']:.2f} | {s['eos']} | {lost} |")


if __name__ == "__main__":
    main()
