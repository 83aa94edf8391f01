"""control-admin state machines: clean on the correct fake, a shrunk failing sequence on a broken one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from llmgw_conformance.checks import flows
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import RunCheck, outcomes

FAST = {"examples": 3}


@pytest.mark.parametrize(
    ("function", "requirements"),
    [
        (flows.flow_sessions, ["SESS-TURNS", "SESS-BUDGET-DECREASE", "SESS-END"]),
        pytest.param(
            flows.flow_catalog, ["CAT-STATE-TRANSITION", "CAT-REGISTER-DIGEST"], marks=pytest.mark.slow
        ),
        pytest.param(
            flows.flow_pools, ["POOL-CRUD", "POOL-CAPS-ENFORCED", "POOL-DELETE"], marks=pytest.mark.slow
        ),
    ],
    ids=["sessions", "catalog", "pools"],
)
def test_flow_is_clean_on_a_correct_gateway(
    run_check: RunCheck, function: Any, requirements: list[str]
) -> None:
    assert outcomes(run_check(function, **FAST)) == {req: Outcome.PASSED for req in requirements}


BROKEN: list[Any] = [
    (flows.flow_sessions, "turns-stuck", "SESS-TURNS"),
    (flows.flow_catalog, "state-stuck", "CAT-STATE-TRANSITION"),
    (flows.flow_pools, "delete-keeps", "POOL-DELETE"),
    pytest.param(flows.flow_sessions, "budget-grows", "SESS-BUDGET-DECREASE", marks=pytest.mark.slow),
    pytest.param(flows.flow_pools, "caps-exceeded", "POOL-CAPS-ENFORCED", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("function", "fault", "requirement"), BROKEN)
def test_flow_reports_the_shrunk_sequence(
    run_check: RunCheck, function: Callable[[Any], None], fault: str, requirement: str
) -> None:
    findings = run_check(function, faults={fault}, **FAST)
    assert outcomes(findings)[requirement] == Outcome.FAILED
    failed = [f for f in findings if f.requirement_id == requirement and f.outcome == Outcome.FAILED]
    assert failed[0].shrunk_request and "Shrunk sequence:" in failed[0].message
