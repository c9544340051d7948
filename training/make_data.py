#!/usr/bin/env python3
"""Synthetic multi-step word problems with verbose, R1-style thoughts.

Usage: make_data.py --seed S --count N --out FILE.jsonl

Standard library only. Every problem follows one person's stock of one kind of
item over 4-8 days; on each day the stock is bought (add), sold / given away
(subtract), grouped into equal groups of which one is kept (divide by 2-9) or
multiplied (buys k-1 more sets of the same size). All intermediate values are
integers in [1, 999].

Each JSONL line: {"question", "answer", "thoughts": [...], "solution"} where
solution == "\n\n".join(thoughts) and ends with \\boxed{N} ... <|end_of_solution|>.

Thought format (kept deliberately regular so a ~2M-parameter model can learn it):
  * thought 0 restates the problem,
  * thought i (1..K) names the day, restates the carried value, does the
    arithmetic column by column (right to left for + - *, left to right for /)
    and ends by restating the new value,
  * the last thought gives the solution with \\boxed{}.
"""
import argparse
import json
import random

NAMES = ["Tom", "Ana", "Ben", "Mia", "Leo", "Zoe", "Sam", "Eva", "Max", "Ivy",
         "Jack", "Lily", "Noah", "Emma", "Owen", "Ruby", "Finn", "Cora", "Hugo", "Nina"]
ITEMS = ["apples", "pencils", "marbles", "stickers", "cards", "coins", "books", "shells",
         "cookies", "stamps", "beads", "eggs", "buttons", "candies", "toys", "flowers"]
POSS = {"he": "his", "she": "her"}
PRONOUN = {"Tom": "he", "Ben": "he", "Leo": "he", "Sam": "he", "Max": "he", "Jack": "he",
           "Noah": "he", "Owen": "he", "Finn": "he", "Hugo": "he"}

MAXV = 999


def digits(n):
    return [int(c) for c in str(n)]


def explain_add(a, b):
    s = a + b
    da, db = digits(a)[::-1], digits(b)[::-1]
    cols = max(len(da), len(db))
    parts, carry = [], 0
    for i in range(cols):
        x = da[i] if i < len(da) else 0
        y = db[i] if i < len(db) else 0
        t = x + y + carry
        expr = f"{x} + {y}" + (" + 1" if carry else "")
        if t >= 10:
            parts.append(f"{expr} = {t}, carry 1.")
            carry = 1
        else:
            parts.append(f"{expr} = {t}.")
            carry = 0
    return f"{a} + {b}: " + " ".join(parts), s


def explain_sub(a, b):
    s = a - b
    da, db = digits(a)[::-1], digits(b)[::-1]
    parts, borrow = [], 0
    for i in range(len(da)):
        x = da[i]
        y = db[i] if i < len(db) else 0
        t = x - y - borrow
        tail = f" - {y}" + (" - 1" if borrow else "")
        if t < 0:
            parts.append(f"{x + 10}{tail} = {t + 10}, borrow 1.")
            borrow = 1
        else:
            parts.append(f"{x}{tail} = {t}.")
            borrow = 0
    return f"{a} - {b}: " + " ".join(parts), s


def explain_mul(a, k):
    s = a * k
    da = digits(a)[::-1]
    parts, carry = [], 0
    for x in da:
        t = x * k + carry
        expr = f"{x} * {k}" + (f" + {carry}" if carry else "")
        if t >= 10:
            parts.append(f"{expr} = {t}, carry {t // 10}.")
            carry = t // 10
        else:
            parts.append(f"{expr} = {t}.")
            carry = 0
    return f"{a} * {k}: " + " ".join(parts), s


def explain_div(a, k):
    s = a // k
    parts, r = [], 0
    for x in digits(a):
        cur = r * 10 + x
        q, r = divmod(cur, k)
        parts.append(f"{cur} / {k} = {q} rest {r}.")
    return f"{a} / {k}: " + " ".join(parts), s


def choose_op(rng, x):
    """Pick an operation that keeps the value in [1, MAXV]."""
    ops = []
    if x <= MAXV - 10:
        ops += ["add"] * 3
    if x >= 12:
        ops += ["sub"] * 3
    if x * 2 <= MAXV:
        ops += ["mul"] * 2
    divs = [k for k in range(2, 10) if x % k == 0 and x // k >= 5]
    if divs:
        ops += ["div"] * 2
    op = rng.choice(ops)
    if op == "add":
        hi = min(MAXV - x, 500)
        return op, rng.randint(5, hi)
    if op == "sub":
        return op, rng.randint(2, x - 5) if x - 5 >= 2 else 2
    if op == "mul":
        kmax = min(9, MAXV // x)
        return op, rng.randint(2, kmax)
    return op, rng.choice(divs)


def event_text(rng, op, v, item, pron):
    if op == "add":
        verb = rng.choice(["buys", "finds", "gets"])
        return f"{verb} {v} more {item}"
    if op == "sub":
        verb = rng.choice(["sells", "gives away", "uses"])
        return f"{verb} {v} {item}"
    if op == "mul":
        return f"buys more until {pron} has {v} times as many {item}"
    return f"puts the {item} into {v} equal groups and keeps one group"


def reason_text(op, v):
    if op == "add":
        return "So I add."
    if op == "sub":
        return "So I subtract."
    if op == "mul":
        return f"So I multiply by {v}."
    return f"So I divide by {v}."


def make_problem(rng):
    name = rng.choice(NAMES)
    item = rng.choice(ITEMS)
    pron = PRONOUN.get(name, "she")
    k = rng.choices([4, 5, 6, 7, 8], weights=[2, 3, 4, 3, 3])[0]
    # start value: mixture of 2- and 3-digit numbers
    x = rng.randint(10, 99) if rng.random() < 0.3 else rng.randint(100, 600)
    start = x
    steps = []
    for d in range(1, k + 1):
        op, v = choose_op(rng, x)
        if op == "add":
            expl, y = explain_add(x, v)
        elif op == "sub":
            expl, y = explain_sub(x, v)
        elif op == "mul":
            expl, y = explain_mul(x, v)
        else:
            expl, y = explain_div(x, v)
        assert 1 <= y <= MAXV, (x, op, v, y)
        steps.append((d, op, v, x, y, expl, event_text(rng, op, v, item, pron)))
        x = y
    answer = x
    q = [f"{name} has {start} {item}."]
    for d, op, v, _, _, _, ev in steps:
        q.append(f"On day {d} {pron} {ev}.")
    q.append(f"How many {item} does {name} have after day {k}?")
    question = " ".join(q)

    thoughts = [
        f"<|begin_of_thought|> Okay, let's see. The question is about {name} and {POSS[pron]} {item}. "
        f"{name} starts with {start} {item}. Then the count changes on each of {k} days, "
        f"and I need the count after day {k}. I will go day by day and keep track of the count."
    ]
    for d, op, v, a, y, expl, ev in steps:
        thoughts.append(
            f"Day {d}: {name} has {a} {item}, and on day {d} {pron} {ev}. {reason_text(op, v)} "
            f"{expl} Now {name} has {y} {item} after day {d}."
        )
    thoughts.append(
        f"<|end_of_thought|> <|begin_of_solution|> After day {k}, {name} has {answer} {item}. "
        f"The answer is \\boxed{{{answer}}} <|end_of_solution|>"
    )
    return {"question": question, "answer": str(answer), "thoughts": thoughts,
            "solution": "\n\n".join(thoughts)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w") as f:
        for _ in range(args.count):
            f.write(json.dumps(make_problem(rng)) + "\n")


if __name__ == "__main__":
    main()
