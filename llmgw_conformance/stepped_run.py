"""A run driven one requirement at a time: what the pytest plugin's items call.

Why not :func:`llmgw_conformance.runner.run_suite`: pytest decides which requirements run (``-k``,
``--lf``, ``-x``, deselection) and in which phase, so the run cannot be one call made before pytest
collects anything. Here the requirements are known without a request (collection), the target is
discovered on first use (the first item's setup), and judging a requirement runs only the checks that
cover it and have not run yet: a check covering several requirements runs once per session, and ``-k``
selecting one requirement runs only the checks it needs. Checks are judged by the runner's
:class:`~llmgw_conformance.runner.RunState`, exactly as a CLI run judges them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping

from llmgw_conformance.contract import load_contract
from llmgw_conformance.http_session import HttpSession
from llmgw_conformance.live import limits_from
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.registry import CheckSpec, registered_checks
from llmgw_conformance.results import CheckRun, RequirementResult, RunResult
from llmgw_conformance.runner import RunState, load_check_modules
from llmgw_conformance.selection import plan_run, select_profiles
from llmgw_conformance.target import DiscoveredTarget, discover


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
        profiles = select_profiles(options, self.contract, self.registry, (), embedded=False)
        #: The requirements of the selected profiles, in catalogue order (one pytest item each).
        self.requirements = [r for r in self.contract.requirement_list if set(profiles) & set(r.profiles)]
        self.redactor = Redactor.for_keys(options.api_key, options.restricted_api_key)
        self._started = 0.0
        self._started_at = ""
        self._target: DiscoveredTarget | None = None
        self._state: RunState | None = None
        self._checks_run: set[str] = set()
        #: Requirement ids judged so far, in the order they were judged.
        self.judged: list[str] = []

    def start(self) -> None:
        """Discover the target and plan the run (once; later calls return at once)."""
        if self._state is not None:
            return
        self._started = time.monotonic()
        self._started_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        options = self.options
        assert options.target is not None  # checked in __init__
        session = HttpSession(options.target, limits_from(options), self.redactor, api_key=options.api_key)
        try:
            target = discover(session, model=options.model, restricted_api_key=options.restricted_api_key)
        finally:
            session.close()
        plan = plan_run(
            options,
            self.contract,
            self.registry,
            claimed_profiles=target.profiles,
            features=target.features,
        )
        self._target = target
        self._state = RunState(options, self.contract, plan, embedded=False)

    @property
    def target(self) -> DiscoveredTarget | None:
        """The discovered target (None before :meth:`start`)."""
        return self._target

    def judge(self, requirement_id: str) -> tuple[RequirementResult, list[CheckRun]]:
        """Run the not-yet-run checks covering ``requirement_id``; return its verdict and those runs."""
        self.start()
        state, target = self._state, self._target
        assert state is not None and target is not None  # set by start()
        runs: list[CheckRun] = []
        if requirement_id not in state.plan.preset:
            for spec in state.plan.checks:
                if requirement_id in spec.requirements and spec.name not in self._checks_run:
                    self._checks_run.add(spec.name)
                    left = self.options.run_budget_s - (time.monotonic() - self._started)
                    runs.append(state.run_check(spec, target, self.redactor, left))
        state.finish_unjudged(self.registry, [requirement_id])
        if requirement_id not in self.judged:
            self.judged.append(requirement_id)
        return state.results[requirement_id], runs

    def result(self) -> RunResult | None:
        """The run so far as a report record: only the requirements judged (None when none was)."""
        state, target = self._state, self._target
        if state is None or target is None or not self.judged:
            return None
        for spec in state.plan.checks:
            if spec.name not in self._checks_run:
                state.check_runs.append(
                    CheckRun(spec.name, 0.0, "not_run: no selected item needed it", spec.requirements)
                )
        for name, why in state.plan.not_run.items():
            state.check_runs.append(CheckRun(name, 0.0, f"not_run: {why}", self.registry[name].requirements))
        state.results = {req_id: state.results[req_id] for req_id in self.judged}
        return state.result(target, self.registry, self._started, self._started_at)
