"""Rewriting ``facts.yaml`` from a copy of the official description (in a session with network).

``python -m tools.openai_fidelity --extract OPENAPI_YAML --commit SHA --commit-date YYYY-MM-DD``
reads the official ``openapi.yaml`` (from the ``openai/openai-openapi`` repository), starts from
the ``roots`` of the current facts file, and writes the facts of every schema they reach.  Only
facts are kept: names, types, nullability, enum values, defaults, constraint keywords, required
keys, closedness, deprecation; no descriptions, examples or other text.

How official schemas become facts shapes (see :mod:`tools.openai_fidelity.facts`):

* a ``$ref`` becomes ``ref`` to an entry of the same name, written once;
* ``allOf`` is flattened into one object, later members overriding a field defined earlier, with
  ``from`` naming the members;
* ``anyOf``/``oneOf``: a branch that is just ``type: null`` becomes ``nullable``; a branch that only
  lists some values of a type another branch accepts whole (a model-id enum beside ``string``) is
  dropped; one branch left is written in place, several as ``one_of``;
* ``nullable: true`` (the OpenAPI 3.0 keyword the official file still uses) and ``"null"`` in a
  ``type`` list or an ``enum`` all become ``nullable: true``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from tools.openai_fidelity.facts import Facts
from tools.openai_fidelity.shape import LIMITS, infer_types

SCHEMA_PREFIX = "#/components/schemas/"
IGNORED = frozenset(
    {"description", "title", "example", "examples", "format", "discriminator", "readOnly", "writeOnly"}
)

HEADER = """\
# Facts of the official OpenAI API description that our contract's OpenAI surface must match.
# Written by `python -m tools.openai_fidelity --extract` from openapi.yaml of the repository named in
# `source` (not by hand; re-run it on a newer copy and review the diff).  Facts only: names, types,
# nullability, values, bounds, required keys; no descriptions.
#
# Structure:
#   source:  repository, path, commit, commit_date, and version (the official `info.version`).
#   roots:   the pairs compared: `official` (an entry of `schemas`) with `ours` (file#pointer of a
#            schema in contracts/openapi/), and the `surface` they describe.
#   schemas: one entry per official schema, keyed by its name in the official file; each is a shape.
# A shape has any of these keys:
#   type       a JSON type or a list of them (string number integer boolean array object);
#              absent: any JSON value.  `null` is never listed: see `nullable`.
#   nullable   true: `null` is accepted too.
#   enum       the allowed values (a single-value enum is the official `const`).
#   default    the documented default (`default: null` is a default of null).
#   minimum maximum exclusiveMinimum exclusiveMaximum minLength maxLength pattern
#   minItems maxItems minProperties maxProperties
#              constraint keywords, as in JSON Schema.
#   items      the shape of an array's items.
#   fields     field name -> shape, for an object; `required` lists the required ones.
#   closed     true: keys other than `fields` are refused.
#   values     the shape of the values of a map (an object with arbitrary keys).
#   deprecated true: the official description marks it deprecated.
#   one_of     alternative shapes (a union); the check flattens it (see shape.py).
#   ref        the shape is the entry of `schemas` of that name (only nullable, default,
#              deprecated and from may stand beside it).
#   from       the official schemas this shape was assembled from (allOf members); a note.
"""


class Extractor:
    """Turns official schemas into facts shapes, collecting each referenced schema once."""

    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self.schemas = schemas
        self.entries: dict[str, Any] = {}
        self.ignored: set[str] = set()
        self._queue: list[str] = []

    def run(self, roots: list[str]) -> dict[str, Any]:
        self._queue = list(roots)
        while self._queue:
            name = self._queue.pop(0)
            if name not in self.entries:
                self.entries[name] = {}
                self.entries[name] = self.shape(self.schemas[name])
        return self.entries

    def _ref_name(self, ref: str) -> str:
        if not ref.startswith(SCHEMA_PREFIX):
            raise ValueError(f"unsupported reference {ref!r}")
        return ref[len(SCHEMA_PREFIX) :]

    def shape(self, node: Mapping[str, Any]) -> dict[str, Any]:
        """The facts shape of one official schema node."""
        out: dict[str, Any] = {}
        if "$ref" in node:
            name = self._ref_name(node["$ref"])
            self._queue.append(name)
            out["ref"] = name
        if "allOf" in node:
            out.update(self._all_of(node["allOf"]))
        self._keywords(node, out)
        for keyword in ("anyOf", "oneOf"):
            if keyword in node:
                self._alternatives(node[keyword], out)
        return out

    def _keywords(self, node: Mapping[str, Any], out: dict[str, Any]) -> None:
        raw_type = node.get("type")
        if raw_type is not None:
            names = [raw_type] if isinstance(raw_type, str) else list(raw_type)
            kept = [n for n in names if n != "null"]
            if kept:
                out["type"] = kept[0] if len(kept) == 1 else kept
            if "null" in names:
                out["nullable"] = True
        if node.get("nullable") is True:
            out["nullable"] = True
        values = [node["const"]] if "const" in node else node.get("enum")
        if values is not None:
            if None in values:
                out["nullable"] = True
            out["enum"] = [v for v in values if v is not None]
            if "type" not in out:
                inferred = sorted(infer_types(out["enum"]))
                out["type"] = inferred[0] if len(inferred) == 1 else inferred
        for key in ("default", *LIMITS):
            if key in node:
                out[key] = node[key]
        if node.get("deprecated") is True:
            out["deprecated"] = True
        if "properties" in node:
            out.setdefault("type", "object")
        if node.get("required"):
            out["required"] = [str(r) for r in node["required"]]
        extra = node.get("additionalProperties")
        if extra is False:
            out["closed"] = True
        elif isinstance(extra, dict) and extra:
            out["values"] = self.shape(extra)
        if isinstance(node.get("items"), dict):
            out["items"] = self.shape(node["items"])
        if "properties" in node:
            out["fields"] = {str(k): self.shape(v) for k, v in node["properties"].items()}
        known = {"$ref", "allOf", "anyOf", "oneOf", "type", "nullable", "const", "enum", "default"}
        known |= {"properties", "required", "additionalProperties", "items", "deprecated", *LIMITS}
        self.ignored |= {k for k in node if k not in known and k not in IGNORED and not k.startswith("x-")}

    def _all_of(self, members: list[Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        sources: list[str] = []
        required: list[str] = []
        closed = False
        for member in members:
            if "$ref" in member:
                name = self._ref_name(member["$ref"])
                sources.append(name)
                member = self.schemas[name]
            flat = self.shape(member)
            sources += [s for s in flat.get("from", []) if s not in sources]
            fields.update(flat.get("fields", {}))
            required += [r for r in flat.get("required", []) if r not in required]
            closed = closed or flat.get("closed") is True
        merged: dict[str, Any] = {"from": sources} if sources else {}
        merged["type"] = "object"
        if required:
            merged["required"] = required
        if closed:
            merged["closed"] = True
        merged["fields"] = fields
        return merged

    def _alternatives(self, branches: list[Any], out: dict[str, Any]) -> None:
        shapes = [self.shape(b) for b in branches]
        if any(s == {"nullable": True} for s in shapes):
            out["nullable"] = True
        shapes = [s for s in shapes if s != {"nullable": True}]
        whole = {s["type"] for s in shapes if set(s) == {"type"} and isinstance(s["type"], str)}
        shapes = [s for s in shapes if not (set(s) == {"type", "enum"} and s["type"] in whole)]
        if len(shapes) == 1:
            for key, value in shapes[0].items():
                out[key] = True if key == "nullable" else value
        elif shapes:
            out["one_of"] = shapes


def extract(
    official: Mapping[str, Any], facts: Facts, commit: str, commit_date: str
) -> tuple[dict[str, Any], list[str]]:
    """The facts document for ``official`` (a parsed openapi.yaml), keeping the roots of ``facts``.

    Also returns the schema keywords met and not recorded (to review: a new kind of constraint).
    """
    extractor = Extractor(official["components"]["schemas"])
    schemas = extractor.run([root.official for root in facts.roots])
    source = {
        "repository": facts.source["repository"],
        "path": facts.source["path"],
        "commit": commit,
        "commit_date": commit_date,
        "version": str(official["info"]["version"]),
    }
    roots = [{"official": r.official, "ours": r.ours, "surface": r.surface} for r in facts.roots]
    return {"source": source, "roots": roots, "schemas": schemas}, sorted(extractor.ignored)


KEY_ORDER = ("from", "ref", "type", "nullable", "enum", "default", *LIMITS, "deprecated")
KEY_ORDER += ("required", "closed", "values", "items", "one_of", "fields")


def ordered(shape: Mapping[str, Any]) -> dict[str, Any]:
    """``shape`` with its keys (and those of the shapes inside it) in one fixed order."""
    out: dict[str, Any] = {}
    for key in sorted(shape, key=KEY_ORDER.index):
        value = shape[key]
        if key in ("items", "values"):
            value = ordered(value)
        elif key == "one_of":
            value = [ordered(branch) for branch in value]
        elif key == "fields":
            value = {name: ordered(field) for name, field in value.items()}
        out[key] = value
    return out


def dump(document: Mapping[str, Any]) -> str:
    """The facts document as YAML, after the fixed header."""

    def block(data: Any, flow: bool | None) -> str:
        return yaml.safe_dump(data, sort_keys=False, default_flow_style=flow, width=110, allow_unicode=True)

    schemas = {name: ordered(shape) for name, shape in document["schemas"].items()}
    head = block({"source": document["source"], "roots": document["roots"]}, False)
    return HEADER + head + block({"schemas": schemas}, None)
