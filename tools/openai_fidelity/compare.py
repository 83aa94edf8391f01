"""Comparing an official shape with ours: every difference, as a :class:`Difference`.

Each aspect is a small pure function returning ``(official, ours)`` texts when the two differ, or
``None``.  :func:`compare` applies them at one value and walks into array items, map values and
object fields.  What counts:

* ``type``: the JSON types differ (``integer`` and ``number`` are different types).  When either side
  accepts any value, only ``type`` is reported there and nothing below it.
* ``nullable``: one side accepts ``null`` and the other does not.
* ``enum``: the allowed values differ (a ``const`` is an enum of one; no enum is "any value").
* a constraint keyword (``minimum`` ... ``maxProperties``, ``pattern``): the values differ, absence
  included; numbers are compared as floats, so ``-9223372036854775808`` (int64) matches the rounded
  ``-9223372036854776000`` the official file writes.
* ``default``: only when ours declares one and it is not the official one (ours may say nothing).
* ``closed``: one side refuses unknown keys (``additionalProperties: false``) and the other does not.
* ``missing``: an official field that ours lacks.  ``extra``: a field of ours that the official
  description does not define; always reported, whether or not either object is closed: in a
  request it is a gateway extension an OpenAI client never sends, in a response a key OpenAI never
  returns, and either way it should say why it is there.
* ``required``: a field required on one side and optional on the other.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tools.openai_fidelity.shape import JSON_TYPES, LIMITS, NO_DEFAULT, Shape, any_shape
from tools.specs import Location

ASPECTS = ("type", "nullable", "enum", "default", *LIMITS, "closed", "missing", "extra", "required")

Texts = tuple[str, str] | None


@dataclass(frozen=True)
class Anchor:
    """Where a decision about a difference may be written.

    ``field`` None: the ``x-openai-fidelity`` of the schema node at ``location`` itself;
    a field name: the entry ``properties.<field>`` of the ``x-openai-fidelity`` of the object there.
    """

    location: Location
    field: str | None = None


@dataclass(frozen=True)
class Difference:
    """One difference: the official path, the aspect, both sides in words, and where it is in ours."""

    path: str
    aspect: str
    official: str
    ours: str
    location: Location | None
    anchors: tuple[Anchor, ...] = ()

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """What makes two differences the same one, reached by different official paths."""
        last = self.path.rsplit(".", 1)[-1]
        return (str(self.location), self.aspect, last, self.official, self.ours)

    def line(self) -> str:
        where = str(self.location) if self.location is not None else "(not in ours)"
        return f"{self.path}  {where}  {self.aspect}: official {self.official}; ours {self.ours}"


def same(a: Any, b: Any) -> bool:
    """Equal values, numbers compared as floats (the official file writes the int64 bounds rounded)."""
    if _is_number(a) and _is_number(b):
        return float(a) == float(b)
    return type(a) is type(b) and bool(a == b)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def show(value: Any) -> str:
    """A value as JSON text (strings quoted), for messages."""
    return json.dumps(value, sort_keys=True)


def show_types(shape: Shape) -> str:
    """``string|null``-style type text; ``any`` for an unconstrained shape."""
    if shape.types is None:
        return "any"
    names = [t for t in JSON_TYPES if t in shape.types]
    if shape.nullable:
        names.append("null")
    return "|".join(names) or "nothing"


def show_shape(shape: Shape) -> str:
    """A one-phrase summary of a shape (its types, enum values, deprecation)."""
    text = show_types(shape)
    if shape.enum is not None:
        text += " " + show(list(shape.enum))
    if shape.deprecated:
        text += " (deprecated)"
    return text


def diff_type(official: Shape, ours: Shape) -> Texts:
    if official.types == ours.types:
        return None
    return show_types_only(official), show_types_only(ours)


def show_types_only(shape: Shape) -> str:
    if shape.types is None:
        return "any"
    return "|".join(t for t in JSON_TYPES if t in shape.types) or "null only"


def diff_nullable(official: Shape, ours: Shape) -> Texts:
    if official.nullable == ours.nullable:
        return None
    words = ("nullable", "not nullable")
    return _word(official.nullable, *words), _word(ours.nullable, *words)


def _word(flag: bool, yes: str, no: str) -> str:
    return yes if flag else no


def diff_enum(official: Shape, ours: Shape) -> Texts:
    if official.enum is None and ours.enum is None:
        return None
    if official.enum is not None and ours.enum is not None and set(official.enum) == set(ours.enum):
        return None
    official_text = "any value" if official.enum is None else show(list(official.enum))
    ours_text = "any value" if ours.enum is None else show(list(ours.enum))
    if official.enum is not None and ours.enum is not None:
        lacking = [v for v in official.enum if v not in ours.enum]
        added = [v for v in ours.enum if v not in official.enum]
        notes = [f"lacks {show(lacking)}"] if lacking else []
        notes += [f"adds {show(added)}"] if added else []
        ours_text += f" ({', '.join(notes)})"
    return official_text, ours_text


def diff_limit(name: str) -> Callable[[Shape, Shape], Texts]:
    """The aspect function of one constraint keyword."""

    def diff(official: Shape, ours: Shape) -> Texts:
        a, b = official.limits.get(name), ours.limits.get(name)
        if same(a, b):
            return None
        return ("none" if a is None else show(a)), ("none" if b is None else show(b))

    diff.__name__ = f"diff_{name}"
    return diff


def diff_default(official: Shape, ours: Shape) -> Texts:
    if ours.default is NO_DEFAULT or same(ours.default, official.default):
        return None
    return ("none" if official.default is NO_DEFAULT else show(official.default)), show(ours.default)


def diff_closed(official: Shape, ours: Shape) -> Texts:
    if official.closed == ours.closed:
        return None
    return _word(official.closed, "closed", "open"), _word(ours.closed, "closed", "open")


def diff_required(official_required: bool, ours_required: bool) -> Texts:
    if official_required == ours_required:
        return None
    return _word(official_required, "required", "optional"), _word(ours_required, "required", "optional")


VALUE_ASPECTS: tuple[tuple[str, Callable[[Shape, Shape], Texts]], ...] = (
    ("nullable", diff_nullable),
    ("enum", diff_enum),
    ("default", diff_default),
    *((name, diff_limit(name)) for name in LIMITS),
)


def compare(official: Shape, ours: Shape, path: str, anchors: tuple[Anchor, ...] = ()) -> list[Difference]:
    """Every difference between ``official`` and ``ours`` at ``path`` and below it."""
    here = anchors + tuple(Anchor(node) for node in ours.nodes)
    found: list[Difference] = []

    def add(aspect: str, texts: Texts) -> None:
        if texts is not None:
            found.append(Difference(path, aspect, texts[0], texts[1], ours.where(aspect), here))

    add("type", diff_type(official, ours))
    if official.is_any or ours.is_any:
        return found
    for aspect, function in VALUE_ASPECTS:
        add(aspect, function(official, ours))
    both = (official.types or frozenset()) & (ours.types or frozenset())
    if "array" in both:
        found += compare(official.items or any_shape(), ours.items or _unstated(ours), f"{path}[]", here)
    if "object" in both:
        add("closed", diff_closed(official, ours))
        found += compare_fields(official, ours, path)
        if official.values is not None or ours.values is not None:
            official_values, ours_values = official.values or any_shape(), ours.values or _unstated(ours)
            found += compare(official_values, ours_values, f"{path}{{}}", here)
    return found


def _unstated(parent: Shape) -> Shape:
    """An unconstrained nested shape that points at its parent's node."""
    return any_shape(parent.nodes[:1])


def compare_fields(official: Shape, ours: Shape, path: str) -> list[Difference]:
    """Missing, extra and required differences of an object's fields, and those inside each field."""
    found: list[Difference] = []
    for name, official_field in official.fields.items():
        field_path = f"{path}.{name}"
        parents = tuple(Anchor(node, name) for node in ours.nodes)
        if name not in ours.fields:
            text = show_shape(official_field) + (", required" if name in official.required else "")
            found.append(Difference(field_path, "missing", text, "absent", ours.where("fields"), parents))
            continue
        ours_field = ours.fields[name]
        texts = diff_required(name in official.required, name in ours.required)
        if texts is not None:
            anchors = parents + tuple(Anchor(node) for node in ours_field.nodes)
            where = ours.where("required")
            found.append(Difference(field_path, "required", texts[0], texts[1], where, anchors))
        found += compare(official_field, ours_field, field_path, parents)
    for name, ours_field in ours.fields.items():
        if name not in official.fields:
            anchors = tuple(Anchor(node, name) for node in ours.nodes)
            anchors += tuple(Anchor(node) for node in ours_field.nodes)
            where = ours_field.nodes[0] if ours_field.nodes else ours.where("fields")
            text = show_shape(ours_field)
            found.append(Difference(f"{path}.{name}", "extra", "absent", text, where, anchors))
    return found
