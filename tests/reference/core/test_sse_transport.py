"""The SSE transport over real HTTP: headers before generation, heartbeats while queued."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from llmgw_conformance.sse import parse_bytes
from tests.reference.conftest import RunningServer
from tests.reference.core.native_client import submit


def test_headers_are_sent_before_the_first_token(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(ttft_ms=1500)
    with server.client() as client:
        _, task_id = submit(client, max_tokens=2)
        started = time.monotonic()
        with client.stream("GET", f"/v1/tasks/{task_id}/events") as response:
            headers_after = time.monotonic() - started
            assert response.headers["content-type"].startswith("text/event-stream")
            body = response.read()
            done_after = time.monotonic() - started
    assert headers_after < 0.5, f"headers after {headers_after:.2f} s"
    assert done_after > 1.0
    assert b"event: end" in body


def test_heartbeats_keep_a_queued_stream_alive(start_reference: Callable[..., RunningServer]) -> None:
    heartbeat_ms = 200
    server = start_reference(
        heartbeat_ms=heartbeat_ms, machine_profiles={"l4": 1}, slots_per_worker=1, tokens_per_s=5
    )
    with server.client() as client:
        _, running = submit(client, max_tokens=4)
        _, queued = submit(client, max_tokens=1)
        chunks: list[tuple[float, bytes]] = []
        with client.stream("GET", f"/v1/tasks/{queued}/events") as response:
            for chunk in response.iter_raw():
                chunks.append((time.monotonic(), chunk))
        client.post(f"/v1/tasks/{running}/cancel")
    times = [t for t, _ in chunks]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    transcript = parse_bytes(b"".join(c for _, c in chunks))
    assert transcript.comments, "no heartbeat comment while queued"
    names = [e.event for e in transcript.events]
    assert names[0] == "started" and names[-1] == "end"
    assert max(gaps) < heartbeat_ms / 1000, f"largest gap {max(gaps) * 1000:.0f} ms"
