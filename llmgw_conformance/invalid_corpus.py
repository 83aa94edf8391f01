"""The invalid-request corpus: cases derived from an operation's request schema and one valid body.

Why derived, and why every case is checked against the schema: hand-written probes cover the
fields someone thought of; schemathesis' negative mode stops at the first failure and finds each
kind of defect at random. This builder walks the contract's request schema and a valid body and
makes, per field, the classic mistakes a client makes (a required field missing, a wrong type, an
enum value outside its set, a number just outside its bounds), plus the whole-body mistakes
(malformed JSON, empty body, a JSON array, a wrong Content-Type). Each mutated body is validated
against the contract before it becomes a case, so a case is invalid by the contract, not by guess.

Pure functions only: the check (checks/invalid_requests.py) sends the cases and judges the answers.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

#: A value of no type a field may expect, tried in this order (non-coercible ones first).
WRONG_VALUES: tuple[Any, ...] = (
    "conformance-wrong-type",
    12345,
    0.5,
    True,
    {"conformance": 1},
    ["conformance"],
)
#: Wrong values tried first per the type of the value being replaced.
_WRONG_BY_TYPE: dict[type, tuple[Any, ...]] = {
    str: (12345, {"conformance": 1}, ["conformance"], True),
    int: ("conformance-not-a-number", {"conformance": 1}, ["conformance"], 0.5),
    float: ("conformance-not-a-number", {"conformance": 1}, ["conformance"]),
    bool: ("conformance-not-a-boolean", 12345, {"conformance": 1}),
    list: ("conformance-not-a-list", 12345, {"conformance": 1}),
    dict: ("conformance-not-an-object", 12345, ["conformance"]),
}
OUTSIDE_ENUM = "conformance-not-a-value"
#: Longest array the builder fills to go past ``maxItems``.
MAX_ITEMS_FILLED = 256

Validator = Callable[[Any], bool]


@dataclass(frozen=True)
class InvalidCase:
    """One invalid request: what is wrong, the field it is about, and what to send."""

    name: str
    #: missing | wrong-type | enum | range | items | malformed-json | empty-body | root-type | content-type
    #: | method
    kind: str
    field: str | None = None
    body: Any = None
    #: Raw bytes to send instead of ``body`` (malformed JSON, empty body, wrong Content-Type).
    content: bytes | None = None
    content_type: str = "application/json"
    #: False: a server may accept it (an extension or ignorable field of the OpenAI surface).
    must_refuse: bool = True
    #: Another HTTP method than the operation's (the wrong-method case), else None.
    method: str | None = None


def whole_body_cases(base: Any) -> list[InvalidCase]:
    """Malformed JSON, an empty body, a JSON array, the body under a wrong Content-Type, a wrong method."""
    text = json.dumps(base)
    return [
        InvalidCase("malformed JSON body", "malformed-json", content=text[: max(len(text) // 2, 2)].encode()),
        InvalidCase("empty body", "empty-body", content=b""),
        InvalidCase("a JSON array instead of an object", "root-type", body=[base]),
        InvalidCase(
            "a JSON body sent as text/plain", "content-type", content=text.encode(), content_type="text/plain"
        ),
        # Not a body mistake: judged for no 5xx and the surface's error body only (see the check).
        InvalidCase(
            "GET on an operation that takes POST", "method", content=b"", must_refuse=False, method="GET"
        ),
    ]


def field_cases(
    base: Mapping[str, Any],
    properties: Mapping[str, Mapping[str, Any]],
    is_valid: Validator,
    *,
    required: frozenset[str] = frozenset(),
    optional_ok: Callable[[str], bool] = lambda _name: False,
) -> list[InvalidCase]:
    """Per-field cases for ``base``, each kept only when ``is_valid`` (the contract) rejects it.

    ``properties``: the request schema's top-level properties, references resolved one level (so
    enum and bounds are readable). ``optional_ok(name)``: whether a server may accept a bad value
    of that optional top-level field (it then is not a failure to accept it, see the check).
    """
    out: dict[str, InvalidCase] = {}

    def keep(case: InvalidCase) -> None:
        key = json.dumps(case.body, sort_keys=True, default=str)
        if key not in out and not is_valid(case.body):
            top = (case.field or "").split("/")[0]
            lenient = top not in required and optional_ok(top)
            out[key] = InvalidCase(case.name, case.kind, case.field, case.body, must_refuse=not lenient)

    for path, value in _paths(base):
        for case in _present_field_cases(base, path, value, is_valid):
            keep(case)
    for name, schema in properties.items():
        for case in _schema_cases(base, name, schema, is_valid):
            keep(case)
    return list(out.values())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) below the root of a JSON value, parents before children."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key), item
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:1]):  # the first item stands for every item
            yield (*prefix, index), item
            yield from _paths(item, (*prefix, index))


def _label(path: tuple[Any, ...]) -> str:
    return "/".join(str(p) for p in path)


def _with(base: Any, path: tuple[Any, ...], value: Any, *, remove: bool = False) -> Any:
    body = copy.deepcopy(base)
    parent = body
    for part in path[:-1]:
        parent = parent[part]
    if remove:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return body


def _present_field_cases(
    base: Any, path: tuple[Any, ...], value: Any, is_valid: Validator
) -> Iterator[InvalidCase]:
    label = _label(path)
    if isinstance(path[-1], str):
        yield InvalidCase(
            f"required `{label}` missing", "missing", label, _with(base, path, None, remove=True)
        )
    for wrong in _WRONG_BY_TYPE.get(type(value), WRONG_VALUES):
        body = _with(base, path, wrong)
        if not is_valid(body):
            yield InvalidCase(f"`{label}` of the wrong type ({json.dumps(wrong)})", "wrong-type", label, body)
            break
    if isinstance(value, str) and len(path) > 1:
        yield InvalidCase(
            f"`{label}` outside its allowed values", "enum", label, _with(base, path, OUTSIDE_ENUM)
        )


def _branches(schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The schema and its anyOf/oneOf alternatives (where enums and bounds of nullable fields live)."""
    out = [schema]
    for key in ("anyOf", "oneOf"):
        out.extend(b for b in schema.get(key, ()) if isinstance(b, Mapping))
    return out


def _schema_cases(
    base: Mapping[str, Any], name: str, schema: Mapping[str, Any], is_valid: Validator
) -> Iterator[InvalidCase]:
    path = (name,)
    if name not in base:
        for wrong in WRONG_VALUES:
            body = _with(base, path, wrong)
            if not is_valid(body):
                yield InvalidCase(
                    f"`{name}` of the wrong type ({json.dumps(wrong)})", "wrong-type", name, body
                )
                break
    for branch in _branches(schema):
        enum = [v for v in branch.get("enum", ()) if isinstance(v, str)]
        if enum:
            yield InvalidCase(
                f"`{name}` {OUTSIDE_ENUM!r} outside {enum}", "enum", name, _with(base, path, OUTSIDE_ENUM)
            )
        yield from _bound_cases(base, name, branch)


def _bound_cases(base: Mapping[str, Any], name: str, schema: Mapping[str, Any]) -> Iterator[InvalidCase]:
    path = (name,)
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    integer = "integer" in types
    for key, sign, words in (
        ("minimum", -1, "below its minimum"),
        ("maximum", 1, "above its maximum"),
        ("exclusiveMinimum", 0, "at its exclusive minimum"),
        ("exclusiveMaximum", 0, "at its exclusive maximum"),
    ):
        bound = schema.get(key)
        if not isinstance(bound, (int, float)) or isinstance(bound, bool):
            continue
        step = 1 if integer else max(0.01, abs(bound) * 0.01)
        value = bound + sign * step
        value = int(value) if integer else round(value, 6)
        yield InvalidCase(f"`{name}` {value} {words} {bound}", "range", name, _with(base, path, value))
    items = base.get(name)
    min_items = schema.get("minItems")
    if isinstance(min_items, int) and min_items > 0 and isinstance(items, list):
        yield InvalidCase(
            f"`{name}` with {min_items - 1} items, below minItems {min_items}",
            "items",
            name,
            _with(base, path, items[: min_items - 1]),
        )
    max_items = schema.get("maxItems")
    item = items[0] if isinstance(items, list) and items else _sample_item(schema)
    if isinstance(max_items, int) and max_items < MAX_ITEMS_FILLED and item is not None:
        yield InvalidCase(
            f"`{name}` with {max_items + 1} items, above maxItems {max_items}",
            "items",
            name,
            _with(base, path, [item] * (max_items + 1)),
        )
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping) and isinstance(extra.get("maximum"), int):
        yield InvalidCase(
            f"`{name}` value {extra['maximum'] + 1} above its maximum {extra['maximum']}",
            "range",
            name,
            _with(base, path, {"1": extra["maximum"] + 1}),
        )


def _sample_item(schema: Mapping[str, Any]) -> Any:
    """A plain item for an array of strings or integers (None when the items are anything richer)."""
    items = schema.get("items")
    kind = items.get("type") if isinstance(items, Mapping) else None
    return {"string": "conformance", "integer": 1}.get(kind) if isinstance(kind, str) else None
