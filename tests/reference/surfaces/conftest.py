"""Fixtures of the surface tests, on top of the real-server fixtures of ``tests/reference/conftest.py``.

``read_stream`` reads a data-only SSE stream strictly enough for the surface tests (no ``event:``
field, nothing after ``[DONE]``, JSON on every data line): httpx-sse would hide those details.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from llmgw_generated.models.common import ErrorKind
from llmgw_reference.errors import ApiError

StreamReader = Callable[[httpx.Client, str, dict[str, Any]], "DataStream"]


@dataclass
class DataStream:
    """The events of one stream: JSON payloads in order, and what framing was seen."""

    status: int
    content_type: str
    payloads: list[dict[str, Any]] = field(default_factory=list)
    done_count: int = 0
    after_done: int = 0
    event_fields: list[str] = field(default_factory=list)
    body: bytes = b""


def read_data_stream(client: httpx.Client, path: str, body: dict[str, Any]) -> DataStream:
    """POST ``body`` and collect the stream's data events (the body too, when it is not a stream)."""
    with client.stream("POST", path, json=body) as response:
        raw = response.read()
    result = DataStream(response.status_code, response.headers.get("content-type", ""), body=raw)
    if not result.content_type.startswith("text/event-stream"):
        return result
    for block in raw.decode("utf-8").replace("\r\n", "\n").split("\n\n"):
        data_lines = []
        for line in block.split("\n"):
            if line.startswith("event:"):
                result.event_fields.append(line)
            elif line.startswith("data:"):
                data_lines.append(line[5:].removeprefix(" "))
        if not data_lines:
            continue
        data = "\n".join(data_lines)
        if result.done_count:
            result.after_done += 1
        if data == "[DONE]":
            result.done_count += 1
            continue
        result.payloads.append(json.loads(data))
    return result


@pytest.fixture
def api(reference_server: Any) -> Iterator[httpx.Client]:
    """An httpx client of the module's default reference server, with the dev key."""
    with reference_server.client(timeout=30.0) as client:
        yield client


@pytest.fixture
def read_stream() -> StreamReader:
    """``read_data_stream`` as a fixture (test modules cannot import each other here)."""
    return read_data_stream


def fail_running_task(server: Any, code: ErrorKind, *, timeout_s: float = 10.0) -> str:
    """Make the first task that has produced a token fail, as a worker failure would.

    The failure is scheduled on the server's own event loop (thread-safe), through the runtime's
    own failure path, so the surfaces see exactly what a real mid-generation failure produces.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        running = [r for r in list(server.runtime.tasks.values()) if r.tokens and not r.terminal]
        if running and running[0].runner is not None:
            record = running[0]
            error = ApiError(code, f"injected {code.value} for a test", status=502)

            def fail_if_running(record: Any = record, error: ApiError = error) -> None:
                if not record.terminal:  # checked on the loop: the task may have ended meanwhile
                    server.runtime.fail(record, error)

            record.runner.get_loop().call_soon_threadsafe(fail_if_running)
            return str(record.task_id)
        time.sleep(0.01)
    raise AssertionError("no task produced a token in time")


@pytest.fixture
def fail_task() -> Callable[..., str]:
    """``fail_running_task`` as a fixture."""
    return fail_running_task
