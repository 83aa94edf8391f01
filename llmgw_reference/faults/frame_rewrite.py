"""A base for faults that rewrite the frames of a stream one at a time, and raw frames.

Why a base: most stream faults change, drop, repeat or insert one frame; written against
`sse_frames` directly each would repeat the same async-generator plumbing. A `FrameRewrite`
subclass only says what one frame becomes (`rewrite`) and what is sent after the last one
(`finish`), with a per-stream `dict` for state (each stream gets a fresh one).

`RawFrame` carries exact bytes, so framing faults can send what `SSEFrame.encode` never would
(bare JSON lines, invalid UTF-8, missing blank lines, non-standard fields).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from llmgw_reference.faults.base import Fault
from llmgw_reference.sse import SSEFrame, data_frame, event_frame

DONE = "[DONE]"


@dataclass(frozen=True)
class RawFrame(SSEFrame):
    """A frame sent as these exact bytes (the other fields are ignored)."""

    raw: bytes = b""

    def encode(self) -> bytes:
        return self.raw


def payload(frame: SSEFrame) -> dict[str, Any] | None:
    """The JSON object in a frame's data, or None (comments, `[DONE]`, non-objects)."""
    if frame.data is None or frame.data == DONE or isinstance(frame, RawFrame):
        return None
    try:
        value = json.loads(frame.data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def with_payload(frame: SSEFrame, body: dict[str, Any]) -> SSEFrame:
    """The same kind of frame (named or data-only) with another JSON payload."""
    return event_frame(frame.event, body) if frame.event is not None else data_frame(body)


def is_done(frame: SSEFrame) -> bool:
    """Whether the frame is the `data: [DONE]` sentinel of chat and generate streams."""
    return frame.data == DONE and not isinstance(frame, RawFrame)


def is_chat_chunk(body: dict[str, Any] | None) -> bool:
    return body is not None and body.get("object") == "chat.completion.chunk"


def is_generate_chunk(body: dict[str, Any] | None) -> bool:
    return body is not None and "seq" in body and "request_id" in body


def usage_total_plus_one(body: dict[str, Any]) -> dict[str, Any] | None:
    """`body` with `usage.total_tokens` one more than it says (None when there is no integer total).

    A total that is not prompt plus completion, on chat and generate streams and JSON answers alike.
    """
    usage = body.get("usage")
    if not isinstance(usage, dict) or not isinstance(usage.get("total_tokens"), int):
        return None
    return body | {"usage": usage | {"total_tokens": usage["total_tokens"] + 1}}


#: The usage a fault puts on chunks that should carry none (chat and generate alike).
PLACEHOLDER_USAGE = {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}


class FrameRewrite(Fault):
    """Rewrites every frame of every stream through `rewrite`; `finish` adds frames at the end."""

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        """What `frame` becomes (empty: dropped); `state` is private to one stream."""
        return [frame]

    def finish(self, state: dict[str, Any]) -> list[SSEFrame]:
        """Frames sent after the stream's last frame."""
        return []

    async def _rewritten(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
        state: dict[str, Any] = {}
        async for frame in frames:
            for out in self.rewrite(frame, state):
                yield out
        for out in self.finish(state):
            yield out

    def sse_frames(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
        return self._rewritten(frames)


#: The chunks of OpenAI chat and of generate streams, by name.
CHUNK_KINDS = {"chat": is_chat_chunk, "generate": is_generate_chunk}


class ChunksOfKind(FrameRewrite):
    """Rewrites the chunks of `chunks` ("chat" or "generate") through `rewrite_chunk`; others pass.

    Why: some stream rules hold alike for chat and generate chunks (an id kept on every chunk, a
    usage total); a fault that breaks one of them on both is one class with the kind as a value.
    """

    chunks = "chat"

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if body is None or not CHUNK_KINDS[self.chunks](body):
            return [frame]
        return self.rewrite_chunk(frame, body, state)

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        return [frame]


class SecondChunkChanged(ChunksOfKind):
    """Merges `change` into the second chunk of each stream (an id that must stay the same)."""

    change: dict[str, Any] = {}

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        state["n"] = state.get("n", 0) + 1
        return [with_payload(frame, body | self.change)] if state["n"] == 2 else [frame]


class UsageTotalWrong(ChunksOfKind):
    """Streams usage whose total_tokens is one more than prompt plus completion."""

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        wrong = usage_total_plus_one(body)
        return [frame] if wrong is None else [with_payload(frame, wrong)]


class NativeEventCopies(FrameRewrite):
    """Sends each native event named in `events` `copies` times (0: drops it); with an `index`, only
    the token event whose `i` is that index.

    Why one class: a native stream's grammar is broken by an event missing, repeated or out of
    place; which event, and how many copies, are the only difference between those faults.
    """

    events: tuple[str, ...] = ()
    index: int | None = None
    copies = 1

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event not in self.events:
            return [frame]
        body = payload(frame)
        if self.index is not None and (body is None or body.get("i") != self.index):
            return [frame]
        return [frame] * self.copies
