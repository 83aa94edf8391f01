"""Sessions over real HTTP: implicit open, turns, KV warmth, budgets that only go down, TTL, end."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from tests.reference.conftest import RunningServer
from tests.reference.core.native_client import read_stream, submit


def test_tokens_budget_caps_generation_then_refuses(reference_server: RunningServer) -> None:
    session_id = str(uuid.uuid4())
    with reference_server.client() as client:
        opened = client.put(f"/v1/sessions/{session_id}", json={"tokens_budget": 6, "cost_budget": 5.0})
        assert opened.status_code == 201
        assert opened.json()["tokens_budget_remaining"] == 6
        _, task_id = submit(client, session_id=session_id, max_tokens=48)
        result = read_stream(client, task_id)
        end = result.of("end")[0]
        assert end["tokens_out"] <= 6 and end["finish_reason"] == "length"
        info = client.get(f"/v1/sessions/{session_id}").json()
        assert info["tokens_budget_remaining"] == 6 - end["tokens_out"] == 0
        assert info["cost_budget_remaining"] < 5.0
        refused, _ = submit(client, session_id=session_id)
        assert refused.status_code == 429
        body = refused.json()
        assert body["code"] == "ADMISSION_REJECT" and body["reason"] == "BUDGET_EXHAUSTED"
        assert (
            "retriable" not in body and "retry_after_ms" not in body and "retry-after" not in refused.headers
        )
        assert body["policy_label"]
        updated = client.put(f"/v1/sessions/{session_id}", json={"tokens_budget": 3})
        assert updated.status_code == 200 and updated.json()["tokens_budget_remaining"] == 3


def test_turns_and_kv_warmth(reference_server: RunningServer) -> None:
    session_id = str(uuid.uuid4())
    with reference_server.client() as client:
        _, first = submit(client, session_id=session_id, kv_hint="reuse", max_tokens=4)
        read_stream(client, first)
        info = client.get(f"/v1/sessions/{session_id}").json()
        assert info["turns"] == 1 and info["kv_warmth"] is True and info["kv_bytes"] > 0
        warm_bytes = info["kv_bytes"]
        _, second = submit(client, session_id=session_id, kv_hint="reuse", max_tokens=4)
        read_stream(client, second)
        info = client.get(f"/v1/sessions/{session_id}").json()
        assert info["turns"] == 2 and info["kv_bytes"] > warm_bytes
        _, third = submit(client, session_id=session_id, kv_hint="cold", max_tokens=4)
        read_stream(client, third)
        info = client.get(f"/v1/sessions/{session_id}").json()
        assert info["turns"] == 3 and info["kv_warmth"] is False and 0 < info["kv_bytes"] < warm_bytes * 2


def test_ttl_expiry_and_end(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference()
    with server.client() as client:
        short = str(uuid.uuid4())
        assert client.put(f"/v1/sessions/{short}", json={"ttl_ms": 150}).status_code == 201
        assert client.get(f"/v1/sessions/{short}").json()["ttl_ms_remaining"] <= 150
        time.sleep(0.25)
        assert client.get(f"/v1/sessions/{short}").status_code == 404
        ended = str(uuid.uuid4())
        client.put(f"/v1/sessions/{ended}", json={})
        assert client.delete(f"/v1/sessions/{ended}").status_code == 204
        assert client.get(f"/v1/sessions/{ended}").status_code == 404
        assert client.delete(f"/v1/sessions/{ended}").status_code == 404
        assert client.get("/v1/sessions/not-a-uuid").status_code == 400
        bad = client.put(f"/v1/sessions/{ended}", json={"tokens_budget": -1})
        assert bad.status_code == 400 and bad.json()["param"] == "tokens_budget"


def test_ending_a_session_cancels_its_running_task(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(tokens_per_s=20)
    session_id = str(uuid.uuid4())
    with server.client() as client:
        _, task_id = submit(client, session_id=session_id, max_tokens=48)
        assert client.get(f"/v1/sessions/{session_id}").json()["active_tasks"] == 1
        assert client.delete(f"/v1/sessions/{session_id}").status_code == 204
        assert client.get(f"/v1/tasks/{task_id}").json()["state"] == "cancelled"
        assert client.get("/v1/capacity").json()["active_tasks"] == 0
