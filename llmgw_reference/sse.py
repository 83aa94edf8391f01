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
from typing import TYPE_CHECKING, Any, cast

from pydantic import BaseModel
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

if TYPE_CHECKING:
    from llmgw_reference.faults import FaultSet

SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"
_END = object()  # the frames ran out
_HEARTBEAT = object()  # nothing was written for `heartbeat_s`
_LEFT = object()  # the client disconnected


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


#: What a stream's iterator yields: a frame, or frames already encoded (whole SSE blocks, each
#: ending with a blank line), as a gateway forwards them from its worker without decoding them.
StreamItem = SSEFrame | bytes


def encoded(item: StreamItem) -> bytes:
    """The bytes of one stream item."""
    return item if isinstance(item, bytes) else item.encode()


class SSEResponse(Response):
    """An ASGI response that streams frames with heartbeats and prompt disconnect handling.

    Use it for every stream (native, chat, generate): return it from a route like any Response.
    """

    def __init__(
        self,
        frames: AsyncIterator[StreamItem],
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
        # Encoded items (bytes) come only where no fault is active (`Runtime.forwards_frames`), and
        # the faults' frame hooks are the identity then.
        stream = self.faults.sse_frames(cast("AsyncIterator[SSEFrame]", self.frames))

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
                    with contextlib.suppress(asyncio.QueueFull):  # a full queue: the writer checks the task
                        queue.put_nowait(_LEFT)
                    return

        pump_task = asyncio.create_task(pump())
        watch_task = asyncio.create_task(watch_disconnect())
        heartbeat = _HeartbeatTimer(queue, self.heartbeat_s)
        disconnected = False
        try:
            disconnected = await self._write_frames(queue, watch_task, heartbeat, send)
        except OSError:
            disconnected = True
        finally:
            heartbeat.stop()
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
        self,
        queue: asyncio.Queue[object],
        watch_task: asyncio.Task[None],
        heartbeat: _HeartbeatTimer,
        send: Send,
    ) -> bool:
        """Writes the queued frames and heartbeats until the end; True if the client left first.

        One `queue.get()` per wake-up and no timer per frame (the profile of the gateway showed a
        task, an `asyncio.wait` and a write per token). With no fault active nothing observes single
        writes, so every frame ready at once goes out in one write; with a fault active,
        `before_sse_write` still sees one write per frame and per heartbeat, as before.
        """
        batched = not self.faults.faults
        written = 0
        while True:
            items = [await queue.get()]
            while batched and items[-1] not in (_END, _LEFT) and not queue.empty():
                items.append(queue.get_nowait())
            if watch_task.done() or _LEFT in items:
                return True
            frames = [item for item in items if isinstance(item, (SSEFrame, bytes))]
            if batched and frames:
                body = b"".join(map(encoded, frames))
                await send({"type": "http.response.body", "body": body, "more_body": True})
                written += 1
            else:
                for item in items:
                    if item is _END:
                        break
                    await self.faults.before_sse_write(written)
                    body = encoded(item) if isinstance(item, (SSEFrame, bytes)) else b": keep-alive\n\n"
                    await send({"type": "http.response.body", "body": body, "more_body": True})
                    written += 1
            heartbeat.wrote()
            if items[-1] is _END:
                return False


class _HeartbeatTimer:
    """Queues a heartbeat once nothing was written for `interval_s`: one timer per interval, not per frame."""

    def __init__(self, queue: asyncio.Queue[object], interval_s: float) -> None:
        self.queue = queue
        self.interval_s = interval_s
        self.loop = asyncio.get_running_loop()
        self.last_write = self.loop.time()
        self.handle = self.loop.call_later(interval_s, self._tick)

    def wrote(self) -> None:
        self.last_write = self.loop.time()

    def stop(self) -> None:
        self.handle.cancel()

    def _tick(self) -> None:
        now = self.loop.time()
        due = self.last_write + self.interval_s
        if now >= due:
            if self.queue.empty():
                self.queue.put_nowait(_HEARTBEAT)
            self.last_write = now  # the heartbeat counts as a write for the next interval
            due = now + self.interval_s
        self.handle = self.loop.call_at(due, self._tick)
