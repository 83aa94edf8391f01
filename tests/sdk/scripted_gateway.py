"""A tiny real HTTP server whose answers each test scripts, for behaviour the reference cannot be made
to show on demand (model loading twice, a dropped stream, a missing terminator).

One uvicorn server (127.0.0.1, free port, background thread) serves every test of the session; each
test gets its own :class:`ScriptedGateway` under a unique path prefix, used as the SDK's ``base_url``
(httpx joins ``/v1/...`` onto it), registers handlers for the paths it needs, and reads back how many
requests each path received and what the server saw (headers, disconnects).
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

Handler = Callable[[Request], Awaitable[Response]]


class DropConnection(Exception):
    """Raised inside a stream body to make the server cut the connection mid-body."""


@dataclass
class ScriptedGateway:
    """The handlers and observations of one test, under ``base_url``."""

    base_url: str
    handlers: dict[tuple[str, str], Handler] = field(default_factory=dict)
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    seen_headers: list[dict[str, str]] = field(default_factory=list)
    disconnected: threading.Event = field(default_factory=threading.Event)

    def on(self, method: str, path: str, handler: Handler) -> None:
        self.handlers[(method, path)] = handler

    def count(self, method: str, path: str) -> int:
        return self.hits[(method, path)]

    def sse(self, steps: Iterable[bytes | float | DropConnection], *, status: int = 200) -> StreamingResponse:
        """A stream that plays ``steps``: bytes are sent, numbers sleep, a DropConnection cuts the body.

        If the client goes away before the last step, :attr:`disconnected` is set.
        """
        gateway = self

        async def body() -> AsyncIterator[bytes]:
            finished = False
            try:
                for step in steps:
                    if isinstance(step, DropConnection):
                        raise step
                    if isinstance(step, float | int):
                        await asyncio.sleep(step)
                    else:
                        yield step
                finished = True
            finally:
                if not finished:
                    gateway.disconnected.set()

        return StreamingResponse(body(), status_code=status, media_type="text/event-stream")


def error_json(status: int, body: dict[str, object], retry_after: int | None = None) -> JSONResponse:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(body, status_code=status, headers=headers)


class ScriptedServer:
    """The shared server: dispatches ``/<prefix>/<path>`` to the gateway registered under ``prefix``."""

    def __init__(self) -> None:
        self.root_url = ""
        self._gateways: dict[str, ScriptedGateway] = {}
        self._ids = itertools.count()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def new_gateway(self) -> ScriptedGateway:
        prefix = f"g{next(self._ids)}"
        gateway = ScriptedGateway(base_url=f"{self.root_url}/{prefix}")
        self._gateways[prefix] = gateway
        return gateway

    async def _dispatch(self, request: Request) -> Response:
        prefix, _, rest = request.path_params["path"].partition("/")
        gateway = self._gateways.get(prefix)
        path = "/" + rest
        if gateway is None:
            return PlainTextResponse("no such test gateway", status_code=404)
        key = (request.method, path)
        gateway.hits[key] += 1
        gateway.seen_headers.append(dict(request.headers))
        handler = gateway.handlers.get(key)
        if handler is None:
            return PlainTextResponse(f"unscripted {request.method} {path}", status_code=418)
        return await handler(request)

    def start(self) -> None:
        app = Starlette(
            routes=[Route("/{path:path}", self._dispatch, methods=["GET", "POST", "PUT", "DELETE"])]
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("scripted server did not start within 10 s")
            time.sleep(0.02)
        self.root_url = f"http://127.0.0.1:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
