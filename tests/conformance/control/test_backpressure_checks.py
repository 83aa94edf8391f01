"""Backpressure checks: bounded bursts against the fake's queue of 8, and each overload rule broken once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from llmgw_conformance.checks import backpressure
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import RunCheck, outcomes

CHECKS: list[tuple[Callable[[Any], None], list[str]]] = [
    (backpressure.backpressure_burst, backpressure.BURST_REQS),
    (backpressure.task_priority, ["TASK-PRIORITY"]),
    (backpressure.admission_estimates, ["BP-ESTIMATES"]),
    (backpressure.deadline_unmet, ["DL-UNMET-REJECT"]),
]

BROKEN: list[tuple[Callable[[Any], None], str, str]] = [
    (backpressure.backpressure_burst, "no-retry-after", "ERR-RETRY-AFTER"),
    (backpressure.backpressure_burst, "no-policy-label", "ERR-POLICY-LABEL"),
    (backpressure.backpressure_burst, "no-policy-label", "BP-DROP-LRU-EVENT"),
    (backpressure.backpressure_burst, "unbounded", "BP-QUEUE-BOUNDED"),
    (backpressure.backpressure_burst, "two-terminals", "BP-BURST-NO-LOSS"),
    (backpressure.task_priority, "priority-ignored", "TASK-PRIORITY"),
    (backpressure.admission_estimates, "estimate-lie", "BP-ESTIMATES"),
    (backpressure.deadline_unmet, "deadline-ignored", "DL-UNMET-REJECT"),
]


@pytest.mark.parametrize(("function", "requirements"), CHECKS, ids=[f.__name__ for f, _ in CHECKS])
def test_check_passes_on_a_correct_gateway(
    run_check: RunCheck, function: Any, requirements: list[str]
) -> None:
    assert outcomes(run_check(function)) == {req: Outcome.PASSED for req in requirements}


@pytest.mark.parametrize(("function", "fault", "requirement"), BROKEN, ids=[f"{f}-{r}" for _, f, r in BROKEN])
def test_check_fails_on_a_broken_gateway(
    run_check: RunCheck, function: Any, fault: str, requirement: str
) -> None:
    findings = run_check(function, faults={fault})
    assert outcomes(findings)[requirement] == Outcome.FAILED


@pytest.mark.parametrize(("capacity", "size"), [(4, 20), (None, 56), (1000, backpressure.MAX_BURST)])
def test_burst_is_sized_from_the_queue_capacity_and_capped(capacity: int | None, size: int) -> None:
    class Target:
        capabilities = {"limits": {"queue_capacity": capacity}} if capacity is not None else {}
        limits: dict[str, int] = {}  # no target description either

    class Context:
        target = Target()

    assert backpressure.burst_size(Context()) == size  # type: ignore[arg-type]
