"""Runs the selected checks against a target, each isolated and on a budget, and aggregates verdicts.

Why each check runs in its own thread, with its own connections, on a deadline: a check is code
written against targets that may be hostile; the run must finish, in bounded time, whatever one
check does. The context bounds every request by the check's remaining budget (so a check over
budget stops at its next request), and the runner waits for the thread at most the budget plus a
short grace; a check still running then is abandoned (a daemon thread whose connections are closed
and whose next request raises) and reported as ``error`` "check exceeded its budget". An exception
escaping a check is the suite's fault: ``error`` for each of its requirements without a verdict,
with the traceback in the report's suite errors. The run goes on in every case.

Stopping early: before any check, :func:`llmgw_conformance.preflight.preflight` decides whether the
target can be judged at all; a target that stops answering mid-run trips the run's
:class:`~llmgw_conformance.run_control.TargetHealth`; ``--max-failures``, the run budget and a
signal (:class:`~llmgw_conformance.run_control.RunInterrupted`) end the run too. In every case the
requirements not judged yet end *not run* with the reason, and the result says why the run stopped.

Determinism: checks run one at a time in name order, and each check's random choices come from
``Random(f"{seed}:{check_name}")``, so the same seed replays the same requests.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shlex
import signal
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
from llmgw_conformance.options import SuiteOptions, header_pairs, public_url, secret_header
from llmgw_conformance.outcomes import Finding, Outcome
from llmgw_conformance.preflight import preflight
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
from llmgw_conformance.run_control import RunInterrupted, TargetHealth, TargetUnusable
from llmgw_conformance.selection import RUNNER, Plan, plan_run, validate_names
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


#: The console script a pip install provides (pyproject.toml); reproduction lines name it.
COMMAND = "llm-gateway-conformance"


def reproduction(options: SuiteOptions, checks: list[str], embedded: bool) -> str:
    """The command that replays these checks against the same target with the same seed.

    Why the console script and not ``make``: a vendor runs the suite from a pip install, outside this
    checkout. The key is not on it: it comes from LLMGW_API_KEY, as it did for the run.
    """
    parts = [COMMAND, "run"]
    if not embedded and options.target:
        parts += ["--target", shlex.quote(public_url(options.target))]
    if checks:
        parts += ["--check", shlex.quote(",".join(checks))]
    if options.profiles:
        parts += ["--profile", shlex.quote(",".join(options.profiles))]
    parts += ["--seed", str(options.seed)]
    if options.model:
        parts += ["--model", shlex.quote(options.model)]
    if options.check_modules:
        parts += ["--checks-module", shlex.quote(",".join(options.check_modules))]
    for name, value in header_pairs(options.headers):
        shown = f"${_header_variable(name)}" if secret_header(name, value) else value
        parts += ["-H", shlex.quote(f"{name}: {shown}")]
    return " ".join(parts)


def _header_variable(name: str) -> str:
    return "HEADER_" + "".join(c if c.isalnum() else "_" for c in name.upper())


def redactor_for(options: SuiteOptions) -> Redactor:
    """The run's redactor: the keys, and every ``-H`` value that looks like a secret."""
    base = Redactor.for_keys(options.api_key, options.restricted_api_key)
    named = {secret: base.text(secret) for secret in base.secrets}
    for name, value in header_pairs(options.headers):
        if value and secret_header(name, value):
            named[value] = f"${_header_variable(name)}"
    return Redactor(named)


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
        except TargetUnusable:
            box["status"] = "target_unusable"
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
        #: Shared by every session of the run: trips once the target stops answering.
        self.health = TargetHealth()
        #: Why the run stopped early ("" when it did not), the one line that says so, and the signal.
        self.stopped, self.stop_message, self.signal = "", "", 0

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
        if left_s <= 0 or not options.target:
            status, tb, findings = "budget_exceeded", "", []
            self.errors.append(SuiteError(spec.name, "the run budget was spent before this check started"))
        else:
            budget = min(options.check_budget_s, left_s)
            # Each check gets its own connections: closing them after the check also stops an
            # abandoned (over-budget) check from talking to the target while the next one runs.
            own = HttpSession(
                options.target,
                limits_from(options),
                redactor,
                api_key=options.api_key,
                headers=dict(header_pairs(options.headers)),
                health=self.health,
            )
            ctx = LiveContext(
                target=target,
                contract=self.contract,
                options=options,
                session=own,
                check_name=spec.name,
                budget_s=budget,
                guard_model=True,
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


def _run_checks(
    state: RunState, target: DiscoveredTarget, redactor: Redactor, notify: ProgressCallback, started: float
) -> None:
    """The check loop: stops at the first of target unusable, run budget spent, max failures."""
    options, checks = state.options, state.plan.checks
    total = len(checks)
    for index, spec in enumerate(checks, start=1):
        left = options.run_budget_s - (time.monotonic() - started)
        failed = sum(1 for r in state.results.values() if r.level == "MUST" and r.outcome == Outcome.FAILED)
        if state.health.tripped:
            state.stop("target_unusable", f"target unusable: {state.health.reason}")
        elif left <= 0:
            state.stop("run_budget", f"the run budget ({options.run_budget_s:g}s) was spent")
            state.errors.append(
                SuiteError(RUNNER, f"the run budget was spent before {total - index + 1} checks started")
            )
        elif options.max_failures is not None and failed >= options.max_failures:
            state.stop(
                "max_failures",
                f"stopped after {failed} failed MUST requirements (--max-failures {options.max_failures})",
            )
        if state.stopped:
            state.mark_not_run(checks[index - 1 :])
            return
        notify(Progress("check_started", index, total, spec.name))
        run = state.run_check(spec, target, redactor, left)
        notify(Progress("check_finished", index, total, spec.name, run.outcome, run.duration_s))
    if state.health.tripped:
        state.stop("target_unusable", f"target unusable: {state.health.reason}")


def run_suite(
    options: SuiteOptions,
    *,
    embedded: bool = False,
    progress: ProgressCallback | None = None,
    registry: Mapping[str, CheckSpec] | None = None,
) -> RunResult:
    """Run the suite against ``options.target``; UsageError for bad names (before any request).

    Never raises for what the target does or for a signal (:class:`RunInterrupted`): the result
    says why the run stopped, and holds every verdict reached before.
    """
    started = time.monotonic()
    started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    contract = load_contract(options.contracts_dir)
    load_check_modules(options.check_modules)
    checks = dict(registry) if registry is not None else registered_checks()
    validate_names(options, contract, checks)
    if not options.target:
        raise ValueError("run_suite needs options.target (the CLI starts the embedded server first)")
    notify = progress or (lambda _p: None)
    redactor = redactor_for(options)
    target = blank_target(options)
    state: RunState | None = None
    stop: tuple[str, str, int] | None = None
    headers = dict(header_pairs(options.headers))
    session = HttpSession(
        options.target, limits_from(options), redactor, api_key=options.api_key, headers=headers
    )
    try:
        checked = preflight(options, redactor, headers)
        if not checked.usable:
            target = blank_target(options, checked.problem)
            stop = ("target_unusable", f"target unusable: {checked.problem}", 0)
            notify(Progress("unusable", message=stop[1]))
        else:
            session.health = TargetHealth()  # discovery's requests count too; the checks share it
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
            state.health = session.health
            notify(
                Progress(
                    "discovered",
                    total=len(plan.checks),
                    message=", ".join(plan.profiles),
                    notes=tuple(target.notes),
                )
            )
            narrowed = bool(options.checks or options.profiles)
            if not plan.checks and (session.health.unanswered_total or not narrowed):
                # Nothing to judge: discovery's probes got no answer, or no profile was served (a chat
                # path that holds its headers back and then answers 200 with no completion). That is
                # a target nobody could judge, never a silent pass. A --check or --profile run that chose
                # only what the target refuses clearly is not this case (those are not supported).
                unanswered = session.health.unanswered_total
                raise TargetUnusable(
                    "nothing could be judged ("
                    + "; ".join(target.notes or ["no profile was served"])
                    + (
                        f"; {unanswered} of discovery's requests got no complete answer, the last "
                        f"{session.health.last_unanswered}"
                        if unanswered
                        else ""
                    )
                    + ")"
                )
            _run_checks(state, target, redactor, notify, started)
    except TargetUnusable as exc:  # discovery met a target that stopped answering
        stop = ("target_unusable", f"target unusable: {exc}", 0)
    except RunInterrupted as exc:
        stop = ("interrupted", f"interrupted by {signal_name(exc.signum)}", exc.signum)
    finally:
        session.close()
    if state is None:
        state = stopped_state(options, contract, checks, embedded)
    if stop is not None:
        state.stop(*stop)
        done = {run.name for run in state.check_runs}
        state.mark_not_run([spec for spec in state.plan.checks if spec.name not in done])
    state.finish(checks)
    return state.result(target, checks, started, started_at)


def interrupted_result(options: SuiteOptions, signum: int, embedded: bool) -> RunResult:
    """The report record of a run interrupted before it started (while the embedded reference was
    starting): every selected requirement *not run: interrupted*."""
    contract = load_contract(options.contracts_dir)
    checks = registered_checks()
    state = stopped_state(options, contract, checks, embedded)
    state.stop("interrupted", f"interrupted by {signal_name(signum)}", signum)
    state.mark_not_run(state.plan.checks)
    state.finish(checks)
    return state.result(
        blank_target(options), checks, time.monotonic(), dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )


def signal_name(signum: int) -> str:
    return signal.Signals(signum).name
