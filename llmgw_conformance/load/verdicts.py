"""A load run as the suite's run record (:class:`~llmgw_conformance.results.RunResult`).

Why the same record as a normal run: report.json, junit.xml and report.html, the exit codes and
the CI gates that read them stay the same; a load run is one more way of reaching verdicts. Each
requirement judged under load gets one finding from the check ``load``: *failed* with the first
violations (each with its stream transcript and a curl line), *passed* with the number of answers
it held on, or *skipped* with the reason it could not be judged (no refusal within the budget: the
highest load reached is named, never a silent pass).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from llmgw_conformance import __version__
from llmgw_conformance.contract import load_contract
from llmgw_conformance.load.coverage import ON_REFUSAL, judged_in_run, known
from llmgw_conformance.load.session import LoadRun
from llmgw_conformance.outcomes import Exchange, Finding, Outcome
from llmgw_conformance.results import CheckRun, ProfileResult, RequirementResult, RunResult, profile_result
from llmgw_conformance.target import DiscoveredTarget

CHECK = "load"
_EXCHANGE_FIELDS = set(Exchange.__dataclass_fields__)


def run_result(
    run: LoadRun, target: DiscoveredTarget, options: dict[str, Any], reproduction: str
) -> RunResult:
    """The verdict per requirement judged under load, per profile, and the run's facts."""
    contract = load_contract()
    counts: dict[str, dict[str, int]] = run.tally.doc["requirements"]
    kinds = sorted(run.tally.doc["streams"]) or list(options.get("mix", {}))
    ids = judged_in_run(kinds) + sorted(r for r in counts if r in known() and r not in judged_in_run(kinds))
    results: dict[str, RequirementResult] = {}
    for req_id in ids:
        entry = contract.requirements[req_id]
        result = RequirementResult(req_id, entry["level"], entry["text"], tuple(entry.get("profiles", ())))
        result.checks.append(CHECK)
        result.owner = "backpressure" if "backpressure" in result.profiles else result.profiles[0]
        result.reproduction = reproduction
        for finding in _findings(run, req_id, counts.get(req_id, {})):
            result.add(finding)
        results[req_id] = result
    profiles = _profiles(results, contract.profiles)
    return RunResult(
        suite_version=__version__,
        contract_hash=contract.hash,
        contract_version=contract.version,
        options=options,
        target_url=target.base_url,
        target=target,
        started_at=dt.datetime.fromtimestamp(run.started, dt.UTC).isoformat(timespec="seconds"),
        duration_s=run.duration_s,
        selected_profiles=tuple(profiles),
        profiles=profiles,
        requirements=results,
        suite_errors=[],
        uncovered=[],
        checks=[CheckRun(CHECK, run.duration_s, "completed", tuple(ids))],
    )


def _findings(run: LoadRun, req_id: str, counts: dict[str, int]) -> list[Finding]:
    held, broken = counts.get("held", 0), counts.get("broken", 0)
    if broken:
        kept = run.tally.doc["evidence"].get(req_id, [])
        first = kept[0] if kept else {"message": "broken under load"}
        return [
            Finding(
                req_id,
                Outcome.FAILED,
                CHECK,
                f"{broken} of {held + broken} answers under load broke it; first: {first['message']}",
                expected=first.get("expected"),
                received=first.get("received"),
                exchanges=tuple(_exchange(v["evidence"]) for v in kept if v.get("evidence")),
                details={"held": held, "broken": broken, "kinds": sorted({v["kind"] for v in kept})},
            )
        ]
    if held:
        return [
            Finding(
                req_id,
                Outcome.PASSED,
                CHECK,
                f"held on {held} answers under load (up to {run.highest_users} users)",
                details={"held": held},
            )
        ]
    return [Finding(req_id, Outcome.SKIPPED, CHECK, _why_unjudged(run, req_id))]


def _why_unjudged(run: LoadRun, req_id: str) -> str:
    if req_id in ON_REFUSAL:
        budget = f"user budget {run.plan.user_budget}, time budget {run.plan.time_budget_s:g} s"
        shape = (
            f"stepping within {budget}"
            if run.plan.step
            else f"{run.plan.users} users for {run.plan.duration_s:g} s"
        )
        refused = run.tally.count("refused")
        what = "no drop of a queued task" if req_id == "BP-DROP-LRU-EVENT" else "no refusal of this kind"
        return (
            f"{what} under load ({refused} refusals in all; highest load reached {run.highest_users} users, "
            f"{shape}): the target never refused this work"
        )
    return "no answer of a kind that judges it was read under load"


def _exchange(evidence: dict[str, Any]) -> Exchange:
    return Exchange(**{k: v for k, v in evidence.items() if k in _EXCHANGE_FIELDS})


def _profiles(results: dict[str, RequirementResult], infos: dict[str, Any]) -> dict[str, ProfileResult]:
    owners = sorted({r.owner for r in results.values()})
    out: dict[str, ProfileResult] = {}
    for name in owners:
        owned = [r for r in results.values() if r.owner == name]
        info = infos.get(name, {})
        profile = profile_result(name, str(info.get("description", "")), True, owned)
        profile.decided = {"how": "load", "supported": True, "evidence": "", "reason": "judged under load"}
        out[name] = profile
    return out
