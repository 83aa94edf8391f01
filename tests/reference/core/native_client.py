"""A small native-task client for the reference core tests (real HTTP, strict SSE parsing)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from llmgw_conformance.sse import iter_events


def task_body(**overrides: Any) -> dict[str, Any]:
    """A valid completion TaskRequest; overrides replace fields (None removes one)."""
    body: dict[str, Any] = {
        "task_id": str(uuid.uuid4()),
        "session_id": str(uuid.uuid4()),
        "workload": "completion",
        "model_ref": "synth-small",
        "engine": "vllm",
        "ctx": 2048,
        "priority": "interactive",
        "prompt": "Tell me about the river and the stone.",
        "max_tokens": 16,
        "deadline_ms": 20000,
        "seed": 7,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def submit(client: httpx.Client, **overrides: Any) -> tuple[httpx.Response, str]:
    body = task_body(**overrides)
    return client.post("/v1/tasks", json=body), body["task_id"]


@dataclass
class StreamEvent:
    name: str
    data: dict[str, Any]
    t: float


@dataclass
class StreamResult:
    status: int
    headers: httpx.Headers
    events: list[StreamEvent]

    def names(self) -> list[str]:
        return [e.name for e in self.events]

    def of(self, name: str) -> list[dict[str, Any]]:
        return [e.data for e in self.events if e.name == name]


def read_stream(client: httpx.Client, task_id: str, stop_after_tokens: int | None = None) -> StreamResult:
    """Reads a task's native stream to its end (or closes it after `stop_after_tokens` tokens)."""
    events: list[StreamEvent] = []
    with client.stream("GET", f"/v1/tasks/{task_id}/events") as response:
        if response.status_code != 200:
            response.read()
            return StreamResult(response.status_code, response.headers, [])
        tokens = 0
        for event in iter_events(response):
            events.append(StreamEvent(event.event, json.loads(event.data), time.monotonic()))
            if event.event == "token":
                tokens += 1
                if stop_after_tokens is not None and tokens >= stop_after_tokens:
                    break
        return StreamResult(response.status_code, response.headers, events)


def wait_until(predicate: Any, timeout: float = 2.0, interval: float = 0.005) -> float:
    """Polls `predicate` until true; returns the seconds it took (raises AssertionError on timeout)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
