"""Reading one row's report.json into what the document shows.

Read defensively: the report's shape is versioned (``apiVersion``) but grows (how profiles were
decided, caused-by links); a field this reader does not find is shown as absent, never guessed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Outcome words in the grid, short enough for a table cell.
CELL = {
    "passed": "pass",
    "failed": "**FAIL**",
    "skipped": "skip",
    "not_supported": "n/s",
    "error": "ERROR",
    "not_run": "not run",
}


@dataclass(frozen=True)
class Failure:
    """One failed finding: the requirement, what the suite said, and a curl that replays it."""

    requirement: str
    level: str
    check: str
    message: str
    expected: str
    received: str
    curl: str
    #: Requirement id this failure follows from (reported "caused by"), "" when it is its own defect.
    caused_by: str = ""


@dataclass(frozen=True)
class ProfileVerdict:
    name: str
    result: str
    supported: bool
    #: How the suite decided whether the profile is served: claimed, declared, probed, not probed.
    how: str
    #: The request and status behind a probe, and the suite's reason, when the report gives them.
    evidence: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RowReport:
    """The parts of one report.json the matrix document uses."""

    verdict: str
    exit_code: int
    contract: str
    suite: str
    date: str
    duration_s: float
    outcomes: Mapping[str, str]
    levels: Mapping[str, str]
    texts: Mapping[str, str]
    req_profiles: Mapping[str, tuple[str, ...]]
    profiles: tuple[ProfileVerdict, ...]
    features: tuple[str, ...]
    #: How each optional feature was decided (probed, declared, claimed), when the report says.
    feature_decisions: tuple[ProfileVerdict, ...]
    target_notes: tuple[str, ...]
    failures: tuple[Failure, ...]
    suite_errors: tuple[str, ...]
    #: Distinct MUST defects (failures "caused by" another one are not counted again).
    must_failed: int
    should_failed: int
    #: MUST requirements failed only as a consequence of another failure.
    must_caused: int = 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", [], {}))
    return str(value)


def _caused_by(finding: Mapping[str, Any]) -> str:
    cause = finding.get("caused_by")
    if isinstance(cause, Mapping):
        return str(cause.get("requirement") or cause.get("id") or "")
    return str(cause or "")


def _curl(finding: Mapping[str, Any], requirement: Mapping[str, Any]) -> str:
    for exchange in finding.get("exchanges") or []:
        if isinstance(exchange, Mapping) and exchange.get("curl"):
            return str(exchange["curl"])
    return str((requirement.get("reproduction") or {}).get("curl") or "")


def _failures(requirement: Mapping[str, Any]) -> list[Failure]:
    out = []
    for finding in requirement.get("findings") or []:
        if finding.get("outcome") != "failed":
            continue
        out.append(
            Failure(
                requirement=str(requirement.get("id", "")),
                level=str(requirement.get("level", "")),
                check=str(finding.get("check", "")),
                message=str(finding.get("message", "")),
                expected=_text(finding.get("expected")),
                received=_text(finding.get("received")),
                curl=_curl(finding, requirement),
                caused_by=_caused_by(finding),
            )
        )
    return out


def _profiles(doc: Mapping[str, Any]) -> tuple[ProfileVerdict, ...]:
    target = doc.get("target") or {}
    decisions = {
        str(d.get("name")): d
        for d in target.get("decisions") or []
        if isinstance(d, Mapping) and d.get("kind", "profile") == "profile"
    }
    out = []
    for p in doc.get("profiles") or []:
        name = str(p.get("name", ""))
        decided = p.get("decided") or decisions.get(name) or {}
        if not isinstance(decided, Mapping):
            decided = {"how": decided}
        how = _text(decided.get("how")) or _text(target.get("profiles_source"))
        evidence, reason = _text(decided.get("evidence")), _text(decided.get("reason") or p.get("reason"))
        out.append(
            ProfileVerdict(name, str(p.get("result", "")), bool(p.get("supported")), how, evidence, reason)
        )
    return tuple(out)


def _feature_decisions(target: Mapping[str, Any]) -> tuple[ProfileVerdict, ...]:
    out = []
    for d in target.get("decisions") or []:
        if isinstance(d, Mapping) and d.get("kind") == "feature":
            supported = bool(d.get("supported"))
            out.append(
                ProfileVerdict(
                    str(d.get("name", "")),
                    "accepted" if supported else "not supported",
                    supported,
                    _text(d.get("how")),
                    _text(d.get("evidence")),
                    _text(d.get("reason")),
                )
            )
    return tuple(out)


def read_report(path: Path) -> RowReport:
    """Parse one report.json; raises OSError/ValueError when it is missing or not JSON."""
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    reqs = [r for r in doc.get("requirements") or [] if isinstance(r, Mapping)]
    counts = ((doc.get("summary") or {}).get("counts")) or {}
    failures = [f for r in reqs for f in _failures(r)]
    target = doc.get("target") or {}
    return RowReport(
        verdict=str(doc.get("verdict", "")),
        exit_code=int(doc.get("exit_code", -1)),
        contract=str((doc.get("contract") or {}).get("version", "")),
        suite=str((doc.get("suite") or {}).get("version", "")),
        date=str(doc.get("date", "")),
        duration_s=float(doc.get("duration_s") or 0.0),
        outcomes={str(r.get("id")): str(r.get("outcome")) for r in reqs},
        levels={str(r.get("id")): str(r.get("level")) for r in reqs},
        texts={str(r.get("id")): str(r.get("text", "")) for r in reqs},
        req_profiles={str(r.get("id")): tuple(r.get("profiles") or ()) for r in reqs},
        profiles=_profiles(doc),
        features=tuple(str(f) for f in target.get("features") or ()),
        feature_decisions=_feature_decisions(target),
        target_notes=tuple(str(n) for n in target.get("notes") or ()),
        failures=tuple(failures),
        suite_errors=tuple(_text(e) for e in doc.get("suite_errors") or ()),
        must_failed=_must_defects(doc.get("summary") or {}, counts),
        should_failed=int((counts.get("SHOULD") or {}).get("failed", 0)),
        must_caused=int((counts.get("MUST") or {}).get("caused", 0)),
    )


def _must_defects(summary: Mapping[str, Any], counts: Mapping[str, Any]) -> int:
    defects = summary.get("must_defects")
    if isinstance(defects, list):
        return len(defects)
    return int((counts.get("MUST") or {}).get("failed", 0))
