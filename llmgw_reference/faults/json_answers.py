"""The `json_answer` hook's call site: an ASGI middleware that lets faults rewrite JSON answers.

Why a middleware: JSON answers are built in many handlers (control plane, surfaces, tasks);
rewriting them at one place keeps handlers free of fault flags. It is only installed when some
fault is active (`create_app`), so a normal server never buffers or re-encodes a body.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from llmgw_reference.faults.base import FaultSet


class JsonAnswerFaults:
    """Buffers every `application/json` answer and passes it through `FaultSet.json_answer`."""

    def __init__(self, app: ASGIApp, faults: FaultSet) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = {k.lower(): v for k, v in message.get("headers", [])}
                if headers.get(b"content-type", b"").startswith(b"application/json"):
                    start = message
                    return
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_rewritten(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, buffered_send)

    async def _send_rewritten(self, scope: Scope, start: Message, body: bytes, send: Send) -> None:
        status = int(start["status"])
        try:
            value: Any = json.loads(body)
        except ValueError:
            value = None
        if isinstance(value, dict):
            query = scope.get("query_string", b"").decode("latin-1")
            status, value = self.faults.json_answer(scope["method"], scope["path"], query, status, value)
            body = json.dumps(value).encode()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
