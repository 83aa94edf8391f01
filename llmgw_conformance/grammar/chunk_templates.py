"""Skip the schema check of a chunk that is a validated chunk with only its text changed.

Why: in a chat stream nearly every chunk is the previous one's bytes with another ``content``
string, and the compiled schema check (``jsonschema_rs``' ``is_valid``, which walks the decoded
payload) costs about as much as decoding it (``make bench`` 2a). A chunk whose data is exactly
``prefix + text + suffix`` of the last chunk that passed the schema, where ``prefix`` ends with the
opening quote of its first ``"content":"`` string, ``suffix`` starts with that string's closing
quote, and ``text`` holds no quote and no backslash, decodes to the same payload except for that
one string's value, so the schema gives the same answer, provided the schema constrains no string
at a ``content`` key (no pattern, length, format, enum, const). :func:`content_is_free_text` proves
that from the schema once; when it does not hold the template is never used.

The check compares the data with the template (``startswith``, ``endswith``, two ``find``): C-level
scans of the string the reader already has, no slicing. tests/conformance/streams/
test_chunk_templates.py shows with hypothesis that the verdict always equals the schema's own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from .payloads import fast_decoder
from .schemas import CONTRACT_DIR, bundled_defs, validator

__all__ = ["ContentTemplate", "chunk_schema", "content_is_free_text"]

_KEY: Final = '"content":"'
#: Keywords that make a string's validity depend on its value (or that this proof does not follow).
_STRING_CONSTRAINTS: Final = frozenset(
    {"pattern", "minLength", "maxLength", "format", "enum", "const", "not", "if", "then", "else",
     "contentEncoding", "contentMediaType", "contentSchema", "$dynamicRef", "$recursiveRef"}
)  # fmt: skip
_BRANCHES: Final = ("anyOf", "oneOf", "allOf")


def content_is_free_text(schema_name: str, defs: Mapping[str, Any] | None = None) -> bool:
    """True when no schema reachable from ``schema_name`` that can apply to the value of a
    ``content`` key constrains a string beyond its type (so any string there validates alike)."""
    found = defs if defs is not None else bundled_defs()
    seen: set[int] = set()
    free = True

    def value_is_free(node: Any) -> bool:
        node = _resolve(node, found)
        if not isinstance(node, dict):
            return True
        if _STRING_CONSTRAINTS & node.keys():
            return False
        return all(value_is_free(b) for key in _BRANCHES for b in node.get(key, ()))

    def walk(node: Any) -> None:
        nonlocal free
        node = _resolve(node, found)
        if not free or id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict) and "content" in props and not value_is_free(props["content"]):
                free = False
            for key in ("patternProperties", "additionalProperties", "unevaluatedProperties"):
                extra = node.get(key)
                values = extra.values() if key == "patternProperties" and isinstance(extra, dict) else [extra]
                if any(isinstance(v, dict) and not value_is_free(v) for v in values):
                    free = False
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(found[schema_name])
    return free


def _resolve(node: Any, defs: Mapping[str, Any]) -> Any:
    """Follow a local ``#/$defs/X`` reference (the bundled form every ref has)."""
    while isinstance(node, dict) and isinstance(ref := node.get("$ref"), str) and ref.startswith("#/$defs/"):
        node = defs[ref.removeprefix("#/$defs/")]
    return node


_SCALARS: Final = (str, int, float, bool, type(None))
#: What no decoded payload is (a JSON ``null`` chunk decodes to None, which must not pass as a hit).
_NO_HIT: Final = object()


class ContentTemplate:
    """One stream's chunk decoding and schema check, with the template shortcut.

    The template is the last chunk that passed the schema and has the usual shape: one choice, whose
    delta has a plain ``content`` string, the only ``"content"`` in its bytes, and scalars everywhere
    else. A later chunk that is the template's bytes around other plain text (no quote, no backslash,
    nothing JSON must escape) is decoded by copying the template's three objects with the new text:
    the payload the JSON decoder would give, in the same key order, sharing only immutable scalars;
    and it is valid without running the schema. Everything else takes the decoder and the compiled
    check. ``check`` is the compiled ``is_valid``; ``enabled`` says :func:`content_is_free_text`
    holds; ``decode`` raises what ``decoder`` raises, ``is_valid`` what ``check`` raises.
    """

    __slots__ = (
        "_check", "_choice", "_decoder", "_delta", "_enabled", "_hit", "_prefix", "_prefix_len",
        "_suffix", "_suffix_len", "_top",
    )  # fmt: skip

    def __init__(self, check: Callable[[Any], bool], enabled: bool, decoder: Callable[[str], Any]) -> None:
        self._check = check
        self._enabled = enabled
        self._decoder = decoder
        self._prefix = ""
        self._suffix = ""
        self._prefix_len = -1  # no template yet
        self._suffix_len = 0
        self._top: dict[str, Any] = {}
        self._choice: dict[str, Any] = {}
        self._delta: dict[str, Any] = {}
        self._hit: Any = _NO_HIT  # the payload last built from the template

    def decode(self, data: str) -> Any:
        """``data`` as JSON: from the template when it matches, else by the decoder."""
        a = self._prefix_len
        if a >= 0 and data.startswith(self._prefix) and data.endswith(self._suffix):
            text = data[a : len(data) - self._suffix_len]
            if (
                '"' not in text
                and "\\" not in text
                and text.isprintable()
                and len(data) >= a + self._suffix_len
            ):
                delta = self._delta.copy()
                delta["content"] = text
                choice = self._choice.copy()
                choice["delta"] = delta
                top = self._top.copy()
                top["choices"] = [choice]
                self._hit = top
                return top
        return self._decoder(data)

    def is_valid(self, data: str, payload: Any) -> bool:
        """The schema's verdict on ``payload``, decoded from ``data``."""
        if payload is self._hit:
            return True
        valid = self._check(payload)
        if valid and self._enabled:
            self._learn(data, payload)
        return valid

    def _learn(self, data: str, payload: Any) -> None:
        """Make ``data`` (valid, decoded to ``payload``) the template when it has the usual shape."""
        i = data.find(_KEY)
        if i < 0 or data.count('"content"') != 1 or (i and data[i - 1] == "\\"):
            return  # no content string, another "content" token, or a quote that may be escaped
        a = i + len(_KEY)
        b = data.find('"', a)
        choices = payload.get("choices") if type(payload) is dict else None
        if b < 0 or type(choices) is not list or len(choices) != 1 or type(choices[0]) is not dict:
            return
        choice = choices[0]
        delta = choice.get("delta")
        if type(delta) is not dict or delta.get("content") != data[a:b] or "\\" in data[a:b]:
            return
        if not (
            _scalars_but(payload, "choices") and _scalars_but(choice, "delta") and _scalars_but(delta, "")
        ):
            return
        self._prefix, self._suffix = data[:a], data[b:]
        self._prefix_len, self._suffix_len = a, len(data) - b
        self._top, self._choice, self._delta = payload, choice, delta


def _scalars_but(obj: dict[str, Any], key: str) -> bool:
    """Every value of ``obj`` but ``obj[key]`` is a scalar (copies may share it safely)."""
    return all(k == key or isinstance(v, _SCALARS) for k, v in obj.items())


def chunk_schema(schema_name: str, contract_dir: Path | None = None) -> ContentTemplate:
    """A new stream's schema check of ``schema_name`` chunks (the proof of free text is cached)."""
    check = validator(schema_name, contract_dir)
    enabled = _free_text(schema_name, contract_dir or CONTRACT_DIR)
    return ContentTemplate(check.raw_is_valid, enabled, fast_decoder())


@functools.cache
def _free_text(schema_name: str, contract_dir: Path) -> bool:
    return content_is_free_text(schema_name, bundled_defs(contract_dir))
