"""Admission over real HTTP: priorities, both queue policies, Retry-After, deadlines, bursts."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.reference.conftest import RunningServer
from tests.reference.core.native_client import read_stream, submit, task_body

ONE_SLOT = {"machine_profiles": {"l4": 1}, "slots_per_worker": 1, "tokens_per_s": 20}


def _assert_retry_after_agrees(response: httpx.Response) -> None:
    body = response.json()
    assert body["retriable"] is True
    assert body["retry_after_ms"] >= 0
    assert int(response.headers["retry-after"]) == max(1, math.ceil(body["retry_after_ms"] / 1000))


def test_interactive_starts_before_queued_batch(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(**ONE_SLOT)
    with server.client() as client:
        _, running = submit(client, max_tokens=48)
        _, batch_1 = submit(client, priority="batch")
        _, batch_2 = submit(client, priority="batch")
        response, interactive = submit(client, priority="interactive")
        assert response.json()["queue_position"] == 0
        client.post(f"/v1/tasks/{running}/cancel")
        assert client.get(f"/v1/tasks/{interactive}").json()["state"] == "running"
        assert client.get(f"/v1/tasks/{batch_1}").json()["state"] == "queued"
        assert client.get(f"/v1/tasks/{batch_2}").json()["queue_position"] == 1
        for task_id in (interactive, batch_1, batch_2):
            client.post(f"/v1/tasks/{task_id}/cancel")


def test_reject_policy_answers_429_with_agreeing_retry_after(
    start_reference: Callable[..., RunningServer],
) -> None:
    server = start_reference(queue_capacity=2, admission_policy="reject", **ONE_SLOT)
    with server.client() as client:
        ids = [submit(client)[1] for _ in range(3)]
        refused, _ = submit(client)
        assert refused.status_code == 429
        body = refused.json()
        assert body["code"] == "ADMISSION_REJECT" and body["policy_label"] == "reject"
        _assert_retry_after_agrees(refused)
        assert client.get("/v1/capacity").json()["queued_tasks"] == 2
        for task_id in ids:
            client.post(f"/v1/tasks/{task_id}/cancel")


def test_drop_lru_drops_the_oldest_batch_task_with_an_error_event(
    start_reference: Callable[..., RunningServer],
) -> None:
    server = start_reference(queue_capacity=2, admission_policy="drop_lru", **ONE_SLOT)
    with server.client() as client:
        _, running = submit(client, max_tokens=48)
        _, oldest = submit(client, priority="batch")
        _, newer = submit(client, priority="batch")
        admitted, newest = submit(client, priority="batch")
        assert admitted.status_code == 202
        dropped = read_stream(client, oldest)
        assert dropped.names()[-1] == "error"
        error = dropped.of("error")[0]
        assert error["code"] == "QUEUE_FULL_DROP_LRU" and error["policy_label"] == "drop_lru"
        assert error["retriable"] is True
        assert client.get(f"/v1/tasks/{oldest}").json()["state"] == "failed"
        assert client.get(f"/v1/tasks/{newer}").json()["state"] == "queued"
        _, i1 = submit(client, priority="interactive")
        _, i2 = submit(client, priority="interactive")
        # The queue now holds only interactive tasks (the batch ones were dropped): nothing to drop.
        refused, _ = submit(client, priority="interactive")
        assert refused.status_code == 429
        assert (
            refused.json()["code"] == "QUEUE_FULL_DROP_LRU" and refused.json()["policy_label"] == "drop_lru"
        )
        _assert_retry_after_agrees(refused)
        for task_id in (running, newer, newest, i1, i2):
            client.post(f"/v1/tasks/{task_id}/cancel")


def test_deadline_that_cannot_be_met_is_504_before_any_stream(
    start_reference: Callable[..., RunningServer],
) -> None:
    server = start_reference(**ONE_SLOT)
    with server.client() as client:
        _, running = submit(client, max_tokens=48)
        _, queued = submit(client, max_tokens=48)
        refused, task_id = submit(client, deadline_ms=50)
        assert refused.status_code == 504
        body = refused.json()
        assert (
            body["code"] == "DEADLINE_UNMET"
            and "retriable" not in body
            and "retry-after" not in refused.headers
        )
        assert client.get(f"/v1/tasks/{task_id}").status_code == 404
        for other in (running, queued):
            client.post(f"/v1/tasks/{other}/cancel")


def test_running_task_past_its_deadline_ends_with_deadline_error(
    start_reference: Callable[..., RunningServer],
) -> None:
    server = start_reference(tokens_per_s=20)
    with server.client() as client:
        submitted_at = time.monotonic()
        _, task_id = submit(client, max_tokens=48, deadline_ms=400)
        result = read_stream(client, task_id)
        assert result.names()[-1] == "error" and result.names().count("end") == 0
        assert result.of("error")[0]["code"] == "DEADLINE_UNMET"
        late_by = result.events[-1].t - submitted_at - 0.4
        assert late_by < 0.25, f"deadline error {late_by * 1000:.0f} ms after the deadline"
        assert client.get(f"/v1/tasks/{task_id}").json()["state"] == "failed"
        assert client.get("/v1/capacity").json()["active_tasks"] == 0


def test_burst_every_admitted_stream_ends_once_and_refusals_are_documented(
    start_reference: Callable[..., RunningServer],
) -> None:
    capacity = 4
    server = start_reference(
        queue_capacity=capacity, machine_profiles={"l4": 1}, slots_per_worker=2, tokens_per_s=100
    )

    def one(n: int) -> dict[str, Any]:
        with server.client() as client:
            body = task_body(priority="batch" if n % 2 else "interactive", max_tokens=8)
            response = client.post("/v1/tasks", json=body)
            if response.status_code != 202:
                return {"status": response.status_code, "body": response.json(), "headers": response.headers}
            return {"status": 202, "stream": read_stream(client, body["task_id"])}

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(one, range(10 * capacity)))
    admitted = [o for o in outcomes if o["status"] == 202]
    refused = [o for o in outcomes if o["status"] != 202]
    assert admitted, "nothing was admitted"
    dropped = [o for o in admitted if o["stream"].names()[-1] == "error"]
    assert refused or dropped, "a burst of 10x the queue capacity met no backpressure"
    for outcome in admitted:
        names = outcome["stream"].names()
        assert names[0] == "started"
        assert names.count("end") + names.count("error") == 1 and names[-1] in ("end", "error")
        if names[-1] == "error":
            assert outcome["stream"].of("error")[0]["code"] == "QUEUE_FULL_DROP_LRU"
    for outcome in refused:
        assert outcome["status"] == 429
        assert outcome["body"]["code"] in ("ADMISSION_REJECT", "QUEUE_FULL_DROP_LRU")
        assert outcome["body"]["policy_label"]
        _assert_retry_after_agrees(
            httpx.Response(429, json=outcome["body"], headers=dict(outcome["headers"]))
        )
    with server.client() as client:
        capacity_now = client.get("/v1/capacity").json()
        assert capacity_now["active_tasks"] == 0 and capacity_now["queued_tasks"] == 0
