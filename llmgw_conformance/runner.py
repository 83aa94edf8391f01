"""Runs the selected checks against a target, each isolated and on a budget, and aggregates verdicts.

Why each check runs in its own thread, with its own connections, on a deadline: a check is code
written against targets that may be hostile; the run must finish, in bounded time, whatever one
check does. The context bounds every request by the check's remaining budget (so a check over
budget stops at its next request), and the runner waits for the thread at most the budget plus a
short grace; a check still running then is abandoned (a daemon thread whose connections are closed
and whose next request raises) and reported as ``error`` "check exceeded its budget". An exception
escaping a check is the suite's fault: ``error`` for each of its requirements without a verdict,
with the traceback in the report's suite errors. The run goes on in every case.

Determinism: checks run one at a time in name order, and each check's random choices come from
``Random(f"{seed}:{check_name}")``, so the same seed replays the same requests.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shlex
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from llmgw_conformance import __version__
from llmgw_conformance.causes import link_causes
from llmgw_conformance.contract import LoadedContract, load_contract
from llmgw_conformance.counting import assign_owners, unjudged_finding
from llmgw_conformance.http_session import HttpSession
from llmgw_conformance.live import CheckBudgetExceeded, LiveContext, NoModelKnown, limits_from
from llmgw_conformance.options import SuiteOptions, public_url
from llmgw_conformance.outcomes import Finding, Outcome
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.registry import CheckSpec, TargetViolation, UsageError, registered_checks
from llmgw_conformance.results import (
    CheckRun,
    ProfileResult,
    RequirementResult,
    RunResult,
    SuiteError,
    profile_result,
)
from llmgw_conformance.selection import Plan, plan_run, validate_names
from llmgw_conformance.target import DiscoveredTarget, discover
from llmgw_conformance.target_description import describe_target

#: Why a native profile is not supported by a server without capabilities.
_NATIVE_ONLY = (
    "a server without /v1/capabilities is OpenAI-only: native profiles are never inferred (declare them)"
)

#: Extra seconds the runner waits for a check thread beyond its budget before abandoning it.
GRACE_S = 2.0


@dataclass(frozen=True)
class Progress:
    """One step of a run, for a live progress display."""

    kind: str  # "discovered" | "check_started" | "check_finished"
    index: int = 0
    total: int = 0
    check: str = ""
    status: str = ""
    elapsed_s: float = 0.0
    message: str = ""
    #: For "discovered": what discovery noticed about the target (shown before the run).
    notes: tuple[str, ...] = ()


ProgressCallback = Callable[[Progress], None]


def load_check_modules(names: tuple[str, ...]) -> None:
    """Import extra check modules (``--checks-module``); one that cannot be imported is a usage error."""
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise UsageError("checks module", name, [f"an importable module ({exc})"]) from None


def reproduction(options: SuiteOptions, checks: list[str], embedded: bool) -> str:
    """The make command that replays these checks against the same target with the same seed."""
    parts = ["make", "conformance"]
    if not embedded and options.target:
        parts.append(f"TARGET={shlex.quote(public_url(options.target))}")
    if checks:
        parts.append(f"CHECK={shlex.quote(','.join(checks))}")
    if options.profiles:
        parts.append(f"PROFILE={shlex.quote(','.join(options.profiles))}")
    parts.append(f"SEED={options.seed}")
    if options.model:
        parts.append(f"MODEL={shlex.quote(options.model)}")
    if options.check_modules:
        parts.append(f"CHECK_MODULES={shlex.quote(','.join(options.check_modules))}")
    return " ".join(parts)


def _run_isolated(spec: CheckSpec, ctx: LiveContext, budget_s: float) -> tuple[str, str]:
    """Run one check in a thread; return (status, traceback text)."""
    box: dict[str, str] = {"status": "budget_exceeded", "traceback": ""}

    def body() -> None:
        try:
            spec.function(ctx)
            box["status"] = "completed"
        except TargetViolation as violation:
            try:
                ctx.failed(
                    violation.requirement_id,
                    violation.message,
                    expected=violation.expected,
                    received=violation.received,
                    exchanges=ctx.exchanges[-3:],
                )
                box["status"] = "completed"
            except Exception:
                box["status"], box["traceback"] = "error", traceback.format_exc()
        except CheckBudgetExceeded:
            box["status"] = "budget_exceeded"
        except NoModelKnown:
            box["status"] = "no_model"
        except BaseException:  # the check's own bug: never let it end the run
            box["status"], box["traceback"] = "error", traceback.format_exc()

    thread = threading.Thread(target=body, name=f"check-{spec.name}", daemon=True)
    thread.start()
    thread.join(budget_s + GRACE_S)
    if thread.is_alive():
        return "budget_exceeded", ""
    return box["status"], box["traceback"]


class RunState:
    """The mutable state of one run (results per requirement, errors, timings).

    Why a class of its own: the CLI runs every planned check in a loop (:func:`run_suite`), the pytest
    plugin runs them one item at a time; both go through :meth:`run_check`, :meth:`finish` and
    :meth:`result`, so a check is judged the same way whoever drives the run.
    """

    def __init__(self, options: SuiteOptions, contract: LoadedContract, plan: Plan, embedded: bool) -> None:
        self.options = options
        self.contract = contract
        self.plan = plan
        self.embedded = embedded
        self.results: dict[str, RequirementResult] = {}
        for req_id in plan.requirement_ids:
            entry = contract.requirements[req_id]
            self.results[req_id] = RequirementResult(
                req_id, entry["level"], entry["text"], tuple(entry.get("profiles", ()))
            )
        for req_id, finding in plan.preset.items():
            self.results[req_id].add(finding)
        self.errors: list[SuiteError] = []
        self.check_runs: list[CheckRun] = []

    def accept(self, spec: CheckSpec, findings: list[Finding], status: str, tb: str) -> None:
        mine = [r for r in spec.requirements if r in self.results and r not in self.plan.preset]
        for finding in findings:
            result = self.results.get(finding.requirement_id)
            if result is not None and finding.requirement_id not in self.plan.preset:
                result.add(finding)
        judged = {f.requirement_id for f in findings}
        if status == "error":
            last = tb.strip().splitlines()[-1] if tb.strip() else "unknown error"
            self.errors.append(SuiteError(spec.name, f"check crashed: {last}", tb, tuple(mine)))
        elif status == "budget_exceeded":
            budget = self.options.check_budget_s
            self.errors.append(
                SuiteError(spec.name, f"check exceeded its budget ({budget}s)", "", tuple(mine))
            )
        for req_id in mine:
            result = self.results[req_id]
            if spec.name not in result.checks:
                result.checks.append(spec.name)
            if req_id in judged:
                continue
            if status == "completed":
                message = f"check {spec.name} returned without a verdict on this requirement"
                result.add(Finding(req_id, Outcome.SKIPPED, spec.name, message))
            elif status == "no_model":
                result.add(Finding(req_id, Outcome.SKIPPED, spec.name, NoModelKnown.REASON))
            elif status == "budget_exceeded":
                result.add(Finding(req_id, Outcome.ERROR, spec.name, "check exceeded its budget"))
            else:
                result.add(Finding(req_id, Outcome.ERROR, spec.name, self.errors[-1].message))

    def run_check(
        self, spec: CheckSpec, target: DiscoveredTarget, redactor: Redactor, left_s: float
    ) -> CheckRun:
        """Run one check isolated, on the smaller of its budget and ``left_s``; record and return its run."""
        options = self.options
        t0 = time.monotonic()
        if left_s <= 0 or not options.target:
            status, tb, findings = "budget_exceeded", "", []
            self.errors.append(SuiteError(spec.name, "the run budget was spent before this check started"))
        else:
            budget = min(options.check_budget_s, left_s)
            # Each check gets its own connections: closing them after the check also stops an
            # abandoned (over-budget) check from talking to the target while the next one runs.
            own = HttpSession(options.target, limits_from(options), redactor, api_key=options.api_key)
            ctx = LiveContext(
                target=target,
                contract=self.contract,
                options=options,
                session=own,
                check_name=spec.name,
                budget_s=budget,
            )
            try:
                status, tb = _run_isolated(spec, ctx, budget)
            finally:
                own.close()
            findings = list(ctx.findings)
        self.accept(spec, findings, status, redactor.text(tb))
        run = CheckRun(spec.name, round(time.monotonic() - t0, 3), status, spec.requirements)
        self.check_runs.append(run)
        return run

    def finish(self, registry: Mapping[str, CheckSpec]) -> None:
        """Record the planned checks that were not run, then give every unjudged requirement its reason."""
        for name, why in self.plan.not_run.items():
            self.check_runs.append(CheckRun(name, 0.0, f"not_run: {why}", registry[name].requirements))
        self.finish_unjudged(registry)

    def result(
        self, target: DiscoveredTarget, registry: Mapping[str, CheckSpec], started: float, started_at: str
    ) -> RunResult:
        """The finished run as the record the reports, the CLI and the plugin read."""
        contract, plan = self.contract, self.plan
        linked = link_causes({r: res.findings for r, res in self.results.items()}, plan.requirement_ids)
        for req_id, findings in linked.items():
            self.results[req_id].findings = findings
        assign_owners(self.results.values(), plan.supported, contract, registry)
        profile_results = {name: self._profile(name, target) for name in plan.profiles}
        covered = {r for spec in registry.values() for r in spec.requirements}
        return RunResult(
            suite_version=__version__,
            contract_hash=contract.hash,
            contract_version=contract.version,
            options=self.options.to_report(),
            target_url=public_url(self.options.target or ""),
            target=target,
            started_at=started_at,
            duration_s=round(time.monotonic() - started, 3),
            selected_profiles=plan.profiles,
            profiles=profile_results,
            requirements=self.results,
            suite_errors=self.errors,
            uncovered=[r.id for r in contract.requirement_list if r.id not in covered],
            checks=self.check_runs,
            embedded=self.embedded,
        )

    def _profile(self, name: str, target: DiscoveredTarget) -> ProfileResult:
        """One profile's result over the requirements it owns, with how the profile was decided."""
        plan, info = self.plan, self.contract.profiles[name]
        owned = [r for r in self.results.values() if r.owner == name]
        decision = target.decision("profile", name) if target is not None else None
        if decision is not None:
            decided = decision.doc()
        elif target is not None and target.capabilities is None:
            decided = {"how": "not probed", "supported": False, "evidence": "", "reason": _NATIVE_ONLY}
        else:
            decided = {
                "how": "claimed",
                "supported": False,
                "evidence": "",
                "reason": "not in capabilities.profiles",
            }
        reason = ""
        if not plan.supported[name]:
            reason = f"the target does not claim profile {name}"
            if decision is not None and decision.reason:
                reason = f"{reason}: {decision.reason}"
            elif decided["reason"] == _NATIVE_ONLY:
                reason = f"{reason}: {_NATIVE_ONLY}"
        out = profile_result(name, str(info.get("description", "")), plan.supported[name], owned, reason)
        out.decided = decided
        out.counted_elsewhere = {
            r.id: r.owner for r in self.results.values() if name in r.profiles and r.owner != name
        }
        return out

    def finish_unjudged(self, registry: Mapping[str, CheckSpec], ids: Iterable[str] | None = None) -> None:
        """Give each requirement (of ``ids``, default all) without a finding its reason, and its replay."""
        named = bool(self.options.checks)
        for req_id in list(self.results) if ids is None else ids:
            result = self.results[req_id]
            if not result.findings:
                result.add(unjudged_finding(req_id, registry, named, self.plan.supported))
            result.reproduction = reproduction(self.options, result.checks or [result.id], self.embedded)


def run_suite(
    options: SuiteOptions,
    *,
    embedded: bool = False,
    progress: ProgressCallback | None = None,
    registry: Mapping[str, CheckSpec] | None = None,
) -> RunResult:
    """Run the suite against ``options.target``; UsageError for bad names (before any request)."""
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    contract = load_contract(options.contracts_dir)
    load_check_modules(options.check_modules)
    checks = dict(registry) if registry is not None else registered_checks()
    validate_names(options, contract, checks)
    if not options.target:
        raise ValueError("run_suite needs options.target (the CLI starts the embedded server first)")
    notify = progress or (lambda _p: None)
    redactor = Redactor.for_keys(options.api_key, options.restricted_api_key)
    session = HttpSession(options.target, limits_from(options), redactor, api_key=options.api_key)
    try:
        target = discover(
            session,
            model=options.model,
            restricted_api_key=options.restricted_api_key,
            description=describe_target(options, contract, checks),
        )
        plan = plan_run(
            options,
            contract,
            checks,
            claimed_profiles=target.profiles,
            features=target.features,
            embedded=embedded,
        )
        state = RunState(options, contract, plan, embedded)
        total = len(plan.checks)
        notify(
            Progress("discovered", total=total, message=", ".join(plan.profiles), notes=tuple(target.notes))
        )
        for index, spec in enumerate(plan.checks, start=1):
            notify(Progress("check_started", index, total, spec.name))
            left = options.run_budget_s - (time.monotonic() - started)
            run = state.run_check(spec, target, redactor, left)
            notify(Progress("check_finished", index, total, spec.name, run.outcome, run.duration_s))
        state.finish(checks)
    finally:
        session.close()
    return state.result(target, checks, started, started_at)
