#!/usr/bin/env python3
"""Train the demo sentencepiece tokenizer on a make_data.py corpus.

Usage: make_tokenizer.py --data train.jsonl --out DIR [--vocab 512] [--n-cache 4]

Writes DIR/tokenizer.model (+ .vocab). Settings (the C++ side must copy them):
  * model_type BPE, identity normalisation, no whitespace collapsing,
    add_dummy_prefix OFF (no "▁" is prepended to the text), split_digits ON,
  * no byte fallback; unk = id 0; no sentencepiece BOS/EOS/PAD (ids -1),
  * user-defined symbols (matched before BPE, longest match first), ids 1..:
      <|im_start|> <|im_end|> <|splitter|> <|continue|> <|recover|>
      <|begin_of_thought|> <|end_of_thought|> <|begin_of_solution|>
      <|end_of_solution|> "\\n\\n" <|o_0|>..<|o_{n-1}|> "\\n" ▁0..▁9
"""
import argparse
import io
import json
import os

import sentencepiece as spm

SPECIAL_HEAD = ["<|im_start|>", "<|im_end|>"]
LT_TOKENS = ["<|splitter|>", "<|continue|>", "<|recover|>", "<|begin_of_thought|>",
             "<|end_of_thought|>", "<|begin_of_solution|>", "<|end_of_solution|>", "\n\n"]


def user_symbols(n_cache):
    return (SPECIAL_HEAD + LT_TOKENS + [f"<|o_{i}|>" for i in range(n_cache)] + ["\n"]
            + [f"\u2581{d}" for d in range(10)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vocab", type=int, default=512)
    ap.add_argument("--n-cache", type=int, default=4)
    ap.add_argument("--max-lines", type=int, default=4000)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    sents = []
    with open(args.data) as f:
        for i, line in enumerate(f):
            if i >= args.max_lines:
                break
            d = json.loads(line)
            sents.append(d["question"])
            sents.extend(d["thoughts"])
    # the system prompt and template words must be covered too
    from common import SYSTEM_PROMPT
    sents += [SYSTEM_PROMPT, "system", "user", "assistant"] * 50
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sents), model_writer=model,
        model_type="bpe", vocab_size=args.vocab,
        normalization_rule_name="identity", remove_extra_whitespaces=False,
        add_dummy_prefix=False, split_digits=True, byte_fallback=False,
        character_coverage=1.0, user_defined_symbols=user_symbols(args.n_cache),
        unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1, max_sentence_length=100000,
        num_threads=1, minloglevel=2)
    with open(os.path.join(args.out, "tokenizer.model"), "wb") as f:
        f.write(model.getvalue())
    sp = spm.SentencePieceProcessor(model_proto=model.getvalue())
    with open(os.path.join(args.out, "tokenizer.vocab"), "w") as f:
        for i in range(sp.get_piece_size()):
            f.write(f"{i}\t{json.dumps(sp.id_to_piece(i))}\n")
    print("vocab", sp.get_piece_size())


if __name__ == "__main__":
    main()
