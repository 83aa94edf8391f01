"""The requirement catalogue compared: what a vendor is judged against.

Vendors certify against profiles of requirements, so the catalogue breaks them in its own ways: an id
they cite disappears or is renamed (ids are stable), a SHOULD they may fail becomes a MUST they must
pass, a requirement moves into a profile they claim, or a new MUST lands in a profile they already
passed.  A new MUST is compatible only where no released vendor can be judged on it: in a new
profile, or needing a feature no released requirement needed (a target that does not claim a
feature gets "not supported", never a failure).
"""

from __future__ import annotations

from typing import Any

from tools.contract_diff.collect import Collector, Node
from tools.contract_diff.sources import Snapshot

FILE = "requirements.yaml"
LEVEL_RANK = {"MAY": 0, "SHOULD": 1, "MUST": 2}


def _entries(snapshot: Snapshot) -> dict[str, Node]:
    found: dict[str, Node] = {}
    entries = snapshot.catalogue.get("requirements")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            found[entry["id"]] = Node(FILE, f"/requirements/{index}", entry)
    return found


def _profiles(entry: dict[str, Any]) -> list[str]:
    if isinstance(entry.get("profiles"), list):
        return sorted(str(p) for p in entry["profiles"])
    return [str(entry["profile"])] if entry.get("profile") else []


def _needs(entry: dict[str, Any]) -> set[str]:
    needs = entry.get("needs")
    return {str(n) for n in needs} if isinstance(needs, list) else set()


def _text(entry: dict[str, Any]) -> str:
    return " ".join(str(entry.get("text", "")).split())


def compare_catalogue(old: Snapshot, new: Snapshot, out: Collector) -> None:
    before, after = _entries(old), _entries(new)
    _compare_profiles(old, new, out)
    added = sorted(set(after) - set(before))
    renamed: set[str] = set()
    for req_id in sorted(set(before) - set(after)):
        twin = next((n for n in added if _text(after[n].value) == _text(before[req_id].value)), None)
        if twin is not None:
            renamed.add(twin)
            out.add("requirement-renamed", after[twin].child("id"), old=req_id, new=twin)
        else:
            out.add("requirement-removed", before[req_id], name=req_id)
    released_profiles = set(old.catalogue.get("profiles") or {}) | {
        p for n in before.values() for p in _profiles(n.value)
    }
    released_needs = {need for n in before.values() for need in _needs(n.value)}
    for req_id in added:
        if req_id not in renamed:
            _added(out, after[req_id], released_profiles, released_needs)
    for req_id in sorted(set(before) & set(after)):
        _changed(out, before[req_id], after[req_id], req_id)


def _added(out: Collector, node: Node, released_profiles: set[str], released_needs: set[str]) -> None:
    entry = node.value
    req_id, level = entry["id"], str(entry.get("level"))
    old_profiles = sorted(set(_profiles(entry)) & released_profiles)
    needs_new_feature = bool(_needs(entry) - released_needs)
    if level == "MUST" and old_profiles and not needs_new_feature:
        out.add("requirement-added-must", node, name=req_id, what=old_profiles)
    else:
        out.add("requirement-added", node, name=req_id, what=level)


def _changed(out: Collector, old: Node, new: Node, req_id: str) -> None:
    was, now = old.value, new.value
    old_rank, new_rank = LEVEL_RANK.get(str(was.get("level")), -1), LEVEL_RANK.get(str(now.get("level")), -1)
    if new_rank != old_rank:
        rule = "requirement-level-raised" if new_rank > old_rank else "requirement-level-lowered"
        out.add(rule, new.child("level"), name=req_id, old=was.get("level"), new=now.get("level"))
    if _profiles(was) != _profiles(now):
        key = "profiles" if "profiles" in now else "profile"
        out.add(
            "requirement-profiles-changed",
            new.child(key),
            name=req_id,
            old=_profiles(was),
            new=_profiles(now),
        )
    if _text(was) != _text(now):
        out.add("requirement-text-changed", new.child("text"), name=req_id)
    for need in sorted(_needs(was) - _needs(now)):
        out.add(
            "requirement-needs-removed",
            new.child("needs") if "needs" in now else new,
            name=req_id,
            value=need,
        )
    for need in sorted(_needs(now) - _needs(was)):
        out.add("requirement-needs-added", new.child("needs"), name=req_id, value=need)


def _compare_profiles(old: Snapshot, new: Snapshot, out: Collector) -> None:
    before = _mapping(old.catalogue.get("profiles"))
    after = _mapping(new.catalogue.get("profiles"))
    for name in sorted(set(before) - set(after)):
        out.add("profile-removed", Node(FILE, f"/profiles/{name}", None), name=name)
    for name in sorted(set(after) - set(before)):
        out.add("profile-added", Node(FILE, f"/profiles/{name}", None), name=name)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
