"""The normalised form both sides are compared in: a :class:`Shape` per JSON value.

A shape says which JSON values a schema accepts, in the terms the fidelity check compares: the
JSON types (``types``, ``None`` for any value; ``null`` is not among them), whether ``null`` is
accepted, the allowed scalar values (``enum``), the declared ``default``, the constraint keywords
(``limits``: bounds, lengths, item and property counts, ``pattern``), and for arrays and objects
the shapes inside them.

Unions (``anyOf``/``oneOf`` in a contract, ``one_of`` in the facts) are flattened by :func:`union`:
the types, null and enum values of the branches are united, the object branches' fields are merged
field by field (a key is required only when every object branch requires it), and a limit survives
only when every branch it applies to has one (the loosest wins).  A discriminated union of objects
(the OpenAI message roles, the content parts) thus compares as one object whose ``role`` or ``type``
enum lists every variant; both sides are flattened the same way, so a contract may model such a
union as one object or as ``oneOf`` branches.

``allOf`` members and the siblings of a ``$ref`` are combined by :func:`refine`: later members
refine earlier ones, and a field defined again replaces the earlier definition (the reading the
official description's own ``allOf`` chains need: ``top_logprobs`` is non-nullable in a base and
nullable in the chat request that extends it).

Shapes built from the contract remember where they were written (``nodes``, the written node first,
and ``facet_nodes``, the node each facet came from) so that a difference can point into the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tools.specs import Location

JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object")
SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean"})
NUMERIC_TYPES = frozenset({"number", "integer"})

# Constraint keyword -> (the JSON types it applies to, how a union combines two values).
LOWER = min
UPPER = max
LIMITS: dict[str, tuple[frozenset[str], Callable[[Any, Any], Any] | None]] = {
    "minimum": (NUMERIC_TYPES, LOWER),
    "maximum": (NUMERIC_TYPES, UPPER),
    "exclusiveMinimum": (NUMERIC_TYPES, LOWER),
    "exclusiveMaximum": (NUMERIC_TYPES, UPPER),
    "minLength": (frozenset({"string"}), LOWER),
    "maxLength": (frozenset({"string"}), UPPER),
    "pattern": (frozenset({"string"}), None),
    "minItems": (frozenset({"array"}), LOWER),
    "maxItems": (frozenset({"array"}), UPPER),
    "minProperties": (frozenset({"object"}), LOWER),
    "maxProperties": (frozenset({"object"}), UPPER),
}


class _NoDefault:
    """The marker of a shape that declares no default (``None`` is the default ``null``)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT: Any = _NoDefault()


@dataclass
class Shape:
    """The JSON values one schema accepts, in the compared terms (see the module docstring)."""

    types: frozenset[str] | None = None
    nullable: bool = True
    enum: tuple[Any, ...] | None = None
    default: Any = NO_DEFAULT
    limits: dict[str, Any] = field(default_factory=dict)
    items: Shape | None = None
    fields: dict[str, Shape] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    closed: bool = False
    values: Shape | None = None
    deprecated: bool = False
    nodes: tuple[Location, ...] = ()
    facet_nodes: dict[str, Location] = field(default_factory=dict)

    @property
    def is_any(self) -> bool:
        """True when the shape puts no constraint on the JSON type."""
        return self.types is None

    @property
    def json_types(self) -> frozenset[str]:
        """``types``, or every JSON type when the shape puts no constraint on it."""
        return frozenset(JSON_TYPES) if self.types is None else self.types

    def where(self, facet: str) -> Location | None:
        """The contract node that states ``facet``, else the node the value is written at."""
        if facet in self.facet_nodes:
            return self.facet_nodes[facet]
        return self.nodes[0] if self.nodes else None


def any_shape(nodes: tuple[Location, ...] = ()) -> Shape:
    """A schema that accepts every JSON value, ``null`` included."""
    return Shape(types=None, nullable=True, nodes=nodes)


# Python type -> JSON type, bool before int (a bool is an int to isinstance).
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def infer_types(values: Iterable[Any]) -> frozenset[str]:
    """The JSON types of some ``enum``/``const`` values (``null`` is not a type here)."""
    found = (next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), None) for value in values)
    return frozenset(name for name in found if name is not None)


def _dedupe(items: Iterable[Any]) -> tuple[Any, ...]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return tuple(out)


def _merge_facet_nodes(shapes: Sequence[Shape]) -> dict[str, Location]:
    merged: dict[str, Location] = {}
    for shape in shapes:
        for facet, location in shape.facet_nodes.items():
            merged.setdefault(facet, location)
    return merged


def _union_limits(shapes: Sequence[Shape]) -> dict[str, Any]:
    limits: dict[str, Any] = {}
    for name, (applies_to, combine) in LIMITS.items():
        relevant = [s for s in shapes if s.json_types & applies_to]
        values = [s.limits.get(name) for s in relevant]
        if not relevant or any(v is None for v in values):
            continue
        if combine is None:
            if len(set(values)) == 1:
                limits[name] = values[0]
        else:
            result = values[0]
            for value in values[1:]:
                result = combine(result, value)
            limits[name] = result
    return limits


def _union_optional(shapes: Sequence[Shape | None]) -> Shape | None:
    """The union of nested shapes, where ``None`` (unconstrained) absorbs the rest."""
    if not shapes or any(s is None for s in shapes):
        return None
    return union([s for s in shapes if s is not None])


def union(shapes: Sequence[Shape]) -> Shape:
    """The shape of a value that matches any one of ``shapes`` (``anyOf``/``oneOf``), flattened."""
    if len(shapes) == 1:
        return shapes[0]
    nodes = _dedupe(n for s in shapes for n in s.nodes)
    if not shapes or any(s.is_any for s in shapes):
        return replace(any_shape(nodes), facet_nodes=_merge_facet_nodes(shapes))
    scalar = [s for s in shapes if s.json_types & SCALAR_TYPES]
    enum: tuple[Any, ...] | None = None
    if scalar and all(s.enum is not None for s in scalar):
        enum = _dedupe(v for s in scalar for v in s.enum or ())
    arrays = [s for s in shapes if "array" in s.json_types]
    objects = [s for s in shapes if "object" in s.json_types]
    fields: dict[str, Shape] = {}
    for name in _dedupe(n for s in objects for n in s.fields):
        fields[name] = union([s.fields[name] for s in objects if name in s.fields])
    required = frozenset.intersection(*(s.required for s in objects)) if objects else frozenset()
    defaults = [s.default for s in shapes if s.default is not NO_DEFAULT]
    return Shape(
        types=frozenset().union(*(s.json_types for s in shapes)),
        nullable=any(s.nullable for s in shapes),
        enum=enum,
        default=defaults[0] if defaults else NO_DEFAULT,
        limits=_union_limits(shapes),
        items=_union_optional([s.items for s in arrays]) if arrays else None,
        fields=fields,
        required=required,
        closed=bool(objects) and all(s.closed for s in objects),
        values=_union_optional([s.values for s in objects]) if objects else None,
        deprecated=all(s.deprecated for s in shapes),
        nodes=nodes,
        facet_nodes=_merge_facet_nodes(shapes),
    )


def _refine_types(base: frozenset[str] | None, more: frozenset[str] | None) -> frozenset[str] | None:
    if base is None:
        return more
    if more is None:
        return base
    both = set(base & more)
    if "number" in base and "integer" in more:
        both.add("integer")
    if "integer" in base and "number" in more:
        both.add("integer")
    return frozenset(both)


def _refine_optional(base: Shape | None, more: Shape | None) -> Shape | None:
    if base is None:
        return more
    if more is None:
        return base
    return refine(base, more)


def refine(base: Shape, more: Shape) -> Shape:
    """``base`` further constrained by ``more`` (``allOf``, ``$ref`` siblings); ``more`` wins a clash.

    A field defined by both is taken from ``more`` whole (override, not intersection).
    """
    fields = dict(base.fields)
    fields.update(more.fields)
    facet_nodes = dict(base.facet_nodes)
    facet_nodes.update(more.facet_nodes)
    return Shape(
        types=_refine_types(base.types, more.types),
        nullable=base.nullable and more.nullable,
        enum=more.enum if more.enum is not None else base.enum,
        default=more.default if more.default is not NO_DEFAULT else base.default,
        limits={**base.limits, **more.limits},
        items=_refine_optional(base.items, more.items),
        fields=fields,
        required=base.required | more.required,
        closed=base.closed or more.closed,
        values=_refine_optional(base.values, more.values),
        deprecated=base.deprecated or more.deprecated,
        nodes=_dedupe((*base.nodes, *more.nodes)),
        facet_nodes=facet_nodes,
    )
