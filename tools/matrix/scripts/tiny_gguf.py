"""Write a tiny random-weight Llama GGUF for llama-server: ``python tiny_gguf.py OUT.gguf``.

Runs in the cache's gguf venv (``gguf`` and its numpy), never in the project's: the imports go
through importlib so the project's type check does not need those packages. The text it makes is
gibberish; what the matrix judges is the server's HTTP, SSE and error behaviour, which does not
depend on the weights. Deterministic (seeded), about 1 MB, no download.

The vocabulary is SentencePiece-style (tokenizer model "llama"): unknown, BOS and EOS, the 256
byte-fallback tokens (so any input text tokenizes), then whole words with and without the word
boundary mark. Tensor names come from the gguf package's own table for the llama architecture.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

np: Any = importlib.import_module("numpy")
gguf: Any = importlib.import_module("gguf")

WORDS = (
    "hello world model server token stream answer question reply chat tiny test check result value "
    "number one two three four five six seven eight nine ten and or not the a an of to in on at by "
    "for with from this that these those it is are was be been yes no maybe good bad fast slow small "
    "big red green blue light dark water fire earth air sun moon star sky time day night year city "
    "road house door window table chair book page line word letter sound music song voice name user "
    "assistant system developer tool call function data code list item count sum part whole . , ! ? :"
)
CHAT_TEMPLATE = (
    "{% for message in messages %}<|{{ message['role'] }}|>\n{{ message['content'] }}{{ eos_token }}\n"
    "{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)
BOUNDARY = "\u2581"  # SentencePiece's word-boundary mark


def vocabulary() -> tuple[list[str], list[float], list[int]]:
    """(tokens, scores, types): specials, byte fallbacks, then words in falling score order."""
    kind = gguf.TokenType
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [kind.UNKNOWN, kind.CONTROL, kind.CONTROL] + [kind.BYTE] * 256
    pieces: list[str] = []
    for word in WORDS.split():
        for piece in (BOUNDARY + word, word):
            if piece not in pieces:
                pieces.append(piece)
    for char in "abcdefghijklmnopqrstuvwxyz" + BOUNDARY:
        if char not in pieces:
            pieces.append(char)
    tokens += pieces
    types += [kind.NORMAL] * len(pieces)
    scores = [0.0] * 259 + [-1.0 - i / 100 for i in range(len(pieces))]
    return tokens, scores, [int(t) for t in types]


def tensor_name(which: str, block: int | None = None) -> str:
    name: str = gguf.TENSOR_NAMES[getattr(gguf.MODEL_TENSOR, which)]
    return (name.format(bid=block) if block is not None else name) + ".weight"


def write(path: str, seed: int, embd: int, layers: int, heads: int, ffn: int) -> None:
    rng = np.random.default_rng(seed)
    tokens, scores, types = vocabulary()
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("llmgw-matrix-tiny-llama")
    for method, value in (
        ("add_context_length", 4096),
        ("add_embedding_length", embd),
        ("add_block_count", layers),
        ("add_feed_forward_length", ffn),
        ("add_head_count", heads),
        ("add_head_count_kv", heads),
        ("add_rope_dimension_count", embd // heads),
        ("add_layer_norm_rms_eps", 1e-5),
        ("add_rope_freq_base", 10000.0),
        ("add_vocab_size", len(tokens)),
        ("add_bos_token_id", 1),
        ("add_eos_token_id", 2),
        ("add_unk_token_id", 0),
        ("add_add_bos_token", True),
        ("add_add_eos_token", False),
    ):
        getattr(writer, method)(value)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_tokenizer_model("llama")
    writer.add_tokenizer_pre("default")
    writer.add_token_list([t.encode("utf-8") for t in tokens])
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_chat_template(CHAT_TEMPLATE)

    def random(shape: tuple[int, ...], scale: float) -> Any:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    writer.add_tensor(tensor_name("TOKEN_EMBD"), random((len(tokens), embd), 1.0))
    square = ("ATTN_Q", "ATTN_K", "ATTN_V", "ATTN_OUT")
    for block in range(layers):
        for norm in ("ATTN_NORM", "FFN_NORM"):
            writer.add_tensor(tensor_name(norm, block), np.ones((embd,), dtype=np.float32))
        for which in square:
            writer.add_tensor(tensor_name(which, block), random((embd, embd), 0.02))
        writer.add_tensor(tensor_name("FFN_GATE", block), random((ffn, embd), 0.02))
        writer.add_tensor(tensor_name("FFN_UP", block), random((ffn, embd), 0.02))
        writer.add_tensor(tensor_name("FFN_DOWN", block), random((embd, ffn), 0.02))
    writer.add_tensor(tensor_name("OUTPUT_NORM"), np.ones((embd,), dtype=np.float32))
    head = random((len(tokens), embd), 1.0)
    head[3:259] *= 0.05  # byte tokens unlikely: the output reads as words, not raw bytes
    writer.add_tensor(tensor_name("OUTPUT"), head)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"wrote {path}: {len(tokens)} tokens, {layers} layers of width {embd}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--embd", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--ffn", type=int, default=128)
    args = parser.parse_args()
    write(args.out, args.seed, args.embd, args.layers, args.heads, args.ffn)


if __name__ == "__main__":
    main()
