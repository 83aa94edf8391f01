"""Server-sent events: the one place that encodes frames and sends a stream.

Why one place: content type, `Cache-Control: no-cache`, heartbeats (comments, so no gap exceeds
`heartbeat_ms`), prompt header flushing and client-disconnect detection are the same for the
native, chat and generate streams, and the fault mechanism hooks in here (frames, headers).

A client disconnect is noticed by a task that waits for `http.disconnect` while the frames are
pumped; it cancels the pump and closes the frame iterator at once, which is what lets the
runtime cancel the task and free its slot well inside the 100 ms cancel budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

if TYPE_CHECKING:
    from llmgw_reference.faults import FaultSet

SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
_END = object()


@dataclass(frozen=True)
class SSEFrame:
    """One SSE block: a named or unnamed event with data, or a comment."""

    data: str | None = None
    event: str | None = None
    comment: str | None = None

    def encode(self) -> bytes:
        """`event: NAME` (optional) and `data: ...` lines, or `: comment`, then a blank line."""
        lines: list[str] = []
        if self.comment is not None:
            lines.append(f": {self.comment}")
        if self.event is not None:
            lines.append(f"event: {self.event}")
        if self.data is not None:
            lines.extend(f"data: {line}" for line in self.data.split("\n"))
        return ("\n".join(lines) + "\n\n").encode("utf-8")


def json_data(payload: BaseModel | dict[str, Any]) -> str:
    """Compact JSON of a payload (pydantic models without None fields)."""
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json", exclude_none=True)
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def event_frame(name: str, payload: BaseModel | dict[str, Any]) -> SSEFrame:
    """A named event (`event: NAME`) with a JSON payload."""
    return SSEFrame(data=json_data(payload), event=name)


def data_frame(payload: BaseModel | dict[str, Any] | str) -> SSEFrame:
    """An unnamed event (`data:` only), as in OpenAI-style streams; a str is sent as is."""
    return SSEFrame(data=payload if isinstance(payload, str) else json_data(payload))


class SSEResponse(Response):
    """An ASGI response that streams frames with heartbeats and prompt disconnect handling.

    Use it for every stream (native, chat, generate): return it from a route like any Response.
    """

    def __init__(
        self,
        frames: AsyncIterator[SSEFrame],
        *,
        faults: FaultSet,
        heartbeat_ms: int,
        headers: dict[str, str] | None = None,
        on_close: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`on_close` always runs when the response ends, even if no frame was ever read."""
        self.frames = frames
        self.on_close = on_close
        self.faults = faults
        self.status_code = 200
        self.background = None
        self.heartbeat_s = max(0.01, heartbeat_ms / 1000 * 0.5)
        self.extra_headers = headers or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self._stream(scope, receive, send)
        finally:
            with contextlib.suppress(Exception):
                await self.frames.aclose()  # type: ignore[attr-defined]
            if self.on_close is not None:
                await self.on_close()

    async def _stream(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.faults.before_sse_headers()
        headers = self.faults.sse_headers(
            {"content-type": SSE_CONTENT_TYPE, "cache-control": "no-cache", "x-accel-buffering": "no"}
            | self.extra_headers
        )
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()],
            }
        )
        queue: asyncio.Queue[object] = asyncio.Queue(maxsize=64)
        stream = self.faults.sse_frames(self.frames)

        async def pump() -> None:
            try:
                async for frame in stream:
                    await queue.put(frame)
            finally:
                with contextlib.suppress(Exception):
                    queue.put_nowait(_END)

        async def watch_disconnect() -> None:
            while True:
                message: Message = await receive()
                if message["type"] == "http.disconnect":
                    return

        pump_task = asyncio.create_task(pump())
        watch_task = asyncio.create_task(watch_disconnect())
        disconnected = False
        try:
            disconnected = await self._write_frames(queue, watch_task, send)
        except OSError:
            disconnected = True
        finally:
            pump_task.cancel()
            watch_task.cancel()
            with contextlib.suppress(BaseException):
                await pump_task
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]
        if not disconnected:
            with contextlib.suppress(OSError):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _write_frames(
        self, queue: asyncio.Queue[object], watch_task: asyncio.Task[None], send: Send
    ) -> bool:
        """Writes the queued frames (heartbeats in the gaps) until the end; True if the client left first.

        With no fault active nothing observes single writes, so every frame ready at once goes out
        in one write (the profile of the gateway showed a write and an `asyncio.wait` per token);
        with a fault active, `before_sse_write` still sees one write per frame, as before.
        """
        batched = not self.faults.faults
        written = 0
        while True:
            if queue.empty():
                get_task = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait(
                    {get_task, watch_task}, timeout=self.heartbeat_s, return_when=asyncio.FIRST_COMPLETED
                )
                if watch_task in done:
                    get_task.cancel()
                    return True
                if get_task not in done:
                    get_task.cancel()
                    await self.faults.before_sse_write(written)
                    await send({"type": "http.response.body", "body": b": keep-alive\n\n", "more_body": True})
                    written += 1
                    continue
                items = [get_task.result()]
            elif watch_task.done():
                return True
            else:
                items = [queue.get_nowait()]
            while batched and items[-1] is not _END and not queue.empty():
                items.append(queue.get_nowait())
            frames = [item for item in items if isinstance(item, SSEFrame)]
            if batched and frames:
                body = b"".join(frame.encode() for frame in frames)
                await send({"type": "http.response.body", "body": body, "more_body": True})
                written += 1
            else:
                for frame in frames:
                    await self.faults.before_sse_write(written)
                    await send({"type": "http.response.body", "body": frame.encode(), "more_body": True})
                    written += 1
            if items[-1] is _END:
                return False
