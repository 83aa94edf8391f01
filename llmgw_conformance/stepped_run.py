"""A run driven one requirement at a time: what the pytest plugin's items call.

Why not :func:`llmgw_conformance.runner.run_suite`: pytest decides which requirements run (``-k``,
``--lf``, ``-x``, deselection) and in which phase, so the run cannot be one call made before pytest
collects anything. Here the requirements are known without a request (collection), the target is
checked (preflight) and discovered on first use (the first item's setup), and judging a requirement
runs only the checks that cover it and have not run yet: a check covering several requirements runs
once per session, and ``-k`` selecting one requirement runs only the checks it needs. Checks are
judged by the runner's :class:`~llmgw_conformance.runner.RunState`, exactly as a CLI run judges
them, with the same target health: once the target stops answering, the run stops
(:class:`~llmgw_conformance.run_control.TargetUnusable` from :meth:`SteppedRun.start`).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping

from llmgw_conformance.causes import CONSEQUENCES, SCHEMA_REQUIREMENTS, link_causes
from llmgw_conformance.contract import Requirement, load_contract
from llmgw_conformance.http_session import HttpSession
from llmgw_conformance.live import limits_from
from llmgw_conformance.options import SuiteOptions, header_pairs
from llmgw_conformance.outcomes import Cause, Level, Outcome
from llmgw_conformance.preflight import preflight
from llmgw_conformance.registry import CheckSpec, registered_checks
from llmgw_conformance.results import CheckRun, RequirementResult, RunResult
from llmgw_conformance.run_control import TargetHealth, TargetUnusable
from llmgw_conformance.runner import RunState, blank_target, load_check_modules, redactor_for, stopped_state
from llmgw_conformance.selection import plan_run, select_profiles
from llmgw_conformance.target import DiscoveredTarget, discover
from llmgw_conformance.target_description import describe_target


class SteppedRun:
    """One session's run: requirements known up front, checks run on demand, each at most once."""

    def __init__(self, options: SuiteOptions, registry: Mapping[str, CheckSpec] | None = None) -> None:
        """Load the contract and the checks and select the requirements; UsageError for a bad name.

        Sends nothing: a typo in a profile or check name fails pytest before any request.
        """
        if not options.target:
            raise ValueError("SteppedRun needs options.target")
        self.options = options
        self.contract = load_contract(options.contracts_dir)
        load_check_modules(options.check_modules)
        self.registry = dict(registry) if registry is not None else registered_checks()
        self.description = describe_target(options, self.contract, self.registry)
        profiles = select_profiles(options, self.contract, self.registry, (), embedded=False)
        #: The requirements of the selected profiles, in catalogue order (one pytest item each).
        self.requirements = [r for r in self.contract.requirement_list if set(profiles) & set(r.profiles)]
        self.redactor = redactor_for(options)
        self._headers = dict(header_pairs(options.headers))
        self._started = time.monotonic()
        self._started_at = ""
        self._target: DiscoveredTarget | None = None
        self._state: RunState | None = None
        self._checks_run: set[str] = set()
        #: Requirement ids judged so far, in the order they were judged.
        self.judged: list[str] = []
        #: Requirement ids pytest selected (after -k, --lf, deselection); None: every one collected.
        self.selected: list[str] | None = None

    def start(self) -> None:
        """Check the target and discover it, then plan the run (once); raise TargetUnusable when the
        target cannot be used (preflight) or has stopped answering (now or at any later call)."""
        if self._state is None:
            self._begin()
        assert self._state is not None  # set by _begin()
        if self._state.stopped:
            raise TargetUnusable(self._state.stop_message)

    def _begin(self) -> None:
        self._started = time.monotonic()
        self._started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        options, target_url = self.options, str(self.options.target)
        checked = preflight(options, self.redactor, self._headers)
        if not checked.usable:
            self._target = blank_target(options, checked.problem)
            self._state = stopped_state(options, self.contract, self.registry, embedded=False)
            self._state.stop("target_unusable", f"target unusable: {checked.problem}")
            return
        limits = limits_from(options)
        session = HttpSession(
            target_url, limits, self.redactor, api_key=options.api_key, headers=self._headers
        )
        session.health = TargetHealth()  # discovery's requests count too; the checks share it
        try:
            target = discover(
                session,
                model=options.model,
                restricted_api_key=options.restricted_api_key,
                description=self.description,
            )
        except TargetUnusable as exc:
            self._target = blank_target(options, str(exc))
            self._state = stopped_state(options, self.contract, self.registry, embedded=False)
            self._state.stop("target_unusable", f"target unusable: {exc}")
            return
        finally:
            session.close()
        plan = plan_run(
            options, self.contract, self.registry, claimed_profiles=target.profiles, features=target.features
        )
        self._target = target
        self._state = RunState(options, self.contract, plan, embedded=False)
        self._state.health = session.health

    @property
    def target(self) -> DiscoveredTarget | None:
        """The discovered target (None before :meth:`start`)."""
        return self._target

    def judge(self, requirement_id: str) -> RequirementResult:
        """Run the not-yet-run checks covering ``requirement_id``; return its verdict.

        When the target stops answering during these checks, this verdict is still returned (its
        first unanswered exchanges are the target's failures) and the next :meth:`start` raises.
        """
        self.start()
        state, target = self._state, self._target
        assert state is not None and target is not None  # set by start()
        if requirement_id not in state.plan.preset:
            for spec in state.plan.checks:
                if requirement_id not in spec.requirements or spec.name in self._checks_run:
                    continue
                if state.health.tripped:
                    break
                self._checks_run.add(spec.name)
                left = self.options.run_budget_s - (time.monotonic() - self._started)
                state.run_check(spec, target, self.redactor, left)
        if state.health.tripped:
            state.stop("target_unusable", f"target unusable: {state.health.reason}")
        state.finish_unjudged(self.registry, [requirement_id])
        if requirement_id not in self.judged:
            self.judged.append(requirement_id)
        return state.results[requirement_id]

    def causes_of(self, requirement_id: str) -> list[Cause]:
        """What every failure of ``requirement_id`` follows from (:mod:`llmgw_conformance.causes`), when
        each root is a failure already judged in this session that failed its own item; else empty.

        Why only then: a consequence is reported apart from its root only where the root's failure is
        visible, so no defect is hidden (its root's item deselected, or a SHOULD that passes).
        """
        state = self._state
        if state is None:
            return []
        findings = {r: res.findings for r, res in state.results.items() if res.findings}
        mine = link_causes(findings, state.plan.requirement_ids).get(requirement_id, [])
        failures = [f for f in mine if f.outcome == Outcome.FAILED]
        causes = [
            f.caused_by for f in failures if f.caused_by and f.caused_by.requirement_id != requirement_id
        ]
        if not failures or len(causes) != len(failures):
            return []
        level = state.results[requirement_id].level
        for cause in causes:
            root = state.results.get(cause.requirement_id)
            if root is None or cause.requirement_id not in self.judged or root.outcome != Outcome.FAILED:
                return []
            if level == Level.MUST and root.level != Level.MUST:
                return []
        return causes

    def result(self, stop: tuple[str, str, int] | None = None) -> RunResult | None:
        """The run as a report record over the selected requirements (None when nothing started).

        Selected requirements not judged are *not run*, with ``stop`` (reason, message, signal) as the why
        when the run did not stop for a reason of its own (pytest's ``-x`` or an interrupt).
        """
        state, target = self._state, self._target
        if state is None or target is None:
            return None
        wanted = set(self.selected if self.selected is not None else self.judged)
        in_catalogue_order = [r.id for r in self.requirements if r.id in wanted]
        state.results = {r: state.results[r] for r in in_catalogue_order if r in state.results}
        if stop is not None and any(r not in self.judged for r in state.results):
            state.stop(*stop)
        remaining = [s for s in state.plan.checks if s.name not in self._checks_run]
        if state.stopped:
            state.mark_not_run(remaining)
        else:
            _record_unneeded(state, remaining)
        state.finish(self.registry)
        return state.result(target, self.registry, self._started, self._started_at)


def roots_first(requirements: Iterable[Requirement]) -> list[Requirement]:
    """Catalogue order, but requirements that usually repeat another's defect (whole-payload schema
    requirements, known consequences) last, so the root is judged first and a consequence can be
    reported as caused by it (:meth:`SteppedRun.causes_of`)."""
    late = set(SCHEMA_REQUIREMENTS) | {consequence for consequence, _root in CONSEQUENCES}
    return sorted(requirements, key=lambda r: r.id in late)


def _record_unneeded(state: RunState, checks: Iterable[CheckSpec]) -> None:
    """Planned checks that no selected item needed, in the report's list of checks."""
    for spec in checks:
        state.check_runs.append(
            CheckRun(spec.name, 0.0, "not_run: no selected item needed it", spec.requirements)
        )
