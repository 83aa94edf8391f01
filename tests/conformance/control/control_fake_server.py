"""The S3 check tests' harness: the fake gateway on a real socket, and a fixture that runs one check on it.

Why real HTTP: the checks talk through the suite's live context (limits, recording, redaction);
only a real server on 127.0.0.1 shows that path end to end.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn

from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Finding, Outcome
from tests.conformance.control.control_fake_app import make_app
from tests.conformance.control.control_fake_state import API_KEY, READ_KEY

RunCheck = Callable[..., list[Finding]]


def start_server(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Start ``app`` with uvicorn on a free port of 127.0.0.1 in a thread; returns its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_config=None, log_level="critical", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.01)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture
def run_check() -> Iterator[RunCheck]:
    """``run_check(check_function, faults=..., **options)``: its findings against a fresh fake gateway."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def run(
        function: Callable[[Any], None],
        faults: set[str] | None = None,
        restricted: bool = True,
        **options: Any,
    ) -> list[Finding]:
        server, thread, url = start_server(make_app(faults))
        running.append((server, thread))
        opts = SuiteOptions(read_timeout_s=10.0, stream_budget_s=10.0, **options)
        ctx, findings = make_context(
            url, API_KEY, function.__name__, opts, restricted_api_key=READ_KEY if restricted else None
        )
        try:
            function(ctx)
        finally:
            close = getattr(ctx, "close", None)
            if callable(close):
                close()
        return findings

    yield run
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=5)


def outcomes(findings: list[Finding]) -> dict[str, Outcome]:
    """The most severe outcome per requirement (as the runner would merge them)."""
    order = [Outcome.PASSED, Outcome.NOT_SUPPORTED, Outcome.SKIPPED, Outcome.ERROR, Outcome.FAILED]
    out: dict[str, Outcome] = {}
    for f in findings:
        if f.requirement_id not in out or order.index(f.outcome) > order.index(out[f.requirement_id]):
            out[f.requirement_id] = f.outcome
    return out
