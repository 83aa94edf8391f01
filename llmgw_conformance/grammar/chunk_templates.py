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


class ContentTemplate:
    """One stream's schema check with the template shortcut (one template: the last valid chunk
    with a plain ``content`` string). ``check`` is the compiled validator's ``is_valid``; ``enabled``
    says :func:`content_is_free_text` holds for its schema. ``is_valid`` raises what ``check`` raises."""

    __slots__ = ("_check", "_enabled", "_prefix", "_prefix_len", "_suffix", "_suffix_len")

    def __init__(self, check: Callable[[Any], bool], enabled: bool) -> None:
        self._check = check
        self._enabled = enabled
        self._prefix = ""
        self._suffix = ""
        self._prefix_len = -1  # no template yet
        self._suffix_len = 0

    def is_valid(self, data: str, payload: Any) -> bool:
        """The schema's verdict on ``payload``, decoded from ``data``."""
        a = self._prefix_len
        if a >= 0 and data.startswith(self._prefix) and data.endswith(self._suffix):
            b = len(data) - self._suffix_len
            if a <= b and data.find('"', a, b) < 0 and data.find("\\", a, b) < 0:
                return True
        valid = self._check(payload)
        if valid and self._enabled:
            self._learn(data)
        return valid

    def _learn(self, data: str) -> None:
        """Make ``data`` (valid) the template when its first content string is plain text."""
        i = data.find(_KEY)
        if i < 0 or (i and data[i - 1] == "\\"):
            return  # no content string, or a quote that may be escaped: the key may not be `content`
        a = i + len(_KEY)
        b = data.find('"', a)
        if b < 0 or data.find("\\", a, b) >= 0:
            return
        self._prefix, self._suffix = data[:a], data[b:]
        self._prefix_len, self._suffix_len = a, len(data) - b


def chunk_schema(schema_name: str, contract_dir: Path | None = None) -> ContentTemplate:
    """A new stream's schema check of ``schema_name`` chunks (the proof of free text is cached)."""
    check = validator(schema_name, contract_dir)
    return ContentTemplate(check.raw_is_valid, _free_text(schema_name, contract_dir or CONTRACT_DIR))


@functools.cache
def _free_text(schema_name: str, contract_dir: Path) -> bool:
    return content_is_free_text(schema_name, bundled_defs(contract_dir))
