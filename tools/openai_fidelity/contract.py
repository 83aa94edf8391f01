"""Reading a schema of our contract into a :class:`~tools.openai_fidelity.shape.Shape`.

The contract is JSON Schema 2020-12 inside OpenAPI 3.1; the keywords read are ``type`` (a name or a
list, ``"null"`` meaning nullable), ``enum``, ``const``, ``default``, the constraint keywords of
:data:`~tools.openai_fidelity.shape.LIMITS`, ``properties``, ``required``, ``additionalProperties``
(``false``: closed; a schema: the values of a map), ``items``, ``deprecated``, ``$ref`` (across the
three files), ``allOf``, ``anyOf`` and ``oneOf``.  The OpenAPI 3.0 ``nullable: true`` is honoured
too.  Everything else (descriptions, ``format``, ``propertyNames``, ``not``, extensions) is ignored.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tools.openai_fidelity.shape import (
    LIMITS,
    NO_DEFAULT,
    Shape,
    any_shape,
    infer_types,
    refine,
    union,
)
from tools.specs import Location, SpecSet

MAX_DEPTH = 64


def own_shape(node: dict[str, Any], location: Location) -> Shape:
    """The shape stated by the keywords of ``node`` itself, without its children or combinators."""
    facets: dict[str, Location] = {}
    types: frozenset[str] | None = None
    nullable = True
    raw_type = node.get("type")
    if raw_type is not None:
        names = [raw_type] if isinstance(raw_type, str) else [str(t) for t in raw_type]
        types = frozenset(n for n in names if n != "null")
        nullable = "null" in names
        facets["type"] = location
        if nullable:
            facets["nullable"] = location
    enum: tuple[Any, ...] | None = None
    if "const" in node or "enum" in node:
        values = [node["const"]] if "const" in node else list(node["enum"] or [])
        enum = tuple(v for v in values if v is not None)
        facets["enum"] = location
        if types is None:
            types = infer_types(enum)
            nullable = None in values
        elif None not in values:
            nullable = False
    if types is None and any(k in node for k in ("properties", "required", "additionalProperties")):
        types, nullable = frozenset({"object"}), False
    if types is None and "items" in node:
        types, nullable = frozenset({"array"}), False
    limits = {name: node[name] for name in LIMITS if name in node}
    facets.update((name, location) for name in limits)
    if "default" in node:
        facets["default"] = location
    if "properties" in node:
        facets["fields"] = location
    if "required" in node:
        facets["required"] = location
    closed = node.get("additionalProperties") is False
    if closed:
        facets["closed"] = location
    return Shape(
        types=types,
        nullable=nullable,
        enum=enum,
        default=node.get("default", NO_DEFAULT),
        limits=limits,
        required=frozenset(str(r) for r in node.get("required") or ()),
        closed=closed,
        deprecated=node.get("deprecated") is True,
        nodes=(location,),
        facet_nodes=facets,
    )


def normalize(specs: SpecSet, location: Location, node: Any, depth: int = 0) -> Shape:
    """The shape of the schema ``node`` written at ``location``, references and combinators followed."""
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        return any_shape((location,))
    shape = own_shape(node, location)
    children: dict[str, Shape] = {}
    for name, child in (node.get("properties") or {}).items():
        children[str(name)] = normalize(specs, location.child("properties", str(name)), child, depth + 1)
    nested_items = None
    if isinstance(node.get("items"), dict):
        nested_items = normalize(specs, location.child("items"), node["items"], depth + 1)
    nested_values = None
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        nested_values = normalize(specs, location.child("additionalProperties"), extra, depth + 1)
    shape = replace(shape, fields=children, items=nested_items, values=nested_values)
    if isinstance(node.get("$ref"), str):
        target_location, target = specs.resolve_ref(node["$ref"], location.file)
        shape = refine(normalize(specs, target_location, target, depth + 1), shape)
    for index, member in enumerate(node.get("allOf") or ()):
        shape = refine(shape, normalize(specs, location.child("allOf", index), member, depth + 1))
    for keyword in ("anyOf", "oneOf"):
        branches = node.get(keyword)
        if branches:
            alternatives = [
                normalize(specs, location.child(keyword, index), branch, depth + 1)
                for index, branch in enumerate(branches)
            ]
            shape = refine(shape, union(alternatives))
    if node.get("nullable") is True:
        shape = replace(shape, nullable=True, facet_nodes={**shape.facet_nodes, "nullable": location})
    nodes = (location, *(n for n in shape.nodes if n != location))
    return replace(shape, nodes=nodes)


def contract_shape(specs: SpecSet, ref: str) -> Shape:
    """The shape of the schema a ``file#pointer`` reference (relative to the openapi folder) names."""
    file, _, pointer = ref.partition("#")
    location = Location(file, pointer)
    return normalize(specs, location, specs.node(location))
