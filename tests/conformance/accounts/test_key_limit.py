"""KEY-LIMIT beyond pass and fail: the check fills from the keys the account already holds, leaves
the account as it found it (every key it made revoked), and skips a limit too large to fill.

Why reference servers with chosen limits: the module of test_accounts_checks.py judges the default
limit (10) and the off-by-one fault; a limit of 3 with one key held beforehand shows the check
counts what is there, and a limit of 60 shows the bound, on the real reference over HTTP.
"""

from __future__ import annotations

from typing import Any

from llmgw_conformance.checks import accounts_keys
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Finding, Outcome
from tests.reference.conftest import DEV_KEY, RunningServer, start_server


def _judge(server: RunningServer) -> list[Finding]:
    ctx, findings = make_context(server.url, DEV_KEY, "key_limit", SuiteOptions(profiles=("accounts-keys",)))
    try:
        accounts_keys.key_limit(ctx)
    finally:
        ctx.close()
    return [f for f in findings if f.requirement_id == "KEY-LIMIT"]


def _keys(server: RunningServer) -> list[dict[str, Any]]:
    with server.client() as client:
        answer = client.get("/v1/keys")
    assert answer.status_code == 200
    data: list[dict[str, Any]] = answer.json()["data"]
    return data


def test_the_check_fills_from_held_keys_and_revokes_what_it_made() -> None:
    server = start_server(max_api_keys=3)
    try:
        with server.client() as client:
            kept = client.post("/v1/keys", json={"label": "held before the check"}).json()
        findings = _judge(server)
        keys = _keys(server)
    finally:
        server.stop()
    assert [f.outcome for f in findings] == [Outcome.PASSED]
    assert [k["id"] for k in keys if k["status"] == "ACTIVE"] == [kept["id"]]
    assert sorted(k["status"] for k in keys) == ["ACTIVE", "REVOKED", "REVOKED"]


def test_a_limit_above_the_bound_is_skipped_with_its_reason_and_creates_nothing() -> None:
    server = start_server(max_api_keys=accounts_keys.MAX_KEYS_FILLED + 10)
    try:
        findings = _judge(server)
        keys = _keys(server)
    finally:
        server.stop()
    assert [f.outcome for f in findings] == [Outcome.SKIPPED]
    assert "max_api_keys 60" in findings[0].message
    assert keys == []
