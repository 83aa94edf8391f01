"""Write a tiny random-weight LlamaForCausalLM and its tokenizer: ``python tiny_hf_llama.py OUTDIR``.

Runs in the cache's transformers venv (torch, transformers, tokenizers), never in the project's:
the imports go through importlib so the project's type check does not need those packages. The
tokenizer is a byte-level BPE trained here on a few generated sentences (no hub access), so any
input text tokenizes; it carries a chat template, which ``transformers serve`` needs. Seeded.
"""

from __future__ import annotations

import argparse
import importlib
import os
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
torch: Any = importlib.import_module("torch")
tk: Any = importlib.import_module("tokenizers")
transformers: Any = importlib.import_module("transformers")

SUBJECTS = ("the model", "the server", "a token", "each answer", "this stream", "every user", "the system")
VERBS = ("sends", "reads", "writes", "counts", "checks", "returns", "streams", "lists", "makes", "ends")
OBJECTS = ("one word", "two words", "a number", "the result", "an answer", "some text", "the list", "a reply")
SPECIALS = ["<unk>", "<s>", "</s>", "<pad>", "<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}</s>\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)


def corpus() -> list[str]:
    """Short sentences made from the word lists above (enough for a few hundred merges)."""
    out = []
    for i in range(600):
        s, v, o = SUBJECTS[i % len(SUBJECTS)], VERBS[(i // 3) % len(VERBS)], OBJECTS[(i // 7) % len(OBJECTS)]
        out.append(f"Hello, {s} {v} {o}. Yes, no, maybe {i % 10}!")
    return out


def tokenizer() -> Any:
    bpe = tk.Tokenizer(tk.models.BPE(unk_token="<unk>"))
    bpe.pre_tokenizer = tk.pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = tk.decoders.ByteLevel()
    trainer = tk.trainers.BpeTrainer(
        vocab_size=480, special_tokens=SPECIALS, initial_alphabet=tk.pre_tokenizers.ByteLevel.alphabet()
    )
    bpe.train_from_iterator(corpus(), trainer)
    bos = bpe.token_to_id("<s>")
    bpe.post_processor = tk.processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", bos)])
    return transformers.PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
        pad_token="<pad>",
        chat_template=CHAT_TEMPLATE,
    )


def write(out: str, hidden: int, heads: int) -> None:
    torch.manual_seed(11)
    tok = tokenizer()
    tok.save_pretrained(out)
    config = transformers.LlamaConfig(
        vocab_size=len(tok),
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=2,
        num_attention_heads=heads,
        num_key_value_heads=heads,
        max_position_embeddings=2048,
        bos_token_id=tok.bos_token_id,
        eos_token_id=tok.eos_token_id,
        pad_token_id=tok.pad_token_id,
        tie_word_embeddings=False,
    )
    model = transformers.LlamaForCausalLM(config)
    with torch.no_grad():
        # Merged tokens (words) far likelier than single byte symbols, which decode to U+FFFD
        # when a multi-byte character is split: the streamed text then reads as words.
        model.lm_head.weight.normal_(0.0, 1.0)
        model.lm_head.weight[: len(SPECIALS) + 256] *= 0.02
    model.generation_config.max_new_tokens = 32
    model.save_pretrained(out)
    print(f"wrote {out}: vocab {len(tok)}, {sum(p.numel() for p in model.parameters())} parameters")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--heads", type=int, default=2)
    args = parser.parse_args()
    write(args.out, args.hidden, args.heads)


if __name__ == "__main__":
    main()
