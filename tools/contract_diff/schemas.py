"""Two JSON Schemas compared in the direction data flows: into the server (request) or out (response).

The same edit means opposite things on the two sides, as in oasdiff: a narrower request type refuses
what clients send (breaking), a narrower response type only sends less (compatible).  ``$ref`` is
followed on each side within its own snapshot; a pair of schemas already compared for the same
operation and direction is not compared again (recursive schemas end).  Branches of ``allOf``,
``anyOf`` and ``oneOf`` are paired by position: a schema restructured into branches shows its old
properties as removed, which a reviewer reads as the restructuring it is (and a major release).
"""

from __future__ import annotations

from typing import Any

from tools.contract_diff.collect import ERROR_ENUM_POINTERS, Collector, Node, resolve
from tools.contract_diff.sources import Snapshot

UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
REQUEST, RESPONSE = "request", "response"


class SchemaComparer:
    def __init__(self, old: Snapshot, new: Snapshot, out: Collector) -> None:
        self.old, self.new, self.out = old, new, out
        self._seen: set[tuple[str, str, str, str, str, str]] = set()

    def compare(
        self, old: Node, new: Node, direction: str, operation: str, label: str, in_items: bool = False
    ) -> None:
        old, new = resolve(self.old, old), resolve(self.new, new)
        key = (old.file, old.pointer, new.file, new.pointer, direction, operation)
        if key in self._seen or not isinstance(old.value, dict) or not isinstance(new.value, dict):
            return
        self._seen.add(key)
        parts = new.pointer.split("/")
        if len(parts) == 4 and parts[1:3] == ["components", "schemas"]:
            label = parts[3]  # named by its component: one change wherever the schema is used
        self._types(old, new, direction, operation, label)
        if (new.file, new.pointer) not in ERROR_ENUM_POINTERS:
            self._enums(old, new, direction, operation, label, in_items)
        self._bounds(old, new, direction, operation, label)
        closed = (
            new.value.get("additionalProperties") is False
            and old.value.get("additionalProperties") is not False
        )
        if direction == REQUEST and closed:
            self.out.add(
                "request-additional-properties-closed",
                new.child("additionalProperties"),
                operation,
                what=label,
            )
        self._properties(old, new, direction, operation, label)
        for key_name in ("items", "additionalProperties", "contains"):
            if isinstance(old.value.get(key_name), dict) and isinstance(new.value.get(key_name), dict):
                sub = f"{label}[]" if key_name == "items" else f"{label}.*"
                self.compare(
                    old.child(key_name), new.child(key_name), direction, operation, sub, key_name == "items"
                )
        for key_name in SUBSCHEMA_LISTS:
            olds, news = old.value.get(key_name), new.value.get(key_name)
            if isinstance(olds, list) and isinstance(news, list):
                for index in range(min(len(olds), len(news))):
                    self.compare(
                        old.child(key_name, index),
                        new.child(key_name, index),
                        direction,
                        operation,
                        label,
                        in_items,
                    )

    def _types(self, old: Node, new: Node, direction: str, operation: str, label: str) -> None:
        before, after = _type_set(old.value), _type_set(new.value)
        if before == after:
            return
        lost = before is not None and (after is None or bool(_widen(before) - _widen(after)))
        gained = after is not None and before is not None and bool(_widen(after) - _widen(before))
        gained = gained or (after is None and before is not None)
        narrowed = (before is None and after is not None) or (lost and after is not None)
        show_old, show_new = before or ["any"], after or ["any"]
        at = new.child("type")
        if direction == REQUEST:
            if narrowed:
                self.out.add("request-type-narrowed", at, operation, what=label, old=show_old, new=show_new)
            if gained:
                self.out.add("request-type-widened", at, operation, what=label, old=show_old, new=show_new)
        else:
            if gained:
                self.out.add("response-type-widened", at, operation, what=label, old=show_old, new=show_new)
            if narrowed:
                self.out.add("response-type-narrowed", at, operation, what=label, old=show_old, new=show_new)

    def _enums(
        self, old: Node, new: Node, direction: str, operation: str, label: str, in_items: bool
    ) -> None:
        before, after = _enum(old.value), _enum(new.value)
        if before == after:
            return
        at = new.child("enum")
        if direction == REQUEST:
            if before is None and after is not None:
                self.out.add("request-enum-restricted", at, operation, what=label, new=sorted(after))
                return
            for value in sorted((before or set()) - (after or set())):
                self.out.add("request-enum-value-removed", at, operation, what=label, value=value)
            if after is not None:
                for value in sorted(after - (before or set())):
                    self.out.add("request-enum-value-added", at, operation, what=label, value=value)
            return
        if after is None or before is None:
            return  # an enum dropped or introduced on a response is a type change, judged there
        if old.value.get("x-extensible-enum") is True:
            added_rule = "response-extensible-enum-value-added"
        elif in_items:
            added_rule = "response-listed-enum-value-added"
        else:
            added_rule = "response-enum-value-added"
        for value in sorted(after - before):
            self.out.add(added_rule, at, operation, what=label, value=value)
        for value in sorted(before - after):
            self.out.add("response-enum-value-removed", at, operation, what=label, value=value)

    def _bounds(self, old: Node, new: Node, direction: str, operation: str, label: str) -> None:
        for key in (*UPPER_BOUNDS, *LOWER_BOUNDS):
            before, after = _number(old.value.get(key)), _number(new.value.get(key))
            if before == after:
                continue
            if before is None or after is None:
                tighter = after is not None  # a bound set where none was, or dropped
            else:
                tighter = after < before if key in UPPER_BOUNDS else after > before
            side = "request" if direction == REQUEST else "response"
            rule = f"{side}-bound-{'tightened' if tighter else 'loosened'}"
            self.out.add(
                rule,
                new.child(key),
                operation,
                what=label,
                name=key,
                old=before if before is not None else "none",
                new=after if after is not None else "none",
            )

    def _properties(self, old: Node, new: Node, direction: str, operation: str, label: str) -> None:
        before = old.value.get("properties") if isinstance(old.value.get("properties"), dict) else {}
        after = new.value.get("properties") if isinstance(new.value.get("properties"), dict) else {}
        was_required, is_required = _required(old.value), _required(new.value)
        side = "request" if direction == REQUEST else "response"
        for name in sorted(set(before) - set(after), key=str):
            self.out.add(
                f"{side}-property-removed", old.child("properties", name), operation, name=_join(label, name)
            )
        for name in sorted(set(after) - set(before), key=str):
            rule = f"{side}-property-added"
            if direction == REQUEST and name in is_required:
                rule = "request-property-added-required"
            self.out.add(rule, new.child("properties", name), operation, name=_join(label, name))
        for name in sorted(set(before) & set(after), key=str):
            at, path = new.child("properties", name), _join(label, name)
            if name in is_required and name not in was_required:
                self.out.add(f"{side}-property-became-required", at, operation, name=path)
            elif name in was_required and name not in is_required:
                self.out.add(f"{side}-property-became-optional", at, operation, name=path)
            self.compare(old.child("properties", name), at, direction, operation, path)


def _join(label: str, name: str) -> str:
    return f"{label}.{name}" if label else str(name)


def _type_set(schema: dict[str, Any]) -> list[str] | None:
    value = schema.get("type")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    return None


def _widen(types: list[str]) -> set[str]:
    """Types with ``integer`` read as within ``number`` (an integer is a number in JSON Schema)."""
    found = set(types)
    if "number" in found:
        found.add("integer")
    return found


def _enum(schema: dict[str, Any]) -> set[str] | None:
    value = schema.get("enum")
    return {repr(v) if not isinstance(v, str) else v for v in value} if isinstance(value, list) else None


def _number(value: Any) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _required(schema: dict[str, Any]) -> set[str]:
    value = schema.get("required")
    return {str(v) for v in value} if isinstance(value, list) else set()
