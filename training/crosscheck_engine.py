#!/usr/bin/env python3
"""Cross-check the C++ engine against the PyTorch reference decoder, token for token.

  crosscheck_engine.py MODEL_DIR [--method M] [--limit N] [--cli build/bin/gistscope-cli]
                       [--write-fixture tests/fixtures/demo --fixture-items 10]

Runs reference_decoder.py (real KV cache, real eviction, greedy) and `gistscope-cli generate
--trace` on the same demo-test items and compares the generated ids of every item. Prints how
many items are token-identical, and for the others where they diverge. With --write-fixture it
also stores the reference's ids (and the logits of one prompt) so the C++ tests can repeat the
comparison without Python.

Keep --max-new above the items' lengths (the default 1200 is): a run cut by the budget is not
comparable, since reference_decoder.py stops one token later than the engine's --max-new-tokens.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)


def engine_ids(trace_path):
    """A `generate --trace` file's model-chosen ids (forced gist / continue tokens left out, the
    final EOS kept, as reference_decoder.py lists them) and its end metrics."""
    ids, end = [], {}
    for line in open(trace_path).read().splitlines()[1:]:
        e = json.loads(line)
        if e["type"] == "token" and e["step"] > 0 and not e.get("forced", False):
            ids.append(e["id"])
        elif e["type"] == "end":
            end = e["metrics"]
    return ids, end


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("--method", default=None, help="engine method (default: the model's gistscope.json)")
    ap.add_argument("--limit", type=int, default=200)
    ap.add_argument("--max-new", type=int, default=1200)
    ap.add_argument("--data", default=os.path.join(root, "resources", "datasets", "demo-test.jsonl"))
    ap.add_argument("--cli", default=os.path.join(root, "build", "bin", "gistscope-cli"))
    ap.add_argument("--write-fixture", default=None)
    ap.add_argument("--fixture-items", type=int, default=10)
    a = ap.parse_args()

    with open(os.path.join(a.model_dir, "gistscope.json")) as f:
        method = a.method or json.load(f)["method"]
    tmp = tempfile.mkdtemp()
    ref_out, cpp_out = os.path.join(tmp, "ref.jsonl"), os.path.join(tmp, "cpp.jsonl")
    subprocess.run([sys.executable, os.path.join(here, "reference_decoder.py"), a.model_dir, "--data", a.data,
                    "--limit", str(a.limit), "--max-new", str(a.max_new), "--json", ref_out], check=True,
                   stdout=subprocess.DEVNULL)
    # The engine, item by item through `generate --trace`.
    items = [json.loads(l) for l in open(a.data) if l.strip()][: a.limit]
    with open(cpp_out, "w") as fo:
        for k, it in enumerate(items):
            trace = os.path.join(tmp, f"t{k}.jsonl")
            subprocess.run([a.cli, "generate", "--model", a.model_dir, "--prompt", it["question"], "--chat",
                            "--method", method, "--max-new-tokens", str(a.max_new), "--backend", "cpu",
                            "--threads", "1", "--json", "--trace", trace], check=True, stdout=subprocess.DEVNULL)
            ids, end = engine_ids(trace)
            fo.write(json.dumps({"idx": k, "ids": ids, "dependency": end.get("dependency")}) + "\n")
    ref = [json.loads(l) for l in open(ref_out)]
    cpp = [json.loads(l) for l in open(cpp_out)]
    same, diffs = 0, []
    for r, c in zip(ref, cpp):
        if r["ids"] == c["ids"]:
            same += 1
            continue
        at = next((i for i, (x, y) in enumerate(zip(r["ids"], c["ids"])) if x != y), min(len(r["ids"]), len(c["ids"])))
        diffs.append((r["idx"], at, len(r["ids"]), len(c["ids"])))
    print(f"{os.path.basename(os.path.normpath(a.model_dir))} ({method}): {same} of {len(ref)} items token-identical")
    for idx, at, lr, lc in diffs:
        print(f"  item {idx}: first difference at generated token {at} (reference {lr} tokens, engine {lc})")
    dep_same = sum(1 for r, c in zip(ref, cpp) if r["ids"] == c["ids"] and r["dependency"] == c["dependency"])
    print(f"  dependency equal on {dep_same} of the {same} identical items")

    if a.write_fixture:
        os.makedirs(a.write_fixture, exist_ok=True)
        name = os.path.basename(os.path.normpath(a.model_dir))
        with open(os.path.join(a.write_fixture, f"{name}.{method}.reference.jsonl"), "w") as f:
            for r in ref[: a.fixture_items]:
                f.write(json.dumps({"idx": r["idx"], "ids": r["ids"], "dependency": r["dependency"],
                                    "n_comp": r["n_comp"], "answer": r["model_answer"]}) + "\n")
    return 0 if same == len(ref) else 1


if __name__ == "__main__":
    sys.exit(main())
