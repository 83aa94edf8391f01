"""How the tests edit a report: by hand (naive), or re-counted and re-sealed (a careful forger).

A careful forger recomputes every count, profile result, verdict and the digest after an edit, with
the suite's own rules; what is left to catch the edit is the evidence, re-judged.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from llmgw_conformance.results import count_outcomes, profile_result
from llmgw_conformance.verify.consistency import check_verdict, rebuild_requirement
from llmgw_conformance.verify.digest import with_digest


def load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return copy.deepcopy(doc)


def requirement(doc: dict[str, Any], requirement_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in doc["requirements"] if r["id"] == requirement_id)
    return found


def recount(doc: dict[str, Any]) -> dict[str, Any]:
    """Every aggregate made to agree with the (edited) findings, and the report sealed again."""
    rebuilt = {r["id"]: rebuild_requirement(r) for r in doc["requirements"]}
    for req in doc["requirements"]:
        again = rebuilt[req["id"]]
        req.update(outcome=again.outcome.value, caused=again.caused, not_run=again.not_run)
    doc["summary"]["counts"] = count_outcomes(rebuilt.values())
    failed = [r for r in rebuilt.values() if r.level == "MUST" and r.outcome.value == "failed"]
    doc["summary"]["must_failed"] = [r.id for r in failed]
    doc["summary"]["must_defects"] = [r.id for r in failed if not r.caused]
    profiles = {}
    for p in doc["profiles"]:
        owned = [r for r in rebuilt.values() if r.owner == p["name"]]
        again_p = profile_result(p["name"], p["description"], p["supported"], owned)
        p.update(result=again_p.result, counts=again_p.counts)
        profiles[p["name"]] = again_p
    doc["exit_code"], doc["verdict"] = check_verdict(doc, rebuilt, profiles)
    return with_digest(doc)


def save(doc: dict[str, Any], folder: Path) -> Path:
    path = folder / "report.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
