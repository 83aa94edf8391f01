"""The whole diff: every comparison, in a fixed order, into one sorted listing."""

from __future__ import annotations

import json

from tools.contract_diff.catalogue import compare_catalogue
from tools.contract_diff.collect import Collector
from tools.contract_diff.fallback import compare_rest
from tools.contract_diff.operations import compare_operations
from tools.contract_diff.rules import BREAKING, COMPATIBLE, INFORMATIONAL, Change
from tools.contract_diff.schemas import SchemaComparer
from tools.contract_diff.sources import Snapshot
from tools.contract_diff.streams import compare_errors, compare_streams


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    """Every change from ``old`` to ``new``, sorted: breaking first, then by file, pointer and rule."""
    out = Collector()
    schemas = SchemaComparer(old, new, out)
    compare_operations(old, new, out, schemas)
    compare_streams(old, new, out, schemas)
    compare_errors(old, new, out)
    compare_catalogue(old, new, out)
    classified = out.changes()
    rest = Collector()
    compare_rest(old, new, rest, classified)
    return sorted(classified + rest.changes(), key=Change.sort_key)


def summary(changes: list[Change]) -> str:
    counts = {
        level: sum(1 for c in changes if c.level == level) for level in (BREAKING, COMPATIBLE, INFORMATIONAL)
    }
    return ", ".join(f"{n} {level}" for level, n in counts.items())


def render_text(changes: list[Change], old_label: str, new_label: str) -> str:
    lines = [str(change) for change in changes]
    lines.append(f"contract diff {old_label} -> {new_label}: {summary(changes) if changes else 'no changes'}")
    return "\n".join(lines)


def render_json(changes: list[Change], old_label: str, new_label: str) -> str:
    document = {"old": old_label, "new": new_label, "changes": [c.as_dict() for c in changes]}
    return json.dumps(document, indent=2, sort_keys=True)
