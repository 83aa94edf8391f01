"""A deterministic stand-in for an inference engine.

Why synthetic: the reference server must be fast, reproducible and runnable without weights;
conformance is about the wire behaviour, not the text. Everything derives from a SHA-256 of
(model, input, seed), so the same seeded request gives the same tokens on every machine.

Natural stop: `generate()` returns a `Generation` iterator; its `natural_length` (4 to 48, a
function of model, prompt and seed) and `finish_reason` (`stop` when the natural length fits in
`max_tokens`, else `length`) are known before the first token, so callers never guess.
A `seed` of None draws a random seed (see `Generation.seed`).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

EMBEDDING_DIMENSIONS = 64
TOP_ALTERNATIVES = 20
MIN_NATURAL, MAX_NATURAL = 4, 48
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_VOCAB = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "is",
    "that",
    "it",
    "for",
    "on",
    "with",
    "as",
    "was",
    "at",
    "by",
    "an",
    "be",
    "this",
    "from",
    "or",
    "are",
    "have",
    "not",
    "but",
    "had",
    "they",
    "his",
    "her",
    "she",
    "which",
    "you",
    "one",
    "all",
    "were",
    "we",
    "there",
    "can",
    "been",
    "if",
    "more",
    "when",
    "will",
    "would",
    "who",
    "so",
    "no",
    "model",
    "token",
    "stream",
    "gateway",
    "worker",
    "queue",
    "pool",
    "session",
    "cache",
    "light",
    "river",
    "stone",
    "cloud",
    "field",
    "signal",
    "answer",
    "number",
    "quiet",
    "early",
    "later",
    "green",
    "blue",
    "small",
    "large",
    "north",
    "south",
    "reason",
    "order",
]


@dataclass(frozen=True)
class GeneratedToken:
    """One output token with its log-probability and the top alternatives (sorted, finite, <= 0)."""

    index: int
    text: str
    logprob: float
    top: tuple[tuple[str, float], ...]


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


class Generation(Iterator[GeneratedToken]):
    """The tokens of one generation, with its natural length and finish reason known up front."""

    def __init__(self, *, model: str, prompt: str, seed: int, max_tokens: int) -> None:
        self.model = model
        self.prompt = prompt
        self.seed = seed
        self.max_tokens = max(0, max_tokens)
        self.natural_length = _rng("length", model, prompt, seed).randint(MIN_NATURAL, MAX_NATURAL)
        self.length = min(self.natural_length, self.max_tokens)
        self.finish_reason: Literal["stop", "length"] = (
            "stop" if self.natural_length <= self.max_tokens else "length"
        )
        self._rng = _rng("tokens", model, prompt, seed)
        self._next = 0

    def __iter__(self) -> Generation:
        return self

    def __next__(self) -> GeneratedToken:
        if self._next >= self.length:
            raise StopIteration
        index = self._next
        self._next += 1
        words = self._rng.sample(_VOCAB, TOP_ALTERNATIVES)
        raw = sorted((self._rng.uniform(-8.0, 0.0) for _ in words), reverse=True)
        norm = math.log(sum(math.exp(v) for v in raw))
        top = tuple((" " + w if index else w, round(v - norm, 6)) for w, v in zip(words, raw, strict=True))
        text, logprob = top[0]
        return GeneratedToken(index=index, text=text, logprob=logprob, top=top)


class SyntheticEngine:
    """Token counting, generation, embeddings and rerank scores, all deterministic."""

    name = "synthetic"
    version = "1.0"

    def count_tokens(self, text: str) -> int:
        """Words and punctuation marks, the way a simple tokenizer would count them."""
        return len(_TOKEN_RE.findall(text))

    def resolve_seed(self, seed: int | None) -> int:
        """The seed a generation will use: the given one, or a fresh random one."""
        return seed if seed is not None else secrets.randbits(63)

    def generate(self, *, model: str, prompt: str, seed: int | None, max_tokens: int) -> Generation:
        """The tokens for (model, prompt, seed), at most `max_tokens` of them."""
        return Generation(model=model, prompt=prompt, seed=self.resolve_seed(seed), max_tokens=max_tokens)

    def embed(self, *, model: str, text: str, dimensions: int | None = None) -> list[float]:
        """A unit-norm vector for the text (the first `dimensions` components, renormalised)."""
        dims = EMBEDDING_DIMENSIONS if dimensions is None else max(1, min(dimensions, EMBEDDING_DIMENSIONS))
        rng = _rng("embed", model, text)
        vector = [rng.gauss(0.0, 1.0) for _ in range(EMBEDDING_DIMENSIONS)][:dims]
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def rerank_score(self, *, model: str, query: str, document: str) -> float:
        """Word overlap with the query, plus a small deterministic tie-breaker, in [0, 1]."""
        q = {w.lower() for w in _TOKEN_RE.findall(query)}
        d = {w.lower() for w in _TOKEN_RE.findall(document)}
        overlap = len(q & d) / len(q | d) if q | d else 0.0
        jitter = _rng("rerank", model, query, document).random() * 0.01
        return round(min(1.0, overlap * 0.99 + jitter), 6)
