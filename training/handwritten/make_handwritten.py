#!/usr/bin/env python3
"""Writes resources/datasets/demo-handwritten.jsonl: problems written by hand (not by
make_data.py), phrased differently from the generator's templates, in the demo models'
domain (one owner's count changed by + - * / with whole numbers up to 999).

Every problem carries the operations it was written from; the answer is computed from
them here, so a typo in a hand-computed answer cannot slip in.
"""
import json
import os
import sys

# (question, start, [(op, value), ...]) written by hand.
PROBLEMS = [
    ("Tom has 12 apples and buys 30 more. How many?", 12, [("+", 30)]),
    ("Mia had 45 stickers. She gave 17 of them to her brother. How many stickers does Mia have left?", 45, [("-", 17)]),
    ("A farmer picks 120 oranges. Then he sells 45 oranges at the market. How many oranges does he still have?", 120, [("-", 45)]),
    ("Lily starts the week with 8 dollars. She earns 25 dollars on Monday and spends 9 dollars on Tuesday. How many dollars does she have after Tuesday?", 8, [("+", 25), ("-", 9)]),
    ("Ben owns 36 marbles. He puts them into 4 equal groups and keeps only one group. How many marbles does he keep?", 36, [("/", 4)]),
    ("Sara has 7 books. Her aunt gives her enough books that she ends up with 3 times as many. How many books does Sara have now?", 7, [("*", 3)]),
    ("There are 250 tickets at the shop. The shop sells 120 tickets in the morning and gets 60 more tickets in the afternoon. How many tickets are there at the end of the day?", 250, [("-", 120), ("+", 60)]),
    ("Noah collected 64 shells at the beach. He gave away half of the shells. Then he found 19 more shells. How many shells does Noah have?", 64, [("/", 2), ("+", 19)]),
    ("Emma has 150 points in a game. She loses 40 points, then wins 75 points, then loses 20 points. What is her score now, in points?", 150, [("-", 40), ("+", 75), ("-", 20)]),
    ("Grandma baked 48 cookies. She shared them equally with 3 friends and kept one share. How many cookies did Grandma keep?", 48, [("/", 4)]),
    ("Leo has 5 coins. He doubles his coins, and then he doubles them again. How many coins does Leo have?", 5, [("*", 2), ("*", 2)]),
    ("Omar buys 300 pages of paper. He uses 125 pages for a project. How many pages are left?", 300, [("-", 125)]),
    ("Zoe starts with 18 balloons. On day 1 she buys 22 more balloons. On day 2 two of her balloons pop, so she loses 2 balloons. How many balloons does she have after day 2?", 18, [("+", 22), ("-", 2)]),
    ("The library has 420 books. It gives away 70 books, then receives 35 books. How many books does the library have now?", 420, [("-", 70), ("+", 35)]),
    ("Ivy has 90 beads. She splits them into 3 equal piles and keeps one pile. Then she buys 14 more beads. How many beads does Ivy have?", 90, [("/", 3), ("+", 14)]),
    ("Max saved 200 dollars. He spent 85 dollars on a bike and 40 dollars on a helmet. How many dollars does he have left?", 200, [("-", 85), ("-", 40)]),
    ("Chloe has 25 cupcakes. She makes more until she has 4 times as many. Then she sells 30 cupcakes. How many cupcakes does Chloe have?", 25, [("*", 4), ("-", 30)]),
    ("Uncle Joe had 640 liters of juice. He poured out 140 liters of juice and then split the rest into 5 equal parts, keeping one part. How many liters of juice does he keep?", 640, [("-", 140), ("/", 5)]),
    ("Peter has 3 hats. He gets 6 more hats for his birthday. How many hats does Peter have now?", 3, [("+", 6)]),
    ("Ruby has 81 stamps. She gives 27 stamps to her friend. Then she gets 3 times as many stamps as she has left. How many stamps does Ruby have at the end?", 81, [("-", 27), ("*", 3)]),
    ("Hugo counts 512 seeds. He plants half of them. How many seeds are not planted?", 512, [("/", 2)]),
    ("On Monday Nina has 95 flowers. On Tuesday she picks 48 more. On Wednesday she gives 60 flowers to her neighbors. How many flowers does Nina have after Wednesday?", 95, [("+", 48), ("-", 60)]),
    ("Jack had 14 toys. He bought 9 toys, got 5 more from a friend, and then gave away 10 toys. How many toys does Jack have?", 14, [("+", 9), ("+", 5), ("-", 10)]),
    ("The twins have 60 candies. They eat 12 candies and then share the rest equally with 2 friends, keeping one share. How many candies do the twins keep?", 60, [("-", 12), ("/", 3)]),
    ("Finn starts with 111 crayons. He triples them. How many crayons does Finn have?", 111, [("*", 3)]),
    ("Cora has 700 dollars. She pays 250 dollars for rent, earns 125 dollars, and pays 75 dollars for food. How many dollars does she have after all that?", 700, [("-", 250), ("+", 125), ("-", 75)]),
    ("Sam has 33 cards. First he wins 17 cards. After that he loses 8 cards. Later he wins 21 cards. How many cards does Sam have now?", 33, [("+", 17), ("-", 8), ("+", 21)]),
    ("Elena has 9 eggs. She buys more eggs until she has 8 times as many. How many eggs does she have?", 9, [("*", 8)]),
    ("Priya collects 128 rocks. She gives away half of them, then half of what is left. How many rocks does she have now?", 128, [("/", 2), ("/", 2)]),
    ("A shop has 405 bottles. In the morning it sells 105 bottles. At noon it gets 250 bottles. In the evening it sells 300 bottles. How many bottles does the shop have at the end of the day?", 405, [("-", 105), ("+", 250), ("-", 300)]),
    ("David has 16 pencils. He buys 4 more and then puts all his pencils into 5 equal boxes, keeping one box. How many pencils does David keep?", 16, [("+", 4), ("/", 5)]),
    ("Alice has 275 points. She scores 125 more points, then loses 100 points, then doubles her points. How many points does Alice have?", 275, [("+", 125), ("-", 100), ("*", 2)]),
    ("Mr. Lee keeps 72 chairs in a hall. He moves 24 chairs out and brings 12 chairs in. How many chairs are in the hall now?", 72, [("-", 24), ("+", 12)]),
    ("Maya has 50 muffins. She sells 15 on day 1, 10 on day 2 and 5 on day 3. How many muffins does Maya have after day 3?", 50, [("-", 15), ("-", 10), ("-", 5)]),
    ("Ravi has 6 boxes of tea. He buys 7 more boxes of tea, and later he gets 5 times as many as he has then. How many boxes of tea does Ravi have?", 6, [("+", 7), ("*", 5)]),
    ("Kofi had 999 coins. He lost 500 coins and found 1 coin. How many coins does he have now?", 999, [("-", 500), ("+", 1)]),
    ("Amara owns 84 socks. She throws away 4 old socks and splits the rest into 8 equal piles, keeping one pile. How many socks are in her pile?", 84, [("-", 4), ("/", 8)]),
    ("Jonas has 230 stickers. He buys 70 stickers. He gives away 100 stickers. He buys 45 stickers. He gives away 15 stickers. How many stickers does Jonas have in the end?", 230, [("+", 70), ("-", 100), ("+", 45), ("-", 15)]),
    ("Grace has 11 photos. She prints 11 more photos every day for 3 days. How many photos does Grace have after the 3 days?", 11, [("+", 11), ("+", 11), ("+", 11)]),
    ("The baker has 360 cups of flour. He uses 60 cups of flour on Monday, 90 on Tuesday and 30 on Wednesday. How many cups of flour does he have after Wednesday?", 360, [("-", 60), ("-", 90), ("-", 30)]),
    ("Eva has 13 lemons. She buys 2 more lemons. Then her lemons become 6 times as many. How many lemons does Eva have?", 13, [("+", 2), ("*", 6)]),
    ("Owen has 500 dollars. He spends 125 dollars, earns 250 dollars, spends 300 dollars, and then earns 75 dollars. How many dollars does Owen have?", 500, [("-", 125), ("+", 250), ("-", 300), ("+", 75)]),
    ("Carlos has 49 nuts. He eats 7 nuts. He shares the rest equally with 6 friends and keeps one share. How many nuts does Carlos have?", 49, [("-", 7), ("/", 7)]),
    ("Yuki had 20 bags of rice. She got 20 more, then 20 more, then gave away 25. How many bags of rice does Yuki have?", 20, [("+", 20), ("+", 20), ("-", 25)]),
    ("Liam starts with 2 marbles. Each day for 4 days the number of his marbles doubles. How many marbles does Liam have after the 4 days?", 2, [("*", 2), ("*", 2), ("*", 2), ("*", 2)]),
    ("Zoe has 144 beads. She gives away 44 beads, puts the rest into 4 equal groups and keeps one group, then buys 75 more beads. How many beads does Zoe have?", 144, [("-", 44), ("/", 4), ("+", 75)]),
    ("Ana had 318 cookies. She ate 18 cookies, gave 100 to her class, baked 50 more and sold 150. How many cookies does Ana have now?", 318, [("-", 18), ("-", 100), ("+", 50), ("-", 150)]),
    ("Ben has 27 apples. He buys 3 more apples. He puts them into 6 equal bags and keeps one bag. He then buys enough apples to have 7 times as many. How many apples does Ben have?", 27, [("+", 3), ("/", 6), ("*", 7)]),
]


def apply(start, ops):
    x = start
    for op, v in ops:
        if op == "+":
            x += v
        elif op == "-":
            x -= v
        elif op == "*":
            x *= v
        else:
            assert x % v == 0, (start, ops)
            x //= v
        assert 1 <= x <= 999, (start, ops, x)
    return x


def main():
    out = sys.argv[1]
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        for q, start, ops in PROBLEMS:
            f.write(json.dumps({"question": q, "answer": str(apply(start, ops)), "steps": len(ops)}) + "\n")
    os.replace(tmp, out)
    print(f"{len(PROBLEMS)} problems -> {out}")


if __name__ == "__main__":
    main()
