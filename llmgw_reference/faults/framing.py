"""Faults that break the SSE framing rules shared by native, chat and generate streams."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from llmgw_reference.faults.base import fault
from llmgw_reference.faults.frame_rewrite import FrameRewrite, RawFrame, payload
from llmgw_reference.sse import SSEFrame

#: How long `sse-linger-after-end` keeps a finished stream open: the rule allows 1 s, so 1.5 s always
#: breaks it, and the kill matrix's row waits 1.5 s per stream instead of 3.
LINGER_S = 1.5


def _first_payload_frame(frame: SSEFrame, state: dict[str, Any]) -> bool:
    """True exactly once per stream: for its first frame with a JSON payload."""
    if state.get("seen") or payload(frame) is None:
        return False
    state["seen"] = True
    return True


@fault(
    "sse-unframed-json",
    breaks=["SSE-FRAMING-VALID"],
    description="Sends a bare JSON line (no `data:` field) between the first two events.",
)
class SSEUnframedJson(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if _first_payload_frame(frame, state):
            return [frame, RawFrame(raw=b'{"unframed": true}\n\n')]
        return [frame]


@fault(
    "sse-unknown-field",
    breaks=["SSE-NO-UNKNOWN-FIELDS"],
    description="Adds a non-standard `error:` field line to the first event, which parsers drop.",
)
class SSEUnknownField(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if _first_payload_frame(frame, state):
            return [RawFrame(raw=b'error: {"code":"INTERNAL"}\n' + frame.encode())]
        return [frame]


@fault(
    "sse-events-merged",
    breaks=["SSE-DATA-JSON"],
    description="Ends events with one CRLF instead of a blank line, so consecutive events merge.",
)
class SSEEventsMerged(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.data is None or frame.comment is not None or state.get("merged"):
            return [frame]
        state["merged"] = True
        return [RawFrame(raw=frame.encode().rstrip(b"\n") + b"\r\n")]


@fault(
    "sse-invalid-utf8",
    breaks=["SSE-FRAMING-VALID"],
    description="Sends a comment holding bytes that are not UTF-8 before the first event.",
)
class SSEInvalidUtf8(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if _first_payload_frame(frame, state):
            return [RawFrame(raw=b": \xff\xfe\xc3(\n\n"), frame]
        return [frame]


@fault(
    "sse-empty-data",
    breaks=["SSE-NO-EMPTY-DATA"],
    description="Sends an event with empty data after the first event.",
)
class SSEEmptyData(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if _first_payload_frame(frame, state):
            return [frame, RawFrame(raw=b"data:\n\n")]
        return [frame]


@fault(
    "sse-unterminated-last-event",
    breaks=["SSE-FRAMING-VALID"],
    description="Sends the last event of every stream without its closing blank line.",
)
class SSEUnterminatedLastEvent(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        held: SSEFrame | None = state.get("held")
        state["held"] = frame
        return [] if held is None else [held]

    def finish(self, state: dict[str, Any]) -> list[SSEFrame]:
        held: SSEFrame | None = state.get("held")
        return [] if held is None else [RawFrame(raw=held.encode().rstrip(b"\n"))]


@fault(
    "sse-linger-after-end",
    breaks=["SSE-STREAM-ENDS"],
    description=f"Keeps every stream open {LINGER_S:g} s after its last event.",
)
class SSELingerAfterEnd(FrameRewrite):
    async def _rewritten(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
        async for frame in frames:
            yield frame
        await asyncio.sleep(LINGER_S)
