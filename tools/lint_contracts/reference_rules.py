"""Rules on names used across files: every requirement, operation or profile named exists.

The specs name requirements (``x-requirements``) and profiles (``x-profiles``); the catalogue
names operations (``applies_to.operations``) and requirements (``deviations``).  A name that
points nowhere is a typo the suite would silently never check, so each is looked up here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tools.lint_contracts.contract import REQUIREMENTS_FILE, Contract, Violation, string_list
from tools.specs import ALL_SPECS, Location, walk


def _extension_values(contract: Contract, key: str) -> Iterator[tuple[Location, Any]]:
    """Every value of the extension ``key`` (``x-requirements``, ``x-profiles``) in the specs."""
    for file in ALL_SPECS:
        for parts, node in walk(contract.specs.doc(file)):
            if parts and parts[-1] == key:
                yield Location(file, "").child(*parts), node


def rule_x_requirements_exist(contract: Contract) -> Iterator[Violation]:
    """Every id in an ``x-requirements`` list, anywhere in the specs, is in the catalogue."""
    known = contract.requirement_ids()
    for where, node in _extension_values(contract, "x-requirements"):
        ids = [node] if isinstance(node, str) else node
        if not isinstance(ids, list):
            yield Violation(str(where), "x-requirements must be a list of requirement ids")
            continue
        for index, req_id in enumerate(ids):
            if req_id not in known:
                at = where if isinstance(node, str) else where.child(index)
                yield Violation(str(at), f"requirement {req_id!r} is not in {REQUIREMENTS_FILE}")


def rule_applies_to_operations_exist(contract: Contract) -> Iterator[Violation]:
    """Every operationId in a requirement's ``applies_to.operations`` exists in the specs.

    Entries that start with ``*`` (``*``, ``*v1``, ``*native``) are selectors of a group of
    operations, not operationIds, and are left to the suite that interprets them.
    """
    known = {op.spec.get("operationId") for op in contract.operations()}
    for where, entry in contract.requirement_entries():
        applies = entry.get("applies_to") if isinstance(entry, dict) else None
        ops = applies.get("operations") if isinstance(applies, dict) else None
        if not isinstance(ops, list):
            continue
        for index, op_id in enumerate(ops):
            if isinstance(op_id, str) and not op_id.startswith("*") and op_id not in known:
                yield Violation(
                    str(where.child("applies_to", "operations", index)),
                    f"no operation has operationId {op_id!r}",
                )


def rule_catalogue_references(contract: Contract) -> Iterator[Violation]:
    """Names used elsewhere exist: requirement ids listed under the catalogue's ``deviations``, and
    (when the catalogue declares ``profiles``) the profiles named by ``x-profiles`` in the specs."""
    catalogue = contract.requirements if isinstance(contract.requirements, dict) else {}
    known = contract.requirement_ids()
    deviations = catalogue.get("deviations")
    for index, deviation in enumerate(deviations if isinstance(deviations, list) else []):
        where = Location(contract.requirements_label, f"/deviations/{index}/requirements")
        ids = deviation.get("requirements") if isinstance(deviation, dict) else None
        if not isinstance(ids, list):
            yield Violation(str(where), "must be a list of requirement ids")
            continue
        for position, req_id in enumerate(ids):
            if req_id not in known:
                yield Violation(str(where.child(position)), f"requirement {req_id!r} is not in the catalogue")
    profiles = catalogue.get("profiles")
    if not isinstance(profiles, dict):
        return
    for where, node in _extension_values(contract, "x-profiles"):
        if not string_list(node):
            yield Violation(str(where), "x-profiles must be a list of profile names")
            continue
        for index, name in enumerate(node):
            if name not in profiles:
                yield Violation(
                    str(where.child(index)), f"profile {name!r} is not declared in {REQUIREMENTS_FILE}"
                )
