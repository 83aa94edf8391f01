"""Fixtures for the SSE reader tests; reusable by any test that needs a scripted streaming server.

``sse_server`` is a session-wide uvicorn server on 127.0.0.1 (a free port) in a background thread; see
:mod:`tests.sse.scripted_server` for the script format::

    def test_x(sse_server: ScriptedServer) -> None:
        url = sse_server.route([b"data: a\\n\\n", 5.0, ABORT])
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sse.scripted_server import ScriptedServer, serve_in_thread


@pytest.fixture(scope="session")
def sse_server() -> Iterator[ScriptedServer]:
    """A scripted streaming server on a free 127.0.0.1 port, alive for the whole test session."""
    with serve_in_thread() as server:
        yield server
