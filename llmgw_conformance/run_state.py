"""The state of one run: a verdict per requirement, the suite's errors, the checks' timings.

Why a module of its own: the CLI runs every planned check in a loop
(:func:`llmgw_conformance.runner.run_suite`), the pytest plugin runs them one item at a time
(:mod:`llmgw_conformance.stepped_run`); both go through :class:`RunState`, so a check is judged the
same way whoever drives the run. How a check's status becomes findings, how a stopped run leaves
its requirements (*not run*, with the reason), and how profiles are counted live here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from llmgw_conformance import __version__
from llmgw_conformance.causes import link_causes
from llmgw_conformance.check_isolation import run_with_own_session
from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.counting import assign_owners, unjudged_finding
from llmgw_conformance.live import NoModelKnown
from llmgw_conformance.options import SuiteOptions, public_url
from llmgw_conformance.outcomes import Finding, Outcome
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.registry import CheckSpec
from llmgw_conformance.reproduction import reproduction
from llmgw_conformance.results import (
    CheckRun,
    ProfileResult,
    RequirementResult,
    RunResult,
    SuiteError,
    profile_result,
)
from llmgw_conformance.run_control import TargetHealth
from llmgw_conformance.selection import RUNNER, Plan, plan_run
from llmgw_conformance.target import DiscoveredTarget

#: Why a native profile is not supported by a server without capabilities.
_NATIVE_ONLY = (
    "a server without /v1/capabilities is OpenAI-only: native profiles are never inferred (declare them)"
)


class RunState:
    """The mutable state of one run (results per requirement, errors, timings).

    Why a class of its own: the CLI runs every planned check in a loop
    (:func:`llmgw_conformance.runner.run_suite`), the pytest plugin runs them one item at a time;
    both go through :meth:`run_check`, :meth:`finish` and :meth:`result`, so a check is judged the
    same way whoever drives the run.
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
        #: Shared by every session of the run: trips once the target stops answering.
        self.health = TargetHealth()
        #: Why the run stopped early ("" when it did not), the one line that says so, and the signal.
        self.stopped, self.stop_message, self.signal = "", "", 0

    def accept(self, spec: CheckSpec, findings: list[Finding], status: str, tb: str) -> None:
        """Record a check's findings; each of its requirements it left without one gets the reason
        its status gives (never a silent pass: a check that returned without a verdict is skipped)."""
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
            elif status == "target_unusable":
                result.add(
                    Finding(
                        req_id, Outcome.SKIPPED, spec.name, f"not run: target unusable ({self.health.reason})"
                    )
                )
            else:
                result.add(Finding(req_id, Outcome.ERROR, spec.name, self.errors[-1].message))

    def run_check(
        self, spec: CheckSpec, target: DiscoveredTarget, redactor: Redactor, left_s: float
    ) -> CheckRun:
        """Run one check isolated, on the smaller of its budget and ``left_s``; record and return its run."""
        options = self.options
        t0 = time.monotonic()
        findings: list[Finding] = []
        if left_s <= 0 or not options.target:
            status, tb = "budget_exceeded", ""
            self.errors.append(SuiteError(spec.name, "the run budget was spent before this check started"))
        else:
            budget = min(options.check_budget_s, left_s)
            status, tb, findings = run_with_own_session(
                options.target, spec, target, self.contract, options, redactor, self.health, budget
            )
        self.accept(spec, findings, status, redactor.text(tb))
        run = CheckRun(spec.name, round(time.monotonic() - t0, 3), status, spec.requirements)
        self.check_runs.append(run)
        return run

    def stop(self, reason: str, message: str, signum: int = 0) -> None:
        """Record why the run stops before its last check (the first reason given wins)."""
        if not self.stopped:
            self.stopped, self.stop_message, self.signal = reason, message, signum

    def mark_not_run(self, remaining: Iterable[CheckSpec]) -> None:
        """The checks that will not run now, and every requirement still without a verdict: *not run*
        with the reason the run stopped."""
        for spec in remaining:
            self.check_runs.append(CheckRun(spec.name, 0.0, f"not_run: {self.stopped}", spec.requirements))
        # A spent run budget is the suite's limit (error, as a check over its budget is); any other
        # stop leaves the requirement unjudged (skipped), which no report reads as a pass.
        outcome = Outcome.ERROR if self.stopped == "run_budget" else Outcome.SKIPPED
        for result in self.results.values():
            if not result.findings:
                result.add(Finding(result.id, outcome, RUNNER, f"not run: {self.stop_message}"))

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
            stopped=self.stopped,
            stop_message=self.stop_message,
            signal=self.signal,
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
        excluded = [name for name, why in self.plan.not_run.items() if "--exclude-check" in why]
        for req_id in list(self.results) if ids is None else ids:
            result = self.results[req_id]
            if not result.findings:
                result.add(unjudged_finding(req_id, registry, named, self.plan.supported, excluded))
            result.reproduction = reproduction(self.options, result.checks or [result.id], self.embedded)


def blank_target(options: SuiteOptions, note: str = "") -> DiscoveredTarget:
    """The target as a run that never discovered it records it (preflight failed, or interrupted)."""
    url = options.target or ""
    return DiscoveredTarget(
        url, None, frozenset(), (), options.model or "", None, notes=[note] if note else []
    )


def stopped_state(
    options: SuiteOptions, contract: LoadedContract, checks: Mapping[str, CheckSpec], embedded: bool
) -> RunState:
    """A run's state before anything was discovered: every selected requirement and check, none
    decided (nothing is known about what the target claims)."""
    plan = plan_run(
        options, contract, checks, claimed_profiles=contract.profiles, features=(), embedded=False
    )
    plan.preset, plan.not_run = {}, {}
    return RunState(options, contract, plan, embedded)
