"""Pool and placement checks (control-admin): pass on the correct fake, fail on each broken one."""

from __future__ import annotations

from typing import Any

import pytest

from llmgw_conformance.checks import pools
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_app import make_app
from tests.conformance.control.control_fake_server import RunCheck, outcomes, start_server
from tests.conformance.control.control_fake_state import API_KEY

BROKEN: list[tuple[Any, str, str]] = [
    (pools.pools, "pool-put-200", "POOL-CRUD"),
    (pools.pools, "caps-exceeded", "POOL-CAPS-ENFORCED"),
    (pools.pools, "ready-lie", "POOL-READY-MEANS-GPUS"),
    (pools.pools, "delete-keeps", "POOL-DELETE"),
    (pools.pools, "pin-ignored", "PLACE-PIN-UNKNOWN"),
    (pools.pools, "pin-ignored", "PLACE-PIN-UNREADY"),
    (pools.pools, "avoid-ignored", "PLACE-AVOID"),
    (pools.pools, "prefer-ignored", "PLACE-PREFER"),
]


def test_pools_pass_on_a_correct_gateway(run_check: RunCheck) -> None:
    assert outcomes(run_check(pools.pools)) == {
        req: Outcome.PASSED for req in pools.POOL_REQS + pools.PLACE_REQS
    }


@pytest.mark.parametrize(("function", "fault", "requirement"), BROKEN, ids=[f"{f}-{r}" for _, f, r in BROKEN])
def test_check_fails_on_a_broken_gateway(
    run_check: RunCheck, function: Any, fault: str, requirement: str
) -> None:
    findings = run_check(function, faults={fault})
    assert outcomes(findings)[requirement] == Outcome.FAILED
    assert all(f.message for f in findings if f.requirement_id == requirement)


def test_pools_the_suite_creates_are_prefixed_and_deleted() -> None:
    app = make_app()
    server, thread, url = start_server(app)
    try:
        ctx, findings = make_context(url, API_KEY, "pools", SuiteOptions(seed=7))
        pools.pools(ctx)
        created = [e.url for f in findings for e in f.exchanges if "/v1/pools/" in e.url]
        assert created and all("/v1/pools/conf-7-pool-" in u for u in created)
        assert app.state.gateway.pools == {}
    finally:
        server.should_exit = True
        thread.join(timeout=5)
