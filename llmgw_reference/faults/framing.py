"""Faults that break the SSE framing rules shared by native, chat and generate streams."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from llmgw_reference.faults.base import register_faults
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


class RawBytesAtFirstEvent(FrameRewrite):
    """Sends the raw bytes `inserted` before or after the stream's first event, or `inside` it (as
    lines ahead of its own): bytes `SSEFrame.encode` never writes, where every parser meets them."""

    inserted = b""
    placement = "after"

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if not _first_payload_frame(frame, state):
            return [frame]
        if self.placement == "inside":
            return [RawFrame(raw=self.inserted + frame.encode())]
        raw = RawFrame(raw=self.inserted)
        return [raw, frame] if self.placement == "before" else [frame, raw]


class SSEEventsMerged(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.data is None or frame.comment is not None or state.get("merged"):
            return [frame]
        state["merged"] = True
        return [RawFrame(raw=frame.encode().rstrip(b"\n") + b"\r\n")]


class SSEUnterminatedLastEvent(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        held: SSEFrame | None = state.get("held")
        state["held"] = frame
        return [] if held is None else [held]

    def finish(self, state: dict[str, Any]) -> list[SSEFrame]:
        held: SSEFrame | None = state.get("held")
        return [] if held is None else [RawFrame(raw=held.encode().rstrip(b"\n"))]


class SSELingerAfterEnd(FrameRewrite):
    async def _rewritten(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
        async for frame in frames:
            yield frame
        await asyncio.sleep(LINGER_S)


register_faults(
    (
        "sse-unframed-json",
        ["SSE-FRAMING-VALID"],
        "Sends a bare JSON line (no `data:` field) between the first two events.",
        RawBytesAtFirstEvent,
        {"inserted": b'{"unframed": true}\n\n'},
    ),
    (
        "sse-unknown-field",
        ["SSE-NO-UNKNOWN-FIELDS"],
        "Adds a non-standard `error:` field line to the first event, which parsers drop.",
        RawBytesAtFirstEvent,
        {"inserted": b'error: {"code":"INTERNAL"}\n', "placement": "inside"},
    ),
    (
        "sse-events-merged",
        ["SSE-DATA-JSON"],
        "Ends events with one CRLF instead of a blank line, so consecutive events merge.",
        SSEEventsMerged,
        {},
    ),
    (
        "sse-invalid-utf8",
        ["SSE-FRAMING-VALID"],
        "Sends a comment holding bytes that are not UTF-8 before the first event.",
        RawBytesAtFirstEvent,
        {"inserted": b": \xff\xfe\xc3(\n\n", "placement": "before"},
    ),
    (
        "sse-empty-data",
        ["SSE-NO-EMPTY-DATA"],
        "Sends an event with empty data after the first event.",
        RawBytesAtFirstEvent,
        {"inserted": b"data:\n\n"},
    ),
    (
        "sse-unterminated-last-event",
        ["SSE-FRAMING-VALID"],
        "Sends the last event of every stream without its closing blank line.",
        SSEUnterminatedLastEvent,
        {},
    ),
    (
        "sse-linger-after-end",
        ["SSE-STREAM-ENDS"],
        f"Keeps every stream open {LINGER_S:g} s after its last event.",
        SSELingerAfterEnd,
        {},
    ),
)
