"""The hand checks behind the document: every failure the suite reports is looked at by a person
against the server's raw answer and the public OpenAI API reference before it is published.

They live in ``tools/matrix/hand_checks.yaml``, one entry per checked failure::

    - rows: [llama-server, litellm-tiny]      # the matrix rows it was checked on
      requirement: OAI-UNKNOWN-MODEL
      contains: "answered 200"                # optional: a piece of the suite's message
      verdict: deviation                      # or suite-bug, or misfiled (a real deviation the
                                              # suite files under a requirement that does not say it)
      raw: what the raw answer showed, by hand (status, the decisive bytes)
      reference: what the OpenAI reference says, and where
      suite_module: llmgw_conformance/checks/...  (suite-bug only: the check at fault)

Why a file and not prose: a rerun that reports a failure nobody checked shows it as *not checked
by hand* in the document, instead of inheriting a verdict written for another failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.matrix.reports import Failure

HAND_CHECKS = Path(__file__).resolve().parent / "hand_checks.yaml"
VERDICTS = ("deviation", "suite-bug", "misfiled")
#: Verdicts that name a check of the suite at fault.
SUITE_AT_FAULT = ("suite-bug", "misfiled")
FIELDS = ("rows", "requirement", "contains", "verdict", "raw", "reference", "suite_module")


class BadHandChecks(ValueError):
    """The hand-check file is malformed; the message names the entry and the valid values."""


@dataclass(frozen=True)
class HandCheck:
    rows: tuple[str, ...]
    requirement: str
    contains: str
    verdict: str
    raw: str
    reference: str
    suite_module: str = ""

    def matches(self, row: str, failure: Failure) -> bool:
        return (
            row in self.rows
            and failure.requirement == self.requirement
            and self.contains.lower() in failure.message.lower()
        )


def _entry(number: int, doc: Any, known_rows: Sequence[str]) -> HandCheck:
    where = f"hand check #{number}"
    if not isinstance(doc, dict):
        raise BadHandChecks(f"{where}: a mapping with {', '.join(FIELDS)}")
    unknown = set(doc) - set(FIELDS)
    if unknown:
        raise BadHandChecks(f"{where}: unknown field(s) {sorted(unknown)}; valid: {', '.join(FIELDS)}")
    rows = doc.get("rows")
    rows = [rows] if isinstance(rows, str) else rows
    if not isinstance(rows, list) or not rows or any(r not in known_rows for r in rows):
        raise BadHandChecks(f"{where}: rows {rows!r}; valid rows: {', '.join(known_rows)}")
    if doc.get("verdict") not in VERDICTS:
        raise BadHandChecks(f"{where}: verdict {doc.get('verdict')!r}; valid: {', '.join(VERDICTS)}")
    for required in ("requirement", "raw", "reference"):
        if not isinstance(doc.get(required), str) or not doc[required].strip():
            raise BadHandChecks(f"{where}: {required} must be a non-empty string")
    if doc["verdict"] in SUITE_AT_FAULT and not doc.get("suite_module"):
        raise BadHandChecks(f"{where}: a {doc['verdict']} verdict names the suite_module at fault")
    return HandCheck(
        rows=tuple(str(r) for r in rows),
        requirement=doc["requirement"].strip(),
        contains=str(doc.get("contains") or ""),
        verdict=doc["verdict"],
        raw=" ".join(doc["raw"].split()),
        reference=" ".join(doc["reference"].split()),
        suite_module=str(doc.get("suite_module") or ""),
    )


def load_hand_checks(path: Path, known_rows: Sequence[str]) -> list[HandCheck]:
    """Every entry of the file, validated; a missing file is no checks at all."""
    if not path.is_file():
        return []
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise BadHandChecks(f"{path}: not valid YAML ({exc})") from None
    if doc is None:
        return []
    if not isinstance(doc, list):
        raise BadHandChecks(f"{path}: a YAML list of hand checks")
    return [_entry(i + 1, entry, known_rows) for i, entry in enumerate(doc)]


def hand_check_for(checks: Sequence[HandCheck], row: str, failure: Failure) -> HandCheck | None:
    """The first check written for this failure on this row, else None (not checked by hand)."""
    return next((c for c in checks if c.matches(row, failure)), None)
