#!/usr/bin/env python3
"""Evaluate the installed demo models with the reference decoder and write the README table.

  eval_all.py [--models resources/models] [--test resources/datasets/demo-test.jsonl]
              [--other data/other-seed.jsonl] [--out eval/] [--only vanilla,lightthinker]

Writes eval/<name>-test.jsonl (per item, ids included), eval/<name>-test.summary.json,
eval/<name>-other.summary.json, eval/table.md and loss_curves.png.
"""
import argparse
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import torch  # noqa: E402

from reference_decoder import evaluate, summary  # noqa: E402

ORDER = ["vanilla", "lightthinker", "anllm", "lightthinker-token"]


def plot_losses(runs_dir, out_png):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 4.5))

    def read(name):
        p = os.path.join(runs_dir, name, "log.jsonl")
        if not os.path.exists(p):
            return [], []
        rows = [json.loads(l) for l in open(p)]
        return [r["step"] for r in rows], [r["loss"] for r in rows]

    def smooth(ys, k=20):
        return [sum(ys[max(0, i - k + 1):i + 1]) / len(ys[max(0, i - k + 1):i + 1]) for i in range(len(ys))]

    bx, by = read("vanilla")
    base = bx[-1] if bx else 0
    fx, fy = read("vanilla-ft")
    ax.plot(bx + [base + x for x in fx], smooth(by) + smooth(fy), label="demo-vanilla (base, then 2nd phase)")
    for name in ORDER[1:]:
        xs, ys = read(name)
        if xs:
            ax.plot([base + x for x in xs], smooth(ys), label=f"demo-{name} (from base step {base})")
    ax.set_yscale("log")
    ax.set_xlabel("optimizer step (batch 16)")
    ax.set_ylabel("train loss (20-step mean)")
    ax.set_title("GistScope demo models (compressed variants fine-tuned from demo-vanilla)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)


def table(res):
    van = res.get("vanilla", {}).get("test")
    lines = ["| model | accuracy (demo-test) | accuracy (other seed) | mean peak KV | peak / vanilla | "
             "mean dependency | dep / vanilla | mean generated tokens | mean thought length (tokens) | "
             "compressions / item | carried values lost |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in ORDER:
        if name not in res:
            continue
        t = res[name]["test"]
        o = res[name].get("other")
        pr = f"{t['mean_peak_kv'] / van['mean_peak_kv']:.2f}x" if van else "-"
        dr = f"{t['mean_dependency'] / van['mean_dependency']:.2f}x" if van else "-"
        oa = f"{100 * o['accuracy']:.1f}% (n={o['n']})" if o else "-"
        lines.append(
            f"| demo-{name} | {100 * t['accuracy']:.1f}% (n={t['n']}) | "
            f"{oa} | {t['mean_peak_kv']:.1f} | {pr} | "
            f"{t['mean_dependency']:.0f} | {dr} | {t['mean_gen_tokens']:.1f} | {t['mean_thought_len']:.1f} | "
            f"{t['mean_compressions']:.2f} | {100 * t['carried_lost_frac']:.2f}% of {t['carried_pairs']} |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default=os.path.join(HERE, "..", "resources", "models"))
    ap.add_argument("--test", default=os.path.join(HERE, "..", "resources", "datasets", "demo-test.jsonl"))
    ap.add_argument("--other", default=os.path.join(HERE, "data", "other-seed.jsonl"))
    ap.add_argument("--out", default=os.path.join(HERE, "eval"))
    ap.add_argument("--runs", default=os.path.join(HERE, "runs"))
    ap.add_argument("--only", default="")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--other-limit", type=int, default=100)
    ap.add_argument("--skip-existing", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    only = [x for x in args.only.split(",") if x]
    for name in ORDER:
        d = os.path.join(args.models, f"demo-{name}")
        if not os.path.isdir(d) or (only and name not in only):
            continue
        for split, data, lim in (("test", args.test, args.limit), ("other", args.other, args.other_limit)):
            sp = os.path.join(args.out, f"{name}-{split}.summary.json")
            if args.skip_existing and os.path.exists(sp):
                continue
            if not os.path.exists(data):
                continue
            rows = evaluate(d, data, lim, os.path.join(args.out, f"{name}-{split}.jsonl"))
            s = summary(rows)
            s["model"] = f"demo-{name}"
            s["data"] = os.path.basename(data)
            with open(sp, "w") as f:
                json.dump(s, f, indent=1)
            print(name, split, json.dumps(s), flush=True)
    res = {}
    for p in glob.glob(os.path.join(args.out, "*.summary.json")):
        base = os.path.basename(p)[:-len(".summary.json")]
        name, split = base.rsplit("-", 1)
        res.setdefault(name, {})[split] = json.load(open(p))
    with open(os.path.join(args.out, "table.md"), "w") as f:
        f.write(table(res))
    print(table(res))
    if os.path.isdir(args.runs):
        plot_losses(args.runs, os.path.join(HERE, "loss_curves.png"))


if __name__ == "__main__":
    main()
