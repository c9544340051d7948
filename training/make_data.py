#!/usr/bin/env python3
"""Synthetic multi-step word problems with verbose, R1-style thoughts.

Usage: make_data.py --seed S --count N --out FILE.jsonl [--stats]

Standard library only. A problem follows one owner's stock of one kind of thing
through 1 to 8 changes. A change adds (buys, finds, earns, ...), subtracts
(sells, gives away, spends, eats, ...), multiplies ("buys more until she has 3
times as many", "doubles") or divides ("puts them into 4 equal groups and keeps
one group", "shares them equally with 2 friends", "gives away half"). All values
are integers in [1, 999] and every division is exact.

The problems are written the way people type them, not in one template: the
changes happen on numbered days, on weekdays, in the morning / at noon / in the
evening, or just one after another ("Then ...", "After that ..."), or all in one
sentence joined by "and"; the start may come first or inside the question; the
question is asked in many ways ("How many ... now?", "How many are left?",
"How many?"); owners are people (she / he / they) and things are counted in
plain nouns or in units ("dollars", "pages", "liters of juice").

Each JSONL line: {"question", "answer", "thoughts": [...], "solution", "steps",
"style"} where solution == "\\n\\n".join(thoughts) and ends with \\boxed{N} ...
<|end_of_solution|>.

Thought format (kept regular so a ~2M-parameter model can learn it, whatever
the wording of the question):
  * thought 0 restates the problem: the owner, the start and how many changes,
  * thought i (1..K) names the change ("Day 3:", "Monday:", "Step 2:"),
    restates the carried value, says the change in a normalised sentence, names
    the operation, does the arithmetic column by column (right to left with carry
    / borrow for + - *, left to right with remainders for /) and ends by
    restating the new value,
  * the last thought gives the solution with \\boxed{}.
"""
import argparse
import json
import random

# Owners: name -> pronoun. "they" owners use plural verb forms in the thoughts.
OWNERS = {
    "Tom": "he", "Ana": "she", "Ben": "he", "Mia": "she", "Leo": "he", "Zoe": "she", "Sam": "he",
    "Eva": "she", "Max": "he", "Ivy": "she", "Jack": "he", "Lily": "she", "Noah": "he", "Emma": "she",
    "Owen": "he", "Ruby": "she", "Finn": "he", "Cora": "she", "Hugo": "he", "Nina": "she",
    "Omar": "he", "Sara": "she", "Liam": "he", "Maya": "she", "Ravi": "he", "Yuki": "she",
    "Carlos": "he", "Grace": "she", "David": "he", "Chloe": "she", "Peter": "he", "Alice": "she",
    "Kofi": "he", "Amara": "she", "Ivan": "he", "Elena": "she", "Jonas": "he", "Priya": "she",
    "Mr. Lee": "he", "Mrs. Diaz": "she", "Grandma": "she", "Uncle Joe": "he", "the teacher": "she",
    "the baker": "he", "the farmer": "she", "the library": "it", "the shop": "it",
    "the twins": "they", "the kids": "they",
}
POSS = {"he": "his", "she": "her", "it": "its", "they": "their"}

# Things: (plural noun, kind). The kind decides which verbs fit.
THINGS = [
    ("apples", "food"), ("pencils", "object"), ("marbles", "object"), ("stickers", "object"),
    ("cards", "object"), ("coins", "object"), ("books", "object"), ("shells", "object"),
    ("cookies", "food"), ("stamps", "object"), ("beads", "object"), ("eggs", "food"),
    ("buttons", "object"), ("candies", "food"), ("toys", "object"), ("flowers", "object"),
    ("balloons", "object"), ("crayons", "object"), ("cupcakes", "food"), ("rocks", "object"),
    ("seeds", "object"), ("tickets", "object"), ("bottles", "object"), ("oranges", "food"),
    ("lemons", "food"), ("carrots", "food"), ("muffins", "food"), ("chairs", "object"),
    ("plates", "object"), ("socks", "object"), ("photos", "object"), ("nuts", "food"),
    ("dollars", "money"), ("euros", "money"), ("points", "points"), ("pages", "pages"),
    ("liters of juice", "liquid"), ("cups of flour", "liquid"), ("boxes of tea", "object"),
    ("bags of rice", "object"), ("packs of gum", "food"),
]

ADD_VERBS = {
    "object": ["buys {v} more {t}", "finds {v} more {t}", "gets {v} more {t}", "collects {v} more {t}",
               "is given {v} {t}", "receives {v} {t}", "wins {v} {t}", "buys {v} {t}", "gets {v} {t} from a friend"],
    "food": ["buys {v} more {t}", "picks {v} more {t}", "gets {v} more {t}", "is given {v} {t}",
             "buys {v} {t}", "receives {v} {t}"],
    "money": ["earns {v} {t}", "saves {v} more {t}", "gets {v} {t}", "is paid {v} {t}",
              "finds {v} {t}", "wins {v} {t}", "receives {v} {t}"],
    "points": ["scores {v} more {t}", "earns {v} {t}", "wins {v} {t}", "gets {v} more {t}"],
    "pages": ["writes {v} more {t}", "adds {v} {t}", "prints {v} more {t}", "gets {v} more {t}"],
    "liquid": ["buys {v} more {t}", "adds {v} {t}", "gets {v} more {t}", "is given {v} {t}"],
}
SUB_VERBS = {
    "object": ["sells {v} {t}", "gives away {v} {t}", "uses {v} {t}", "loses {v} {t}",
               "gives {v} {t} to a friend", "donates {v} {t}", "sells {v} of them", "gives away {v} of them"],
    "food": ["sells {v} {t}", "eats {v} {t}", "gives away {v} {t}", "uses {v} {t}",
             "eats {v} of them", "gives {v} {t} to a neighbor"],
    "money": ["spends {v} {t}", "pays {v} {t}", "gives away {v} {t}", "loses {v} {t}",
              "spends {v} {t} on lunch", "gives {v} {t} to a friend"],
    "points": ["loses {v} {t}", "spends {v} {t}", "gives away {v} {t}"],
    "pages": ["tears out {v} {t}", "removes {v} {t}", "throws away {v} {t}"],
    "liquid": ["uses {v} {t}", "drinks {v} {t}", "gives away {v} {t}", "pours out {v} {t}"],
}

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
PARTS = ["in the morning", "at noon", "in the afternoon", "in the evening", "at night"]
THEN = ["Then", "After that", "Next", "Later", "Then", "After that"]

MAXV = 999
START_FORMS = ["{o} has {s} {t}.", "{o} starts with {s} {t}.", "{o} had {s} {t}.",
               "At first {o} has {s} {t}.", "There are {s} {t} at {o}'s place.", "{o} owns {s} {t}."]


def digits(n):
    return [int(c) for c in str(n)]


def explain_add(a, b):
    s = a + b
    da, db = digits(a)[::-1], digits(b)[::-1]
    parts, carry = [], 0
    for i in range(max(len(da), len(db))):
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
    if carry:
        parts.append("carry 1 = 1.")
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
    parts, carry = [], 0
    for x in digits(a)[::-1]:
        t = x * k + carry
        expr = f"{x} * {k}" + (f" + {carry}" if carry else "")
        if t >= 10:
            parts.append(f"{expr} = {t}, carry {t // 10}.")
            carry = t // 10
        else:
            parts.append(f"{expr} = {t}.")
            carry = 0
    if carry:
        parts.append(f"carry {carry} = {carry}.")
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
    """An operation and its operand that keep the value in [1, MAXV]."""
    ops = []
    if x <= MAXV - 10:
        ops += ["add"] * 3
    if x >= 12:
        ops += ["sub"] * 3
    if x * 2 <= MAXV:
        ops += ["mul"] * 2
    divs = [k for k in range(2, 10) if x % k == 0 and x // k >= 3]
    if divs:
        ops += ["div"] * 2
    op = rng.choice(ops)
    if op == "add":
        hi = min(MAXV - x, 500)
        return op, rng.randint(2, hi) if rng.random() < 0.15 else rng.randint(min(5, hi), hi)
    if op == "sub":
        return op, rng.randint(2, x - 1) if rng.random() < 0.15 else rng.randint(2, max(2, x - 5))
    if op == "mul":
        return op, rng.randint(2, min(9, MAXV // x))
    return op, rng.choice(divs)


def conj(verb_phrase, pron):
    """'buys 3 apples' -> 'buy 3 apples' for 'they' owners."""
    if pron != "they":
        return verb_phrase
    verb_phrase = verb_phrase.replace(" and keeps ", " and keep ").replace(" and ends up ", " and end up ")
    first, _, rest = verb_phrase.partition(" ")
    irregular = {"is": "are", "has": "have", "does": "do"}
    if first in irregular:
        base = irregular[first]
    elif first.endswith("ies"):
        base = first[:-3] + "y"
    elif first.endswith(("ches", "shes", "sses", "xes")):
        base = first[:-2]
    elif first.endswith("s"):
        base = first[:-1]
    else:
        base = first
    return base + (" " + rest if rest else "")


PAST = {"buys": "bought", "finds": "found", "gets": "got", "collects": "collected", "is": "was",
        "receives": "received", "wins": "won", "picks": "picked", "earns": "earned", "saves": "saved",
        "scores": "scored", "writes": "wrote", "adds": "added", "prints": "printed", "sells": "sold",
        "gives": "gave", "uses": "used", "loses": "lost", "donates": "donated", "eats": "ate",
        "spends": "spent", "pays": "paid", "tears": "tore", "removes": "removed", "throws": "threw",
        "drinks": "drank", "pours": "poured", "puts": "put", "splits": "split", "shares": "shared",
        "doubles": "doubled", "triples": "tripled", "invests": "invested"}


def past(verb_phrase, pron):
    """'buys 3 apples' -> 'bought 3 apples' (the story told in the past)."""
    first, _, rest = verb_phrase.partition(" ")
    head = PAST[first]
    if first == "is" and pron == "they":
        head = "were"
    rest = (rest.replace(" and keeps ", " and kept ").replace(" and ends up ", " and ended up ")
            .replace(f" {pron} has ", f" {pron} had ").replace(f" {pron} have ", f" {pron} had "))
    return head + (" " + rest if rest else "")


def has(pron):
    return "have" if pron == "they" else "has"


def event_phrase(rng, op, v, thing, kind, pron):
    """What the owner does, third person singular (conj() makes it plural)."""
    if op == "add":
        phrase = rng.choice(ADD_VERBS[kind]).format(v=v, t=thing)
        if rng.random() < 0.15 and phrase.endswith(f" more {thing}"):
            phrase = phrase[: -len(thing) - 1]  # "buys 30 more"
        return phrase
    if op == "sub":
        phrase = rng.choice(SUB_VERBS[kind]).format(v=v, t=thing)
        if rng.random() < 0.1 and phrase.endswith(f" {v} {thing}"):
            phrase = phrase[: -len(thing) - 1]  # "sells 15"
        return phrase
    if op == "mul":
        forms = [f"buys more until {pron} {has(pron)} {v} times as many {thing}",
                 f"gets more until {pron} {has(pron)} {v} times as many {thing}"]
        if kind == "money":
            forms = [f"invests and ends up with {v} times as many {thing}",
                     f"saves until {pron} {has(pron)} {v} times as many {thing}"]
        if v == 2:
            forms += [f"doubles the {thing}", f"doubles the number of {thing}"]
        if v == 3:
            forms += [f"triples the {thing}"]
        return rng.choice(forms)
    forms = [f"puts the {thing} into {v} equal groups and keeps one group",
             f"splits the {thing} into {v} equal piles and keeps one pile"]
    if v >= 3:
        forms.append(f"shares the {thing} equally with {v - 1} friends and keeps one share")
    if v == 2:
        forms += [f"gives away half of the {thing}", f"loses half of the {thing}"]
    return rng.choice(forms)


def reason_text(op, v, phrase):
    if op == "add":
        return "So I add."
    if op == "sub":
        return "So I subtract."
    if op == "mul":
        return f"So I multiply by {v}."
    if "friends" in phrase:
        return f"{v - 1} friends and the owner make {v} equal shares, so I divide by {v}."
    if "half" in phrase:
        return "Half means 2 equal parts, so I divide by 2."
    return f"So I divide by {v}."


def cap(s):
    return s[0].upper() + s[1:]


def make_problem(rng):
    owner = rng.choice(list(OWNERS))
    pron = OWNERS[owner]
    thing, kind = rng.choice(THINGS)
    while pron == "it" and kind in ("food", "liquid"):  # a shop does not eat its muffins
        thing, kind = rng.choice(THINGS)
    k = rng.choices(range(1, 9), weights=[3, 4, 4, 4, 4, 3, 3, 3])[0]
    timing = rng.choices(["day", "weekday", "part", "then", "and"], weights=[4, 2, 1, 3, 2])[0]
    if timing == "part" and k > len(PARTS):
        timing = "then"
    if timing == "and" and k > 3:
        timing = "then"
    if timing == "weekday" and k > 7:
        timing = "day"
    first_weekday = rng.randrange(0, 8 - k) if timing == "weekday" else 0
    first_part = rng.randrange(0, len(PARTS) - k + 1) if timing == "part" else 0

    x = rng.randint(10, 99) if rng.random() < 0.35 else rng.randint(100, 600)
    if rng.random() < 0.05:
        x = rng.randint(2, 9)
    start = x
    steps = []
    for i in range(1, k + 1):
        op, v = choose_op(rng, x)
        expl, y = {"add": explain_add, "sub": explain_sub, "mul": explain_mul, "div": explain_div}[op](x, v)
        assert 1 <= y <= MAXV, (x, op, v, y)
        phrase = event_phrase(rng, op, v, thing, kind, pron)
        steps.append(dict(i=i, op=op, v=v, before=x, after=y, expl=expl, phrase=phrase))
        x = y
    answer = x

    O = cap(owner)
    P = cap(pron)
    label, when = [], []
    for s in steps:
        i = s["i"]
        if timing == "day":
            label.append(f"Day {i}")
            when.append(f"on day {i}")
        elif timing == "weekday":
            d = DAYS[first_weekday + i - 1]
            label.append(d)
            when.append(f"on {d}")
        elif timing == "part":
            p = PARTS[first_part + i - 1]
            label.append(f"Step {i}")
            when.append(p)
        else:
            label.append(f"Step {i}")
            when.append("")

    # The question text.
    possessive = owner + ("'" if owner.endswith("s") else "'s")
    forms = START_FORMS if pron != "it" else [f for f in START_FORMS if "place" not in f]
    start_sentence = cap(rng.choice(forms).format(o=owner, s=start, t=thing).replace(owner + "'s", possessive))
    if pron == "they":
        for singular, plural in ((" has ", " have "), (" starts with ", " start with "), (" owns ", " own ")):
            start_sentence = start_sentence.replace(singular, plural, 1)
    events = []
    start_last = timing != "and" and rng.random() < 0.12
    told_in_past = rng.random() < 0.2
    if start_last:
        steps[0]["phrase"] = steps[0]["phrase"].replace("of them", thing)
    for j, s in enumerate(steps):
        named = j == 0 and (start_last or rng.random() < 0.5)
        subj = O if named else P
        act = past(s["phrase"], pron) if told_in_past else conj(s["phrase"], pron)
        if timing in ("day", "weekday", "part"):
            w = when[j]
            if rng.random() < 0.7:
                events.append(f"{cap(w)} {owner if named else pron} {act}.")
            else:
                events.append(f"{subj} {act} {w}.")
        elif timing == "then":
            lead = rng.choice(["", "", "First"]) if j == 0 else rng.choice(THEN)
            lead = lead + " " if lead else ""
            if j == 0 and not lead:
                events.append(f"{subj} {act}.")
            else:
                events.append(f"{lead}{owner if named else pron} {act}.")
        else:
            events.append(act)
    if timing == "day":
        end_when = f"after day {k}"
    elif timing == "weekday":
        end_when = f"after {DAYS[first_weekday + k - 1]}"
    elif timing == "part":
        end_when = "at the end of the day"
    else:
        end_when = rng.choice(["now", "in the end", "at the end"])
    does = "do" if pron == "they" else "does"
    q_forms = [f"How many {thing} {does} {owner} have {end_when}?",
               f"How many {thing} {does} {pron} have {end_when}?"]
    if timing in ("then", "and"):
        q_forms += [f"How many {thing} {does} {owner} have?", "How many are there now?", "How many now?",
                    f"How many {thing} are left?" if steps[-1]["op"] == "sub" else f"How many {thing} now?"]
    question_q = rng.choice(q_forms)
    if told_in_past:
        start_sentence = (start_sentence.replace(" has ", " had ", 1).replace(" have ", " had ", 1)
                          .replace(" starts with ", " started with ", 1).replace(" start with ", " started with ", 1)
                          .replace(" owns ", " owned ", 1).replace(" own ", " owned ", 1)
                          .replace("There are ", "There were ", 1))

    if timing == "and":
        if len(events) == 1 and start_sentence.startswith(("There", "At first")):
            body = f"{start_sentence} {P} {events[0]}."
        elif len(events) == 1:
            body = f"{start_sentence[:-1]} and {events[0]}."  # "Tom has 12 apples and buys 30 more."
        else:
            body = f"{start_sentence} {P} " + ", ".join(events[:-1]) + f" and then {events[-1]}."
        question = f"{body} {question_q}"
    else:
        if start_last:
            # The start last: "... How many X does O have now, if O started with S X?"
            question = " ".join(events) + " " + question_q[:-1] + f", if {owner} started with {start} {thing}?"
        else:
            question = f"{start_sentence} " + " ".join(events) + f" {question_q}"
    question = question.replace("  ", " ")

    # The thoughts.
    poss = POSS[pron]
    own = "have" if pron == "they" else "has"
    if k == 1:
        changes = "Then the count changes once"
    elif timing == "day":
        changes = f"Then the count changes on each of {k} days"
    else:
        changes = f"Then the count changes {k} times"
    thoughts = [
        f"<|begin_of_thought|> Okay, let's see. The question is about {owner} and {poss} {thing}. "
        f"{O} {'start' if pron == 'they' else 'starts'} with {start} {thing}. {changes}, "
        f"and I need the count at the end. I will go step by step and keep track of the count."
    ]
    for j, s in enumerate(steps):
        w = when[j]
        act = conj(s["phrase"], pron)
        how = f"{w} {pron} {act}" if w else f"then {pron} {act}"
        thoughts.append(
            f"{label[j]}: {O} {own} {s['before']} {thing}, and {how}. {reason_text(s['op'], s['v'], s['phrase'])} "
            f"{s['expl']} Now {owner} {own} {s['after']} {thing}."
        )
    thoughts.append(
        f"<|end_of_thought|> <|begin_of_solution|> At the end, {owner} {own} {answer} {thing}. "
        f"The answer is \\boxed{{{answer}}} <|end_of_solution|>"
    )
    return {"question": question, "answer": str(answer), "thoughts": thoughts,
            "solution": "\n\n".join(thoughts), "steps": k, "style": timing}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        for _ in range(args.count):
            f.write(json.dumps(make_problem(rng)) + "\n")
    import os
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
