"""The description rule: every named schema and every property says what it is.

The generated client's docstrings and the SDK guide are written from these descriptions, so a
schema without one is a hole in what a user reads.  Walking every subschema (JSON Schema
2020-12's keywords) finds nested properties too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tools.lint_contracts.contract import Contract, Violation
from tools.specs import ALL_SPECS, Location, walk

# Keywords whose value is one subschema, or a list or map of them (JSON Schema 2020-12).
SUBSCHEMA = (
    "items",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
)
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")


def _schema_roots(contract: Contract) -> Iterator[tuple[Location, Any]]:
    """The named component schemas and the inline schemas of parameters, bodies, and responses."""
    for file in ALL_SPECS:
        doc = contract.specs.doc(file)
        for parts, node in walk(doc):
            named = len(parts) == 3 and parts[:2] == ("components", "schemas")
            inline = (
                bool(parts)
                and parts[-1] in ("schema", "itemSchema")
                and parts[:2] != ("components", "schemas")
            )
            if named or (inline and isinstance(node, dict)):
                yield Location(file, "").child(*parts), node


def _subschemas(where: Location, schema: Any) -> Iterator[tuple[Location, Any]]:
    if not isinstance(schema, dict):
        return
    for key in SUBSCHEMA:
        if isinstance(schema.get(key), dict):
            yield where.child(key), schema[key]
    for key in SUBSCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            for index, sub in enumerate(schema[key]):
                yield where.child(key, index), sub
    for key in SUBSCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            for name, sub in schema[key].items():
                yield where.child(key, str(name)), sub


def _described(contract: Contract, node: Any, file: str) -> bool:
    if isinstance(node, dict) and isinstance(node.get("description"), str) and node["description"].strip():
        return True
    target, resolved = contract.deref(node, file)
    return target is not None and _described(contract, resolved, target.file)


def rule_descriptions(contract: Contract) -> Iterator[Violation]:
    """Every named schema and every property (anywhere, nested ones included) has a description.

    A property that is only a ``$ref`` is described when the schema it points to is: the
    description then lives in one place.
    """
    seen: set[Location] = set()
    pending = list(_schema_roots(contract))
    while pending:
        where, schema = pending.pop()
        if where in seen:
            continue
        seen.add(where)
        parts = where.pointer.split("/")
        if (
            len(parts) == 4
            and parts[1:3] == ["components", "schemas"]
            and not _described(contract, schema, where.file)
        ):
            yield Violation(str(where), f"schema {parts[3]} has no description")
        if isinstance(schema, dict) and isinstance(schema.get("properties"), dict):
            for name, prop in schema["properties"].items():
                if not _described(contract, prop, where.file):
                    yield Violation(
                        str(where.child("properties", str(name))), f"property {name} has no description"
                    )
        pending.extend(_subschemas(where, schema))
