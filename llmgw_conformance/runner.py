"""Runs the selected checks against a target and aggregates their verdicts into one result.

The pieces: each check runs isolated, on its own connections and on a budget
(:mod:`llmgw_conformance.check_isolation`); its verdicts go into the run's
:class:`~llmgw_conformance.run_state.RunState`; replay lines and redaction come from
:mod:`llmgw_conformance.reproduction`. The run goes on whatever one check does.

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
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from llmgw_conformance.check_isolation import GRACE_S
from llmgw_conformance.contract import LoadedContract, load_contract
from llmgw_conformance.http_session import HttpSession
from llmgw_conformance.live import limits_from
from llmgw_conformance.options import SuiteOptions, header_pairs
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.preflight import preflight
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.registry import CheckSpec, UsageError, registered_checks
from llmgw_conformance.reproduction import COMMAND, redactor_for, reproduction
from llmgw_conformance.results import RunResult, SuiteError
from llmgw_conformance.run_control import RunInterrupted, TargetHealth, TargetUnusable
from llmgw_conformance.run_state import RunState, blank_target, stopped_state
from llmgw_conformance.selection import RUNNER, plan_run, validate_names
from llmgw_conformance.target import DiscoveredTarget, discover
from llmgw_conformance.target_description import describe_target

#: The runner's public names; several live in the modules it is built from and are imported from
#: here by the CLI, the pytest plugin's stepped run and the differential command.
__all__ = [
    "COMMAND",
    "GRACE_S",
    "Progress",
    "ProgressCallback",
    "RunState",
    "blank_target",
    "interrupted_result",
    "load_check_modules",
    "redactor_for",
    "reproduction",
    "run_suite",
    "signal_name",
    "stopped_state",
]

#: Why a run stopped before its checks were all run: (reason, the line that says so, signal number).
Stop = tuple[str, str, int]


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


def _validated(
    options: SuiteOptions, registry: Mapping[str, CheckSpec] | None
) -> tuple[LoadedContract, dict[str, CheckSpec]]:
    """The contract and the checks of the run, every name the user gave checked before any request."""
    contract = load_contract(options.contracts_dir)
    load_check_modules(options.check_modules)
    checks = dict(registry) if registry is not None else registered_checks()
    validate_names(options, contract, checks)
    return contract, checks


def _discovered(
    session: HttpSession, options: SuiteOptions, contract: LoadedContract, checks: Mapping[str, CheckSpec]
) -> DiscoveredTarget:
    """What the target is and claims, read from the target (or declared in its description)."""
    return discover(
        session,
        model=options.model,
        restricted_api_key=options.restricted_api_key,
        description=describe_target(options, contract, checks),
    )


def _planned(
    options: SuiteOptions,
    contract: LoadedContract,
    checks: Mapping[str, CheckSpec],
    target: DiscoveredTarget,
    embedded: bool,
    health: TargetHealth,
    notify: ProgressCallback,
) -> RunState:
    """The run planned on what discovery found (sharing discovery's health), announced to the display."""
    plan = plan_run(
        options,
        contract,
        checks,
        claimed_profiles=target.profiles,
        features=target.features,
        embedded=embedded,
    )
    state = RunState(options, contract, plan, embedded)
    state.health = health
    notify(
        Progress(
            "discovered", total=len(plan.checks), message=", ".join(plan.profiles), notes=tuple(target.notes)
        )
    )
    return state


def _refuse_nothing_to_judge(state: RunState, target: DiscoveredTarget) -> None:
    """TargetUnusable when no check can run on what discovery found.

    Why: discovery's probes got no answer, or no profile was served (a chat path that holds its
    headers back and then answers 200 with no completion). That is a target nobody could judge, never
    a silent pass. A --check or --profile run that chose only what the target refuses clearly is not
    this case (those are not supported).
    """
    health, narrowed = state.health, bool(state.options.checks or state.options.profiles)
    unanswered = health.unanswered_total
    if state.plan.checks or (narrowed and not unanswered):
        return
    raise TargetUnusable(
        "nothing could be judged ("
        + "; ".join(target.notes or ["no profile was served"])
        + (
            f"; {unanswered} of discovery's requests got no complete answer, the last "
            f"{health.last_unanswered}"
            if unanswered
            else ""
        )
        + ")"
    )


def _finished(
    state: RunState,
    stop: Stop | None,
    checks: Mapping[str, CheckSpec],
    target: DiscoveredTarget,
    started: float,
    started_at: str,
) -> RunResult:
    """The run's result: checks a stop left unrun marked *not run*, every requirement given a reason."""
    if stop is not None:
        state.stop(*stop)
        done = {run.name for run in state.check_runs}
        state.mark_not_run([spec for spec in state.plan.checks if spec.name not in done])
    state.finish(checks)
    return state.result(target, checks, started, started_at)


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
    contract, checks = _validated(options, registry)
    if not options.target:
        raise ValueError("run_suite needs options.target (the CLI starts the embedded server first)")
    notify = progress or (lambda _p: None)
    redactor = redactor_for(options)
    target = blank_target(options)
    state: RunState | None = None
    stop: Stop | None = None
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
            session.health = health = TargetHealth()  # discovery's requests count too; the checks share it
            target = _discovered(session, options, contract, checks)
            state = _planned(options, contract, checks, target, embedded, health, notify)
            _refuse_nothing_to_judge(state, target)
            _run_checks(state, target, redactor, notify, started)
    except TargetUnusable as exc:  # discovery met a target that stopped answering
        stop = ("target_unusable", f"target unusable: {exc}", 0)
    except RunInterrupted as exc:
        stop = ("interrupted", f"interrupted by {signal_name(exc.signum)}", exc.signum)
    finally:
        session.close()
    if state is None:
        state = stopped_state(options, contract, checks, embedded)
    return _finished(state, stop, checks, target, started, started_at)


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
    """The signal's name (SIGINT, SIGTERM) as the report and the console say it."""
    return signal.Signals(signum).name
