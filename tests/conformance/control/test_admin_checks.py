"""Catalog, provisioning and session checks (control-admin) on the correct and broken fakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from llmgw_conformance.checks import catalog, sessions
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import RunCheck, outcomes

CHECKS: list[tuple[Callable[[Any], None], list[str]]] = [
    (catalog.catalog_register, ["CAT-REGISTER-DIGEST", "CAT-UNTRUSTED", "CAT-REGISTER-IDEMPOTENT"]),
    (catalog.catalog_lifecycle, ["CAT-STATE-TRANSITION", "CAT-RETIRED-REJECTED"]),
    (catalog.provisioning, ["PROV-SIGNALS", "PROV-LOAD-FAILED"]),
    (sessions.sessions, sessions.SESSION_REQS),
    (sessions.session_kv_warmth, ["SESS-KV-WARMTH"]),
]

BROKEN: list[tuple[Callable[[Any], None], str, str]] = [
    (catalog.catalog_register, "wrong-digest-echo", "CAT-REGISTER-DIGEST"),
    (catalog.catalog_register, "digest-unchecked", "CAT-UNTRUSTED"),
    (catalog.catalog_register, "reregister-201", "CAT-REGISTER-IDEMPOTENT"),
    (catalog.catalog_lifecycle, "state-stuck", "CAT-STATE-TRANSITION"),
    (catalog.catalog_lifecycle, "retired-served", "CAT-RETIRED-REJECTED"),
    (catalog.provisioning, "no-retry-after", "PROV-SIGNALS"),
    (catalog.provisioning, "load-fail-500", "PROV-LOAD-FAILED"),
    (sessions.sessions, "turns-stuck", "SESS-TURNS"),
    (sessions.sessions, "budget-grows", "SESS-BUDGET-DECREASE"),
    (sessions.sessions, "budget-unenforced", "SESS-BUDGET-ENFORCED"),
    (sessions.sessions, "session-never-expires", "SESS-TTL-EXPIRES"),
    (sessions.sessions, "end-keeps", "SESS-END"),
    (sessions.session_kv_warmth, "kv-cold", "SESS-KV-WARMTH"),
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
    assert all(f.message for f in findings if f.requirement_id == requirement)
