"""Tool calls and structured output of the synthetic engine: deterministic JSON built from a schema.

A real model writes arguments that fit the function's ``parameters`` JSON Schema.  The synthetic
engine cannot, so the surface builds them: every property gets a value of its type (enum and const
respected, numeric bounds respected, string values taken from the generated text), seeded by the
generated text so the same tokens always give the same arguments.  The schema is client input:
anything malformed degrades to a string value, recursion is bounded, nothing raises.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import re
from typing import Any

MAX_DEPTH = 6
MAX_PROPERTIES = 32
FRAGMENT_CHARS = 8
_WORD = re.compile(r"[A-Za-z0-9]+")


def call_id(task_id: str, index: int) -> str:
    """A call id unique per task and call position (``call_`` + 24 hex digits)."""
    digest = hashlib.sha256(f"{task_id}/{index}".encode()).hexdigest()
    return f"call_{digest[:24]}"


def _bound(value: Any, default: float) -> float:
    """A finite numeric bound of a schema, or ``default`` when absent, malformed or huge."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return default
    try:
        number = float(value)
    except OverflowError:
        return default
    return number if math.isfinite(number) and abs(number) < 1e15 else default


class _ValueMaker:
    def __init__(self, name: str, text: str) -> None:
        self.rng = random.Random(hashlib.sha256(f"{name}\0{text}".encode()).digest())
        self.words = _WORD.findall(text) or ["synthetic"]

    def word(self) -> str:
        return str(self.rng.choice(self.words))

    def value(self, schema: Any, depth: int) -> Any:
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return self.word()
        if "const" in schema:
            return schema["const"]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return enum[self.rng.randrange(len(enum))]
        for combinator in ("anyOf", "oneOf", "allOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options:
                return self.value(options[0], depth + 1)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        return self._typed(kind, schema, depth)

    def _typed(self, kind: Any, schema: dict[str, Any], depth: int) -> Any:
        if kind == "object" or (kind is None and isinstance(schema.get("properties"), dict)):
            return self.object(schema, depth)
        if kind == "array":
            low = schema.get("minItems")
            count = low if isinstance(low, int) and 1 <= low <= 4 else 1
            return [self.value(schema.get("items"), depth + 1) for _ in range(count)]
        if kind in ("integer", "number"):
            return self.number(kind, schema)
        if kind == "boolean":
            return self.rng.random() < 0.5
        if kind == "null":
            return None
        return self.word()

    def number(self, kind: str, schema: dict[str, Any]) -> int | float:
        low_n = _bound(schema.get("minimum"), 0.0)
        high_n = _bound(schema.get("maximum"), low_n + 100.0)
        if high_n < low_n:
            high_n = low_n
        if kind == "integer":
            low_i, high_i = int(-(-low_n // 1)), int(high_n // 1)
            return self.rng.randint(low_i, max(low_i, high_i))
        return round(self.rng.uniform(low_n, high_n), 3)

    def object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return {}
        return {
            str(key): self.value(sub, depth + 1) for key, sub in list(properties.items())[:MAX_PROPERTIES]
        }


def build_arguments(name: str, parameters: Any, generated_text: str) -> str:
    """The arguments JSON of one call; the same (name, parameters, text) always gives the same string."""
    maker = _ValueMaker(name, generated_text)
    value = maker.object(parameters, 0) if isinstance(parameters, dict) else {}
    return json.dumps(value, separators=(", ", ": "), ensure_ascii=False)


def split_fragments(arguments: str, size: int = FRAGMENT_CHARS) -> list[str]:
    """The arguments cut into streaming fragments (at least one, possibly empty)."""
    return [arguments[i : i + size] for i in range(0, len(arguments), size)] or [""]


def build_structured_output(schema: Any, generated_text: str) -> str:
    """The content for ``response_format``: a value of ``schema`` (``json_schema``), or for
    ``json_object`` (``schema`` None) an object holding the generated text; always valid JSON."""
    if schema is None:
        return json.dumps({"text": generated_text}, ensure_ascii=False)
    return json.dumps(_ValueMaker("response_format", generated_text).value(schema, 0), ensure_ascii=False)
