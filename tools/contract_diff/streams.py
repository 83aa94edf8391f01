"""The stream grammars (``data.yaml`` ``x-stream-grammars``) and the error envelope (``common.yaml``
``ErrorKind`` with ``x-error-policy`` and ``x-error-reasons``, and ``ErrorReason``).

These are the contract's own extensions, so no OpenAPI tool sees them: a stream's event names and
terminal rules are what a client's stream loop is written against, and the error policy is what it
retries by.
"""

from __future__ import annotations

from typing import Any

from tools.contract_diff.collect import Collector, Node
from tools.contract_diff.schemas import RESPONSE, SchemaComparer
from tools.contract_diff.sources import Snapshot

#: Grammar keys that say how a stream ends; any change to them changes where a client stops reading.
TERMINAL_KEYS = (
    "terminal",
    "terminal_exactly_once",
    "nothing_after_terminal",
    "close_after_terminal",
    "sentinel",
    "sentinel_exactly_once",
    "nothing_after_sentinel",
)
NOT_RULES = ("description", "events", "payload", "error_payload", "requirements", *TERMINAL_KEYS)
ERROR_KIND = "/components/schemas/ErrorKind"
ERROR_REASON = "/components/schemas/ErrorReason"


def compare_streams(old: Snapshot, new: Snapshot, out: Collector, schemas: SchemaComparer) -> None:
    before = Node("data.yaml", "", old.doc("data.yaml")).child("x-stream-grammars")
    after = Node("data.yaml", "", new.doc("data.yaml")).child("x-stream-grammars")
    old_grammars = before.value if isinstance(before.value, dict) else {}
    new_grammars = after.value if isinstance(after.value, dict) else {}
    for name in sorted(set(old_grammars) - set(new_grammars)):
        out.add("stream-grammar-removed", before.child(name), f"stream {name}", name=name)
    for name in sorted(set(new_grammars) - set(old_grammars)):
        out.add("stream-grammar-added", after.child(name), f"stream {name}", name=name)
    for name in sorted(set(old_grammars) & set(new_grammars)):
        _grammar(out, schemas, before.child(name), after.child(name), name)


def _grammar(out: Collector, schemas: SchemaComparer, old: Node, new: Node, name: str) -> None:
    label = f"stream {name}"
    was: dict[str, Any] = old.value if isinstance(old.value, dict) else {}
    now: dict[str, Any] = new.value if isinstance(new.value, dict) else {}
    old_events: dict[str, Any] = was["events"] if isinstance(was.get("events"), dict) else {}
    new_events: dict[str, Any] = now["events"] if isinstance(now.get("events"), dict) else {}
    for event in sorted(set(old_events) - set(new_events)):
        out.add("stream-event-removed", old.child("events", event), label, what=name, name=event)
    for event in sorted(set(new_events) - set(old_events)):
        out.add("stream-event-added", new.child("events", event), label, what=name, name=event)
    for event in sorted(set(old_events) & set(new_events)):
        _payload(schemas, old.child("events", event), new.child("events", event), f"{label} event {event}")
    for key in ("payload", "error_payload"):
        if key in was and key in now:
            _payload(schemas, old.child(key), new.child(key), f"{label} {key}")
    for key in sorted(set(was) | set(now)):
        if key in NOT_RULES and key not in TERMINAL_KEYS:
            continue
        if was.get(key) != now.get(key):
            rule = "stream-terminal-rule-changed" if key in TERMINAL_KEYS else "stream-rule-changed"
            at = new.child(key) if key in now else old.child(key)
            out.add(rule, at, label, what=name, name=key, old=was.get(key, "none"), new=now.get(key, "none"))
    if was.get("requirements") != now.get("requirements"):
        out.add("stream-requirements-changed", new.child("requirements"), label, what=name)


def _payload(schemas: SchemaComparer, old: Node, new: Node, label: str) -> None:
    """An event's payload is a component name (``SSEToken``) in data.yaml; compare as a response."""
    if isinstance(old.value, str) and isinstance(new.value, str):
        old_ref = Node("data.yaml", "", {"$ref": f"#/components/schemas/{old.value}"})
        new_ref = Node("data.yaml", "", {"$ref": f"#/components/schemas/{new.value}"})
        schemas.compare(old_ref, new_ref, RESPONSE, label, label)


def compare_errors(old: Snapshot, new: Snapshot, out: Collector) -> None:
    kinds_before = Node("common.yaml", ERROR_KIND, _at(old, ERROR_KIND))
    kinds_after = Node("common.yaml", ERROR_KIND, _at(new, ERROR_KIND))
    old_kinds, new_kinds = _values(kinds_before.value), _values(kinds_after.value)
    for kind in sorted(old_kinds - new_kinds):
        out.add("error-kind-removed", kinds_before.child("enum"), name=kind)
    for kind in sorted(new_kinds - old_kinds):
        out.add("error-kind-added", kinds_after.child("enum"), name=kind)
    _rows(out, kinds_before.child("x-error-policy"), kinds_after.child("x-error-policy"), "x-error-policy")
    _rows(out, kinds_before.child("x-error-reasons"), kinds_after.child("x-error-reasons"), "x-error-reasons")
    reasons_before = Node("common.yaml", ERROR_REASON, _at(old, ERROR_REASON))
    reasons_after = Node("common.yaml", ERROR_REASON, _at(new, ERROR_REASON))
    old_reasons, new_reasons = _values(reasons_before.value), _values(reasons_after.value)
    table = kinds_after.child("x-error-reasons").value
    for reason in sorted(old_reasons - new_reasons):
        out.add("error-reason-removed", reasons_before.child("enum"), name=reason)
    for reason in sorted(new_reasons - old_reasons):
        row = table.get(reason) if isinstance(table, dict) else None
        kind = str(row.get("code")) if isinstance(row, dict) else "?"
        if kind in old_kinds:
            out.add("error-reason-added", reasons_after.child("enum"), name=reason, what=kind)
        else:  # a reason of no released kind: a client cannot know what to do with it
            out.add("error-kind-added", reasons_after.child("enum"), name=f"{kind} (via reason {reason})")


def _rows(out: Collector, before: Node, after: Node, table: str) -> None:
    """Rows present on both sides: ``retriable`` is the retry rule; any other field is the policy."""
    old_rows = before.value if isinstance(before.value, dict) else {}
    new_rows = after.value if isinstance(after.value, dict) else {}
    for name in sorted(set(old_rows) & set(new_rows)):
        was, now = old_rows[name], new_rows[name]
        if not (isinstance(was, dict) and isinstance(now, dict)):
            continue
        for field in sorted(set(was) | set(now)):
            if was.get(field) == now.get(field):
                continue
            at = after.child(name, field)
            if (
                table == "x-error-policy"
                and field == "statuses"
                and _only_added(was.get(field), now.get(field))
            ):
                for status in sorted(set(now[field]) - set(was[field]), key=str):
                    out.add("error-policy-status-added", at, name=name, value=status)
                continue
            if field == "retriable":
                rule, what = "error-retry-rule-changed", table
            elif table == "x-error-policy":
                rule, what = "error-policy-changed", field
            else:
                rule, what = "error-reason-mapping-changed", field
            out.add(rule, at, what=what, name=name, old=was.get(field), new=now.get(field))
    for name in sorted(set(old_rows) - set(new_rows)):
        if table == "x-error-reasons":
            out.add(
                "error-reason-mapping-changed",
                before.child(name),
                what="row",
                name=name,
                old="present",
                new="removed",
            )


def _only_added(before: Any, after: Any) -> bool:
    """A list that only grew (a status added to a kind, as a status added to an operation)."""
    return isinstance(before, list) and isinstance(after, list) and set(before) <= set(after)


def _at(snapshot: Snapshot, pointer: str) -> Any:
    value: Any = snapshot.doc("common.yaml")
    for part in pointer.strip("/").split("/"):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _values(schema: Any) -> set[str]:
    enum = schema.get("enum") if isinstance(schema, dict) else None
    return {str(v) for v in enum} if isinstance(enum, list) else set()
