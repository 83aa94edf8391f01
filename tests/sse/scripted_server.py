"""A scripted HTTP streaming server for tests: plays byte chunks with delays, or drops the connection.

Used by the SSE reader's own tests (fixture ``sse_server`` in ``tests/sse/conftest.py``) and usable by any
test that needs a misbehaving streaming server::

    with serve_in_thread() as server:
        url = server.route([b"data: a\\n\\n", 0.5, b"data: b\\n\\n", ABORT])

A script is a list of steps: ``bytes`` are sent as one body chunk (flushed at once), a number sleeps that
many seconds (cut short when the client disconnects), :data:`ABORT` drops the connection mid-body (the
client sees an incomplete chunked body). After the last step the body ends cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import uvicorn

__all__ = ["ABORT", "Script", "ScriptedServer", "Step", "serve_in_thread"]


class _Abort:
    def __repr__(self) -> str:
        return "ABORT"


ABORT: Final = _Abort()
"""Script step: drop the connection without finishing the body."""

Step = bytes | float | _Abort


@dataclass
class Script:
    steps: Sequence[Step]
    status: int = 200
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    disconnected: threading.Event = field(default_factory=threading.Event)
    """Set when the server saw the client go away before the script ended."""


class ScriptedServer:
    """The ASGI app plus the registry of scripts; ``base_url`` is set once the server listens."""

    def __init__(self) -> None:
        self.base_url = ""
        self._scripts: dict[str, Script] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def route(
        self,
        steps: Sequence[Step],
        *,
        status: int = 200,
        content_type: str = "text/event-stream",
        headers: dict[str, str] | None = None,
    ) -> str:
        """Register a script; return the absolute URL that plays it."""
        hdrs = [(b"content-type", content_type.encode()), (b"cache-control", b"no-store")]
        hdrs += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        with self._lock:
            path = f"/script/{next(self._ids)}"
            self._scripts[path] = Script(list(steps), status, hdrs)
        return self.base_url + path

    def script_for(self, url: str) -> Script:
        return self._scripts[url.removeprefix(self.base_url)]

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        script = self._scripts.get(scope["path"])
        if script is None:
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b"no such script", "more_body": False})
            return
        gone = asyncio.Event()

        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    gone.set()
                    return

        watcher = asyncio.create_task(watch())
        try:
            await send({"type": "http.response.start", "status": script.status, "headers": script.headers})
            for step in script.steps:
                if isinstance(step, _Abort):
                    raise ConnectionAbortedError("scripted abort")
                if isinstance(step, bytes):
                    await send({"type": "http.response.body", "body": step, "more_body": True})
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(gone.wait(), step)
                if gone.is_set():
                    script.disconnected.set()
                    return
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            watcher.cancel()


@contextlib.contextmanager
def serve_in_thread(host: str = "127.0.0.1", start_timeout: float = 10.0) -> Iterator[ScriptedServer]:
    """Run a :class:`ScriptedServer` with uvicorn on a free port of ``host`` in a daemon thread."""
    app = ScriptedServer()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        http="h11",
        lifespan="off",
        log_config=None,
        log_level="critical",
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="scripted-server"
    )
    thread.start()
    try:
        deadline = time.monotonic() + start_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the scripted server did not start")
            time.sleep(0.01)
        app.base_url = f"http://{host}:{port}"
        yield app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
