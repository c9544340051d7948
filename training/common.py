"""Shared constants and helpers for the GistScope demo models."""
import json
import os

SYSTEM_PROMPT = "Solve the problem step by step and put the answer in \\boxed{}."
BOS = "<|im_start|>"
EOS = "<|im_end|>"
TEMPLATE_COMPLETE = ("system\n{system}<|im_end|>\n<|im_start|>user\n{question}<|im_end|>\n"
                     "<|im_start|>assistant\n")
N_CACHE = 4          # cache tokens per thought (lightthinker)
TOKEN_STEP = 6       # token-level: every 6 tokens ...
TOKEN_N_CACHE = 2    # ... become 2 cache tokens
METHODS = ["vanilla", "lightthinker", "anllm", "lightthinker-token"]


def prompt_text(question, system=SYSTEM_PROMPT):
    return BOS + TEMPLATE_COMPLETE.format(system=system, question=question)


def gistscope_json(method):
    if method == "lightthinker":
        output = {"level": "sentence", "step": 1, "n_token": N_CACHE, "token_name": "<|o_{t_id}|>"}
    elif method == "lightthinker-token":
        output = {"level": "token", "step": TOKEN_STEP, "n_token": TOKEN_N_CACHE,
                  "token_name": "<|o_{t_id}|>"}
    elif method == "anllm":
        output = {"level": "sentence", "step": 1, "n_token": 1, "token_name": "<|o_{t_id}|>"}
    else:
        output = {"level": "sentence", "step": 1, "n_token": 0, "token_name": "<|o_{t_id}|>"}
    return {"format": "gistscope-model", "version": 1, "method": method,
            "bos_token": BOS, "eos_token": EOS, "system_prompt": SYSTEM_PROMPT,
            "template": {"model": "qwen", "complete": TEMPLATE_COMPLETE},
            "output": output, "question_prefix": ""}


class Tok:
    """Thin wrapper around the sentencepiece model."""

    def __init__(self, path):
        import sentencepiece as spm
        if os.path.isdir(path):
            path = os.path.join(path, "tokenizer.model")
        self.sp = spm.SentencePieceProcessor(model_file=path)
        p = self.sp.piece_to_id
        self.bos = p(BOS)
        self.eos = p(EOS)
        self.spl = p("<|splitter|>")
        self.cont = p("<|continue|>")
        self.nn = p("\n\n")
        self.nl = p("\n")
        self.cache = [p(f"<|o_{i}|>") for i in range(N_CACHE)]
        self.vocab_size = self.sp.get_piece_size()

    def encode(self, text):
        return self.sp.encode(text)

    def piece_id(self, piece):
        return self.sp.piece_to_id(piece)

    def decode(self, ids):
        # decode piece by piece so user-defined symbols come back verbatim
        return "".join(self.sp.id_to_piece(i) for i in ids).replace("\u2581", " ")


def load_jsonl(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]
