#!/usr/bin/env python3
"""Loss curves of the SmolLM2 LoRA runs (issue 15): every runs/smollm2-*-r*/log.jsonl under RUNS.

  plot_lora.py RUNS_DIR [--out training/lora_loss_curves.png]

A resumed run logs the steps after its last checkpoint twice; the later entry of a step wins.
"""
import argparse
import glob
import json
import os


def read(log):
    by_step = {}
    for line in open(log):
        if line.strip():
            r = json.loads(line)
            by_step[r["step"]] = r["loss"]
    steps = sorted(by_step)
    return steps, [by_step[s] for s in steps]


def smooth(ys, k=10):
    return [sum(ys[max(0, i - k + 1):i + 1]) / len(ys[max(0, i - k + 1):i + 1]) for i in range(len(ys))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "lora_loss_curves.png"))
    a = ap.parse_args()
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 4.5))
    logs = sorted(glob.glob(os.path.join(a.runs, "smollm2-*-r*", "log.jsonl")))
    if not logs:
        raise SystemExit(f"plot_lora.py: no runs/smollm2-*-r*/log.jsonl under {a.runs}")
    for log in logs:
        name = os.path.basename(os.path.dirname(log))
        xs, ys = read(log)
        if not xs:  # a run that has not logged its first step yet
            continue
        ax.plot(xs, smooth(ys), label=f"{name} ({xs[-1]} steps)")
    ax.set_yscale("log")
    ax.set_xlabel("optimizer step (batch 4 problems, about 2,500 tokens)")
    ax.set_ylabel("train loss (10-step mean)")
    ax.set_title("SmolLM2-135M-Instruct LoRA: LightThinker against its vanilla twin")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    tmp = a.out + ".tmp.png"
    fig.savefig(tmp, dpi=110)
    os.replace(tmp, a.out)
    print(a.out)


if __name__ == "__main__":
    main()
