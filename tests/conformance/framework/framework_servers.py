"""Small real servers for the framework tests: a Starlette app on 127.0.0.1, a free port, a thread.

Why real servers: the framework's job is bounded, recorded HTTP; only a real socket shows the
timeouts, the redaction of what was actually sent, and the curl lines that replay it.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

#: ``serve_app(app)`` -> base URL (the fixture in conftest.py).
ServeApp = Callable[[Any], str]

CAPABILITIES = {
    "api_version": "1.0",
    "engines": [{"engine": "vllm", "ctx_max": 4096}],
    "profiles": ["control", "tasks", "openai-chat"],
    "features": ["cancel"],
}


def start_server(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
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


def gateway_app(*, echo_key: bool = False, profiles: list[str] | None = None) -> Starlette:
    """A tiny native-looking gateway: capabilities, models, a chat stream, an echo endpoint."""

    async def capabilities(request: Request) -> Response:
        return JSONResponse({**CAPABILITIES, "profiles": profiles or CAPABILITIES["profiles"]})

    async def models(request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "tiny", "object": "model"}]})

    async def catalog(request: Request) -> Response:
        data = [
            {"id": "tiny", "digest": "sha256:" + "0" * 64, "workloads": ["completion"]},
            {"id": "emb", "digest": "sha256:" + "1" * 64, "workloads": ["embedding"]},
            {"id": "old", "digest": "sha256:" + "2" * 64, "workloads": ["rerank"], "state": "Retired"},
        ]
        return JSONResponse({"data": data, "has_more": False, "next_cursor": None})

    async def chat(request: Request) -> Response:
        body = await request.json()

        async def events() -> Any:
            yield b'data: {"id":"c1","object":"chat.completion.chunk"}\n\n'
            yield b"data: [DONE]\n\n"

        if body.get("stream"):
            return StreamingResponse(events(), media_type="text/event-stream")
        return JSONResponse({"echo": body})

    async def echo(request: Request) -> Response:
        auth = request.headers.get("authorization", "")
        extra = {k: v for k, v in request.headers.items() if k.startswith("x-")}
        return JSONResponse({"you_sent": auth if echo_key else "hidden", "extra_headers": extra})

    return Starlette(
        routes=[
            Route("/v1/capabilities", capabilities),
            Route("/v1/models", models),
            Route("/v1/catalog/models", catalog),
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/echo", echo, methods=["GET", "POST"]),
        ]
    )
