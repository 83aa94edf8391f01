"""Differences no rule classified, each reported as informational, so the listing is never silent.

The rules know the contract's meaning; this walk knows only its text.  Every place where the two
documents differ and that no classified change covers (the change's location is the place, inside
it, or holds it) is listed as ``other-change``: a description, a new component, an ``x-`` extension
the rules do not read.  A reviewer decides those; the gate asks for at least a patch release.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from llmgw_contracts import SPEC_FILES, to_pointer
from tools.contract_diff.collect import Collector, Node
from tools.contract_diff.rules import Change
from tools.contract_diff.sources import Snapshot

FILE_VERSIONS = {**{name: "/info/version" for name in SPEC_FILES}, "requirements.yaml": "/contract_version"}


def _differences(
    old: Any, new: Any, parts: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            if key not in new:
                yield (*parts, str(key)), "removed"
            elif key not in old:
                yield (*parts, str(key)), "added"
            else:
                yield from _differences(old[key], new[key], (*parts, str(key)))
    elif _keyed(old) and _keyed(new):
        # Requirements are matched by id, not position: one added entry must not hide an edit of another.
        old_ids, new_ids = {e["id"]: i for i, e in enumerate(old)}, {e["id"]: i for i, e in enumerate(new)}
        for key in sorted(set(old_ids) | set(new_ids)):
            if key not in new_ids:
                yield (*parts, old_ids[key]), "removed"
            elif key not in old_ids:
                yield (*parts, new_ids[key]), "added"
            else:
                yield from _differences(old[old_ids[key]], new[new_ids[key]], (*parts, new_ids[key]))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _differences(a, b, (*parts, index))
    elif old != new:
        yield parts, "changed"


def _keyed(value: Any) -> bool:
    """A list of mappings each with a distinct string ``id`` (the catalogue's requirements)."""
    if not isinstance(value, list) or not all(
        isinstance(e, dict) and isinstance(e.get("id"), str) for e in value
    ):
        return False
    return len({e["id"] for e in value}) == len(value)


def _covered(file: str, pointer: str, changes: list[Change]) -> bool:
    parent = pointer.rsplit("/", 1)[0] if pointer.endswith("/required") else None
    for change in changes:
        if change.file != file:
            continue
        there = change.pointer
        if pointer == there or pointer.startswith(there + "/") or there.startswith(pointer + "/"):
            return True
        if parent is not None and there.startswith(parent + "/"):
            return True  # a `required` list whose properties' changes were classified
    return False


def compare_rest(old: Snapshot, new: Snapshot, out: Collector, classified: list[Change]) -> None:
    documents = [(name, old.doc(name), new.doc(name)) for name in SPEC_FILES]
    documents.append(("requirements.yaml", old.catalogue, new.catalogue))
    for file, before, after in documents:
        version_pointer = FILE_VERSIONS[file]
        for parts, how in _differences(before, after):
            pointer = to_pointer(parts)
            if pointer == version_pointer:
                out.add(
                    "info-version-changed",
                    Node(file, pointer, None),
                    old=_get(before, parts),
                    new=_get(after, parts),
                )
            elif not _covered(file, pointer, classified):
                out.add(
                    "other-change", Node(file, pointer, None), what=f"{'/'.join(map(str, parts[-2:]))} {how}"
                )


def _get(document: Any, parts: tuple[str | int, ...]) -> Any:
    for part in parts:
        document = document.get(part) if isinstance(document, dict) else None
    return document
