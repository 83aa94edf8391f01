"""Fixtures of the plugin tests: a small fake gateway on a real socket (see framework_servers.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from tests.conformance.framework.framework_servers import ServeApp, start_server


@pytest.fixture
def serve_app() -> Iterator[ServeApp]:
    """``serve_app(app)`` starts ``app`` and returns its base URL; every server stops at teardown."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def serve(app: Any) -> str:
        server, thread, url = start_server(app)
        running.append((server, thread))
        return url

    yield serve
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=5)
