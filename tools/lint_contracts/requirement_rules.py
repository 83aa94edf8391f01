"""Rules on the requirements catalogue itself: the shape of each entry and its id.

The suite, the kill matrix and the reports key everything on a requirement's id and read its
level, profiles and ``applies_to``; an entry of the wrong shape would be skipped or crash them,
so the lint says where it is first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from tools.lint_contracts.contract import Contract, Violation, non_empty_string, string_list
from tools.specs import Location

REQUIREMENT_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
REQUIREMENT_LEVELS = ("MUST", "SHOULD", "MAY")
# Every requirement has these; "profile" stands for "profile" or "profiles" (see the format rule).
REQUIREMENT_KEYS = ("id", "level", "text", "applies_to")
OPTIONAL_REQUIREMENT_KEYS = ("profile", "profiles", "needs", "source")
APPLIES_TO_KEYS = ("operations", "stream", "event")


def rule_requirement_format(contract: Contract) -> Iterator[Violation]:
    """The catalogue is ``requirements:``, a list of {id, level, profile(s), text, applies_to}.

    Each entry names its conformance profile as ``profile`` (one) or ``profiles`` (a list); when
    the catalogue declares its profiles in a top-level ``profiles`` mapping, each one named must be
    declared there.  ``needs`` (the optional features a requirement needs) is an optional list.
    ``applies_to`` is a mapping with optional ``operations`` (a list), ``stream`` and ``event``.
    """
    label = contract.requirements_label
    catalogue = contract.requirements
    if not isinstance(catalogue, dict) or not isinstance(catalogue.get("requirements"), list):
        yield Violation(f"{label}#", "top-level key `requirements:` must be a list")
        return
    declared = catalogue.get("profiles")
    for where, entry in contract.requirement_entries():
        if not isinstance(entry, dict):
            yield Violation(str(where), "a requirement must be a mapping")
            continue
        for key in REQUIREMENT_KEYS:
            if key not in entry:
                yield Violation(str(where), f"requirement has no {key!r}")
        for key in sorted(set(entry) - set(REQUIREMENT_KEYS) - set(OPTIONAL_REQUIREMENT_KEYS), key=str):
            yield Violation(str(where.child(str(key))), f"unknown key {key!r}")
        if "level" in entry and entry["level"] not in REQUIREMENT_LEVELS:
            yield Violation(
                str(where.child("level")), f"level must be one of {', '.join(REQUIREMENT_LEVELS)}"
            )
        if "text" in entry and not non_empty_string(entry["text"]):
            yield Violation(str(where.child("text")), "text must be a non-empty string")
        yield from _check_profiles(where, entry, declared)
        if "needs" in entry and not string_list(entry["needs"]):
            yield Violation(str(where.child("needs")), "needs must be a list of feature names")
        yield from _check_applies_to(where, entry)


def _check_profiles(where: Location, entry: dict[str, Any], declared: Any) -> Iterator[Violation]:
    has_one, has_many = "profile" in entry, "profiles" in entry
    if has_one == has_many:
        yield Violation(str(where), "requirement must have exactly one of 'profile' and 'profiles'")
        return
    if has_one and not non_empty_string(entry["profile"]):
        yield Violation(str(where.child("profile")), "profile must be a non-empty string")
        return
    if has_many and not (string_list(entry["profiles"]) and entry["profiles"]):
        yield Violation(str(where.child("profiles")), "profiles must be a non-empty list of profile names")
        return
    names = [entry["profile"]] if has_one else entry["profiles"]
    if isinstance(declared, dict):
        key = "profile" if has_one else "profiles"
        for index, name in enumerate(names):
            if name not in declared:
                at = where.child(key) if has_one else where.child(key, index)
                yield Violation(str(at), f"profile {name!r} is not declared under the top-level `profiles:`")


def _check_applies_to(where: Location, entry: dict[str, Any]) -> Iterator[Violation]:
    applies = entry.get("applies_to")
    if "applies_to" in entry and not isinstance(applies, dict):
        yield Violation(str(where.child("applies_to")), "applies_to must be a mapping")
    elif isinstance(applies, dict):
        for key in sorted(set(applies) - set(APPLIES_TO_KEYS), key=str):
            yield Violation(str(where.child("applies_to", str(key))), f"unknown key {key!r}")
        if "operations" in applies and not string_list(applies["operations"]):
            yield Violation(str(where.child("applies_to", "operations")), "must be a list of operationIds")


def rule_requirement_ids(contract: Contract) -> Iterator[Violation]:
    """Every requirement id is unique and matches ``^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$``."""
    ids = [entry.get("id") for _, entry in contract.requirement_entries() if isinstance(entry, dict)]
    counts = Counter(i for i in ids if isinstance(i, str))
    for where, entry in contract.requirement_entries():
        if not isinstance(entry, dict) or "id" not in entry:
            continue
        req_id = entry["id"]
        if not isinstance(req_id, str) or not REQUIREMENT_ID.match(req_id):
            yield Violation(str(where.child("id")), f"id {req_id!r} does not match {REQUIREMENT_ID.pattern}")
        elif counts[req_id] > 1:
            yield Violation(str(where.child("id")), f"id {req_id!r} is used more than once")
