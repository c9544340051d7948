#!/usr/bin/env python3
"""Append user-defined pieces to a sentencepiece model, keeping every existing id.

  extend_tokenizer.py --tok IN_DIR --out OUT_DIR [--grammar memory_grammar.json]

LightThinker++ (issue 14): the action and render markers of the memory grammar
("<|commit|>", "<|summary|>", ...) become single pieces, matched before BPE like the demo
tokenizer's other user-defined symbols, with ids after the existing pieces (768.. for the
768-piece demo tokenizer). The base model's ids stay valid, so a LightThinker++ model can be
fine-tuned from the vanilla base with only the new embedding / lm_head rows added
(train.py does that when the tokenizer is larger than the model's vocabulary).

Why user-defined pieces: the engine finds actions in the decoded text (engine/src/memory/
controller.cpp) and renders archived / active steps by encoding the template text
(render_step), so the markers only have to decode verbatim and encode the same way every
time. As BPE text they would cost 5-8 tokens each and could merge with neighbouring text; as
user-defined symbols they are one token each and split out before BPE.

The model file is a serialized ModelProto whose field 1 (pieces) is repeated; a protobuf parser
appends repeated fields in the order they appear, so appending encoded SentencePiece messages
(piece = 1, score = 2, type = 3, USER_DEFINED = 4) to the file adds pieces at the end. This
needs neither protobuf nor a retraining; the result is checked by loading it with sentencepiece.
"""
import argparse
import json
import os
import struct
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from memory_reference import load_grammar  # noqa: E402

USER_DEFINED = 4


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def piece_message(piece):
    text = piece.encode()
    body = b"\x0a" + varint(len(text)) + text + b"\x15" + struct.pack("<f", 0.0) + b"\x18" + varint(USER_DEFINED)
    return b"\x0a" + varint(len(body)) + body


def grammar_markers(grammar):
    """Every "<|...|>" piece of the grammar's markers and templates, in order (as the engine's
    MemoryGrammar::marker_tokens collects them)."""
    texts = []
    for a in ("commit", "expand", "fold", "final_answer"):
        texts += [grammar["actions"][a]["open"], grammar["actions"][a]["close"]]
    texts += [grammar["render"]["archived"], grammar["render"]["active"]]
    out = []
    for s in texts:
        at = s.find("<|")
        while at >= 0:
            end = s.find("|>", at + 2)
            if end < 0:
                break
            m = s[at:end + 2]
            if m not in out:
                out.append(m)
            at = s.find("<|", at + 2)
    return out


def extend(proto, pieces):
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_proto=proto)
    have = {sp.id_to_piece(i) for i in range(sp.get_piece_size())}
    new = [p for p in pieces if p not in have]
    out = proto + b"".join(piece_message(p) for p in new)
    check = spm.SentencePieceProcessor(model_proto=out)
    n = sp.get_piece_size()
    if check.get_piece_size() != n + len(new):
        raise SystemExit(f"extend_tokenizer: expected {n + len(new)} pieces, got {check.get_piece_size()}")
    for i in range(n):
        if check.id_to_piece(i) != sp.id_to_piece(i):
            raise SystemExit(f"extend_tokenizer: piece {i} changed")
    for j, p in enumerate(new):
        ids = check.encode("x" + p + "y")
        if check.piece_to_id(p) != n + j or ids.count(n + j) != 1 or check.decode([n + j]) != p:
            raise SystemExit(f"extend_tokenizer: {p!r} is not one piece after extending")
    return out, new


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tok", required=True, help="folder with tokenizer.model")
    ap.add_argument("--out", required=True, help="folder for the extended tokenizer.model")
    ap.add_argument("--grammar", default=None, help="memory_grammar.json (default: the built-in grammar)")
    a = ap.parse_args()
    with open(os.path.join(a.tok, "tokenizer.model"), "rb") as f:
        proto = f.read()
    out, new = extend(proto, grammar_markers(load_grammar(a.grammar)))
    os.makedirs(a.out, exist_ok=True)
    dst = os.path.join(a.out, "tokenizer.model")
    with open(dst + ".tmp", "wb") as f:
        f.write(out)
    os.replace(dst + ".tmp", dst)
    import sentencepiece as spm
    sp = spm.SentencePieceProcessor(model_proto=out)
    with open(os.path.join(a.out, "tokenizer.vocab.tmp"), "w") as f:
        for i in range(sp.get_piece_size()):
            f.write(f"{i}\t{json.dumps(sp.id_to_piece(i))}\n")
    os.replace(os.path.join(a.out, "tokenizer.vocab.tmp"), os.path.join(a.out, "tokenizer.vocab"))
    print(f"{sp.get_piece_size()} pieces, added " + ", ".join(f"{p} = {sp.piece_to_id(p)}" for p in new))


if __name__ == "__main__":
    main()
