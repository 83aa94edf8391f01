"""Where the comparison functions put what they find: one change per location, its operations merged.

A component schema is reached from every operation that uses it; a change inside it is one change
(one defect, one line) that names all those operations, not one line per operation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from tools.contract_diff.rules import Change, make_change
from tools.contract_diff.sources import Snapshot

ERROR_ENUM_POINTERS = frozenset(
    {("common.yaml", "/components/schemas/ErrorKind"), ("common.yaml", "/components/schemas/ErrorReason")}
)


@dataclass(frozen=True)
class Node:
    """A value and where it is written (after following ``$ref``)."""

    file: str
    pointer: str
    value: Any

    def child(self, *parts: str | int) -> Node:
        value = self.value
        for part in parts:
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            else:
                value = None
        pointer = self.pointer + "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
        return Node(self.file, pointer, value)


def resolve(snapshot: Snapshot, node: Node) -> Node:
    """Follow ``node`` through any chain of ``$ref``; a dangling one is left as it is."""
    value = node.value
    if isinstance(value, dict) and isinstance(value.get("$ref"), str):
        try:
            location, target = snapshot.specs.resolve_ref(value["$ref"], node.file)
        except (KeyError, ValueError, IndexError, TypeError):
            return node
        return Node(location.file, location.pointer, target)
    return node


class Collector:
    """Changes found so far, keyed by (rule, place, sentence); each remembers its operations."""

    def __init__(self) -> None:
        self._found: dict[Change, set[str]] = defaultdict(set)

    def add(self, rule_id: str, node: Node, operation: str = "", **fields: object) -> None:
        change = make_change(rule_id, node.file, node.pointer, (), **fields)
        operations = self._found[change]
        if operation:
            operations.add(operation)

    def changes(self) -> list[Change]:
        merged = [
            Change(c.rule, c.level, c.category, c.file, c.pointer, c.sentence, tuple(sorted(ops)))
            for c, ops in self._found.items()
        ]
        return sorted(merged, key=Change.sort_key)
