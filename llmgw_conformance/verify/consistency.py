"""Verdicts that cannot be re-judged are checked for consistency, with the suite's own aggregation rules.

Each requirement's findings are rebuilt into :class:`~llmgw_conformance.results.RequirementResult`
objects and pushed through the very functions a run uses (``RequirementResult.add``,
:func:`~llmgw_conformance.results.count_outcomes`, :func:`~llmgw_conformance.results.profile_result`,
``RunResult.exit_code`` / ``verdict``); whatever the report says must equal what they give back.
That catches a verdict edited without its findings, counts that no longer add up, a profile whose
result does not follow from its requirements, and evidence lists shorter than the report says.
"""

from __future__ import annotations

from typing import Any

from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.outcomes import Cause, Finding, Level, Outcome
from llmgw_conformance.results import (
    EXIT_SIGNAL_BASE,
    ProfileResult,
    RequirementResult,
    RunResult,
    SuiteError,
    count_outcomes,
    profile_result,
)

from .outcome import Verification


def rebuild_requirement(doc: dict[str, Any]) -> RequirementResult:
    """The run's record of one requirement, rebuilt from its report entry's findings."""
    result = RequirementResult(
        id=str(doc["id"]),
        level=str(doc["level"]),
        text=str(doc.get("text", "")),
        profiles=tuple(doc.get("profiles") or ()),
        owner=str(doc.get("owner") or ""),
    )
    for f in doc.get("findings") or []:
        cause = f.get("caused_by")
        result.add(
            Finding(
                requirement_id=result.id,
                outcome=Outcome(f["outcome"]),
                check=str(f.get("check", "")),
                message=str(f.get("message") or ""),
                details=dict(f.get("details") or {}),
                caused_by=Cause(cause["requirement"], cause["check"], cause["message"]) if cause else None,
            )
        )
    return result


def check_requirements(doc: dict[str, Any], out: Verification) -> dict[str, RequirementResult]:
    """Each requirement's outcome and flags follow from its findings; its evidence lists are whole."""
    rebuilt: dict[str, RequirementResult] = {}
    known_checks = {c.get("name"): tuple(c.get("requirements") or ()) for c in doc.get("checks") or []}
    for req in doc.get("requirements") or []:
        where = f"requirements[{req.get('id')}]"
        try:
            result = rebuild_requirement(req)
        except (KeyError, ValueError, TypeError) as exc:
            out.add("verdict", where, f"the entry cannot be read ({type(exc).__name__}: {exc})")
            continue
        rebuilt[result.id] = result
        if result.outcome.value != req.get("outcome"):
            out.add(
                "verdict",
                where,
                f"outcome is {req.get('outcome')!r} but its findings give {result.outcome.value!r}",
            )
        for flag in ("caused", "not_run"):
            if flag in req and bool(req[flag]) != getattr(result, flag):
                out.add(
                    "verdict", where, f"{flag} is {req[flag]} but its findings give {getattr(result, flag)}"
                )
        _check_findings(req, result, known_checks, out)
    return rebuilt


def _check_findings(
    req: dict[str, Any],
    result: RequirementResult,
    known_checks: dict[Any, tuple[str, ...]],
    out: Verification,
) -> None:
    where = f"requirements[{result.id}]"
    if result.outcome in (Outcome.PASSED, Outcome.FAILED) and not result.decisive():
        out.add("evidence", where, f"{result.outcome.value}, but no finding says so")
    for i, finding in enumerate(req.get("findings") or []):
        place = f"{where}.findings[{i}]"
        kept, there = finding.get("exchanges_kept"), len(finding.get("exchanges") or [])
        if isinstance(kept, int) and there != kept:
            out.add("evidence", place, f"{kept} exchange(s) were recorded as kept but {there} are there")
        # A check may report a requirement it does not declare (a stream answered as JSON fails
        # SSE-CONTENT-TYPE wherever it happens), but it must be one the run says ran.
        check = finding.get("check")
        if finding.get("outcome") in ("passed", "failed") and known_checks and check not in known_checks:
            out.add("verdict", place, f"check {check!r} is not among the checks the report says ran")


def check_counts(doc: dict[str, Any], rebuilt: dict[str, RequirementResult], out: Verification) -> None:
    """The summary's counts and MUST lists equal what the requirements give."""
    summary = doc.get("summary") or {}
    results = list(rebuilt.values())
    if summary.get("counts") != count_outcomes(results):
        out.add("counts", "summary.counts", "the totals do not equal the requirements' outcomes")
    must_failed = [r.id for r in results if r.level == Level.MUST and r.outcome == Outcome.FAILED]
    if sorted(summary.get("must_failed") or []) != sorted(must_failed):
        out.add("counts", "summary.must_failed", f"should list {must_failed}")
    defects = [
        r.id for r in results if r.level == Level.MUST and r.outcome == Outcome.FAILED and not r.caused
    ]
    if "must_defects" in summary and sorted(summary["must_defects"]) != sorted(defects):
        out.add("counts", "summary.must_defects", f"should list {defects}")


def check_profiles(
    doc: dict[str, Any],
    rebuilt: dict[str, RequirementResult],
    contract: LoadedContract,
    out: Verification,
) -> dict[str, ProfileResult]:
    """Each profile's result follows from the requirements it owns; a judged profile has all its MUSTs."""
    profiles: dict[str, ProfileResult] = {}
    for p in doc.get("profiles") or []:
        name = str(p.get("name"))
        where = f"profiles[{name}]"
        owned = [r for r in rebuilt.values() if r.owner == name]
        again = profile_result(name, str(p.get("description", "")), bool(p.get("supported")), owned)
        profiles[name] = again
        if p.get("result") != again.result:
            out.add(
                "profile", where, f"result is {p.get('result')!r} but its requirements give {again.result!r}"
            )
        if p.get("counts") != again.counts:
            out.add("counts", f"{where}.counts", "the counts do not equal its requirements' outcomes")
        if again.result == "not_supported" or name not in contract.profiles:
            continue
        elsewhere = p.get("counted_elsewhere") or {}
        for req in contract.requirements_for_profile(name):
            if req.level != Level.MUST:
                continue
            if req.id not in rebuilt:
                out.add(
                    "profile",
                    where,
                    f"{p.get('result')}, but its MUST requirement {req.id} is not in the report",
                )
            elif req.id not in elsewhere and rebuilt[req.id].owner != name:
                out.add("profile", where, f"its MUST requirement {req.id} is counted nowhere")
    return profiles


def check_verdict(
    doc: dict[str, Any],
    rebuilt: dict[str, RequirementResult],
    profiles: dict[str, ProfileResult],
) -> tuple[int, str]:
    """The exit code and verdict the run's own rules give for these requirements and profiles."""
    stopped = (doc.get("stopped") or {}).get("reason", "")
    recorded_exit = doc.get("exit_code")
    signal = 0
    if stopped == "interrupted" and isinstance(recorded_exit, int) and recorded_exit > EXIT_SIGNAL_BASE:
        signal = recorded_exit - EXIT_SIGNAL_BASE
    run = RunResult(
        suite_version="",
        contract_hash="",
        contract_version="",
        options={},
        target_url="",
        target=None,
        started_at="",
        duration_s=0.0,
        selected_profiles=(),
        profiles=profiles,
        requirements=rebuilt,
        suite_errors=[
            SuiteError(str(e.get("check", "")), str(e.get("message", "")))
            for e in doc.get("suite_errors") or []
        ],
        uncovered=[],
        checks=[],
        stopped=stopped,
        signal=signal,
    )
    return run.exit_code, run.verdict
