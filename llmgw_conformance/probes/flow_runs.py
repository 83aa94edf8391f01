"""The machinery of the control-admin flow checks: a bounded, seeded hypothesis state machine run whose
invariants report through the check's :class:`~llmgw_conformance.probes.verdicts.Verdicts`.

Why here and not in the check module: :mod:`llmgw_conformance.checks.flows` holds the rules (the
machines of the catalog, pool and session flows); how a machine is run, bounded, shrunk and turned
into verdicts is the same for all three.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ParamSpec

from hypothesis import HealthCheck, Phase, Verbosity, seed, settings
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.catalog_calls import set_state
from llmgw_conformance.probes.verdicts import Verdicts

P = ParamSpec("P")

#: Wall-clock budget of one flow check (all examples and shrinking).
FLOW_BUDGET_S = 15.0
STEPS = 8


class FlowViolation(AssertionError):
    """An invariant broke; hypothesis shrinks the sequence that led to it."""


@dataclass
class FlowRun:
    """What one flow check shares across hypothesis examples: its verdicts, the broken invariants with
    their shortest sequence, the current steps, cleanup lists."""

    ctx: CheckContext
    verdicts: Verdicts
    started: float = field(default_factory=time.monotonic)
    steps: list[str] = field(default_factory=list)
    found: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    created: dict[str, set[str]] = field(
        default_factory=lambda: {"models": set(), "pools": set(), "sessions": set()}
    )

    def over_budget(self) -> bool:
        return time.monotonic() - self.started > FLOW_BUDGET_S

    def in_budget(self, step: Callable[P, None]) -> Callable[P, None]:
        """``step`` (a rule or invariant of a machine) made to do nothing once the budget is spent:
        hypothesis goes on calling the machine's steps, the target is no longer asked anything."""

        @functools.wraps(step)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
            if not self.over_budget():
                step(*args, **kwargs)

        return guarded

    def step(self, text: str) -> None:
        self.steps.append(text)

    def remove_created(self) -> None:
        """Leave the target as the run found it: retire its models, delete its pools and sessions
        (the contract has no catalog delete)."""
        for model_id in self.created["models"]:
            set_state(self.ctx, model_id, "Retired")
        for kind in ("pools", "sessions"):
            self.delete(kind, self.created[kind])

    def delete(self, kind: str, ids: Iterable[str]) -> None:
        """DELETE /v1/{kind}/{id} for each of ``ids`` (``kind`` "pools" or "sessions")."""
        for resource_id in ids:
            self.ctx.request("DELETE", f"/v1/{kind}/{resource_id}")

    def expect(self, requirement: str, ok: bool, message: str) -> None:
        """Record an invariant's verdict; a broken one stops the sequence (and is shrunk).

        A held invariant is an observation of its :class:`Verdicts`; a broken one is kept here until
        the run ends, since shrinking replays the sequence and only the shortest failing one is
        reported (with its steps as the shrunk request)."""
        if ok:
            self.verdicts.observed(requirement)
        else:
            # Keep the shortest non-empty sequence seen (shrinking only shortens; a step-less
            # failure comes from state an earlier example left and explains nothing).
            previous = self.found.get(requirement)
            if previous is None or (self.steps and (not previous[1] or len(self.steps) <= len(previous[1]))):
                self.found[requirement] = (message, list(self.steps))
            raise FlowViolation(f"{requirement}: {message}")


def run_flow(run: FlowRun, machine: type[RuleBasedStateMachine], requirements: list[str]) -> None:
    """Run ``machine`` (bounded, seeded) and record one verdict per requirement in ``run.verdicts``:
    the shortest failing sequence of a broken invariant, else the invariants' observations."""
    verdicts = run.verdicts
    examples = max(2, min(run.ctx.options.examples, 6))
    try:
        run_state_machine_as_test(
            seed(run.ctx.options.seed)(machine),
            settings=settings(
                verbosity=Verbosity.quiet,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                max_examples=examples,
                stateful_step_count=STEPS,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
            ),
        )
    except FlowViolation:
        pass  # recorded in run.found, with the shrunk sequence of the last (smallest) replay
    except Exception as exc:  # flaky replays when the budget cut shrinking short: keep what was found
        if not run.found:
            for req in requirements:
                verdicts.skip(req, f"the state machine stopped early: {type(exc).__name__}: {str(exc)[:200]}")
    for req in requirements:
        if req in run.found:
            message, steps = run.found[req]
            sequence = "\n".join(f"  {i + 1}. {s}" for i, s in enumerate(steps))
            verdicts.fail(
                req,
                f"{message}\nShrunk sequence:\n{sequence}",
                expected="the invariant holds after each step",
                received=message,
                shrunk_request="\n".join(steps),
            )
        elif run.found:
            verdicts.skip(
                req,
                f"no sequence reached this rule: they stopped at the {', '.join(sorted(run.found))} "
                "failure first (the single-probe checks still judge it)",
            )


def run_flow_check(
    ctx: CheckContext,
    requirements: list[str],
    build: Callable[[FlowRun], type[RuleBasedStateMachine]],
    *,
    unrunnable: str | None = None,
) -> None:
    """One flow check from start to end: its verdicts on ``requirements``, the machine ``build``
    makes for the run, run by :func:`run_flow`, and everything the run created removed after.

    ``unrunnable``: why the target cannot hold this flow (each requirement is skipped with it).
    """
    with Verdicts(ctx, requirements) as verdicts:
        if unrunnable is not None:
            for req in requirements:
                verdicts.skip(req, unrunnable)
            return
        run = FlowRun(ctx, verdicts)
        try:
            run_flow(run, build(run), requirements)
        finally:
            run.remove_created()


def machine_base(run: FlowRun, setup: Callable[[Any], None]) -> Any:
    """Base class of the machines: each example starts with a fresh step list and a clean target.

    ``setup`` resets the model and removes what an earlier example left on the target, so that
    every example's invariants compare the target with that example's own model only.
    """

    class Base(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            run.steps = []
            self.deleted: set[str] = set()
            if not run.over_budget():
                setup(self)

    return Base


def resource_machine_base(run: FlowRun, kind: str, ids: list[str]) -> Any:
    """Base class of a machine over the suite's ``kind`` resources ``ids`` ("pools" or "sessions"):
    each example starts with an empty model (the machine's attribute ``kind``) and none of them on
    the target; all of them are removed when the run ends, whatever it did."""
    run.created[kind].update(ids)

    def reset(machine: Any) -> None:
        setattr(machine, kind, {})
        run.delete(kind, ids)

    return machine_base(run, reset)
