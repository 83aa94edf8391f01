"""The parsed contract every lint rule reads, and the violation a rule yields.

The rules only read: :class:`Contract` loads the three OpenAPI files and the requirements
catalogue once, lists the operations once, and follows ``$ref`` for them, so that each rule is a
short function over the same parsed documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.specs import ALL_SPECS, ContractError, Location, SpecSet, load_yaml_file

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REQUIREMENTS_FILE = "requirements.yaml"


@dataclass(frozen=True, order=True)
class Violation:
    """One problem, at ``file#/json/pointer``; ordered so that a report reads file by file."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Operation:
    """One operation of the specs, with where it stands (for the violations that name it)."""

    location: Location  # of the operation object
    path: str
    method: str
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class Contract:
    """The parsed contract: the OpenAPI files (as a SpecSet) and the requirements catalogue."""

    specs: SpecSet
    requirements: Any
    requirements_label: str = REQUIREMENTS_FILE
    _operations: list[Operation] = field(default_factory=list)

    @classmethod
    def load(cls, contracts_dir: Path) -> Contract:
        specs = SpecSet(contracts_dir / "openapi")
        for file in ALL_SPECS:
            specs.doc(file)
        label = f"../{REQUIREMENTS_FILE}"  # relative to the openapi folder, like the spec files
        requirements = load_yaml_file(contracts_dir / REQUIREMENTS_FILE, label)
        return cls(specs, requirements, label)

    def operations(self) -> list[Operation]:
        if not self._operations:
            for file in ALL_SPECS:
                paths = self.specs.doc(file).get("paths") or {}
                for path, item in paths.items():
                    where = Location(file, "").child("paths", str(path))
                    if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                        where, item = self.specs.resolve_ref(item["$ref"], file)
                    if not isinstance(item, dict):
                        continue
                    for method in HTTP_METHODS:
                        if isinstance(item.get(method), dict):
                            self._operations.append(
                                Operation(where.child(method), str(path), method, item[method])
                            )
        return self._operations

    def requirement_entries(self) -> list[tuple[Location, Any]]:
        entries = self.requirements.get("requirements") if isinstance(self.requirements, dict) else None
        if not isinstance(entries, list):
            return []
        return [(Location(self.requirements_label, f"/requirements/{i}"), e) for i, e in enumerate(entries)]

    def requirement_ids(self) -> set[Any]:
        """The ids the catalogue declares (whatever their type: the format rule judges those)."""
        return {e.get("id") for _, e in self.requirement_entries() if isinstance(e, dict)}

    def deref(self, node: Any, file: str) -> tuple[Location | None, Any]:
        """Follow ``node`` if it is a ``$ref`` (None, node otherwise); (None, None) if it dangles."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            try:
                return self.specs.resolve_ref(node["$ref"], file)
            except (KeyError, ValueError, IndexError, ContractError):
                return None, None
        return None, node


Rule = Callable[[Contract], Iterator[Violation]]


def non_empty_string(value: Any) -> bool:
    """A string with something besides white space: what a name or a sentence must be."""
    return isinstance(value, str) and bool(value.strip())


def string_list(value: Any) -> bool:
    """A list of names (possibly empty); the rules that need one name at least say so."""
    return isinstance(value, list) and all(non_empty_string(v) for v in value)
