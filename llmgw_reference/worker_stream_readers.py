"""Readers of a worker's stream on the gateway: native events as tokens, or framed tokens as bytes.

Why by hand and not httpx's `aiter_lines` (or httpx-sse, built on the same line iteration): this is
the gateway's per-token path. The producer is our own worker (`llmgw_reference.tasks_api`), so one
`split` per network read finds every complete event it holds. Each reader's `feed` takes one read
and returns what it yields; `terminal` is set to the `(name, data)` of the native `end` or `error`
event that closes the stream, and nothing after it is returned.
"""

from __future__ import annotations

import json

from llmgw_reference.engine import GeneratedToken
from llmgw_reference.runtime.records import TokenFrame

_TEXT_ENCODER = json.JSONEncoder(ensure_ascii=False)
_TERMINALS = ("end", "error")
_EVENT_AT_START = b"event:"
_EVENT_AFTER_FRAME = b"\n\nevent:"


class NativeEventSplitter:
    """Splits native SSE bytes into (event name, data) pairs, every ready one per read.

    The profile showed line-by-line text decoding of the worker's stream as a sixth of the
    gateway's CPU. Events are `event:` and `data:` lines, blank-line separated, LF or CRLF
    (`llmgw_reference.sse.SSEFrame.encode`); comments (heartbeats) and unknown fields are skipped,
    and several `data:` lines join with LF as SSE says.
    """

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        """The complete events in the bytes seen so far; an unfinished one waits for the next read."""
        buffer = self._buffer + chunk
        if b"\r" in buffer:
            buffer = buffer.replace(b"\r\n", b"\n")
        *blocks, self._buffer = buffer.split(b"\n\n")
        events: list[tuple[str, str]] = []
        for block in blocks:
            name = ""
            data: list[str] = []
            for line in block.decode("utf-8").split("\n"):
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    name = value
                elif field == "data":
                    data.append(value)
            if data:
                events.append((name or "message", "\n".join(data)))
        return events


class TokenReader:
    """A native stream as `GeneratedToken`s (the gateway runs them through its own runtime)."""

    def __init__(self) -> None:
        self._splitter = NativeEventSplitter()
        self.terminal: tuple[str, str] | None = None

    def feed(self, chunk: bytes) -> list[GeneratedToken]:
        tokens: list[GeneratedToken] = []
        if self.terminal is not None:
            return tokens
        for name, data in self._splitter.feed(chunk):
            if name == "token":
                payload = json.loads(data)
                text = str(payload["t"])
                tokens.append(GeneratedToken(int(payload["i"]), text, 0.0, ((text, 0.0),)))
            elif name in _TERMINALS:
                self.terminal = (name, data)
                break
        return tokens


class FramedReader:
    """A worker's framed tokens (`TokenFrame`, honoured) as the bytes to forward, unread.

    Why no decoding: the frames are already what the client gets, so each read costs two byte
    searches: the last frame boundary (an unfinished frame waits for the next read) and a frame
    that starts with `event:` (the native terminal event: a token frame is one `data:` line, so
    it never holds a line break nor starts so). Heartbeat comments pass through as they came.
    """

    def __init__(self) -> None:
        self._rest = b""
        self.terminal: tuple[str, str] | None = None

    def feed(self, chunk: bytes) -> list[bytes]:
        if self.terminal is not None:
            return []
        buffer = self._rest + chunk if self._rest else chunk
        cut = buffer.rfind(b"\n\n") + 2
        if cut < 2:
            self._rest = buffer
            return []
        ready, self._rest = buffer[:cut], buffer[cut:]
        if ready.startswith(_EVENT_AT_START):
            at = 0
        else:
            found = ready.find(_EVENT_AFTER_FRAME)
            if found < 0:
                return [ready]
            at = found + 2
        events = NativeEventSplitter().feed(ready[at:])
        self.terminal = next(((n, d) for n, d in events if n in _TERMINALS), ("error", "{}"))
        return [ready[:at]] if at else []


class NativeFramer:
    """A native stream framed here with the `TokenFrame`: what a worker that did not honour the
    frame (one in a fault mode, whose faults act on native events) is forwarded as."""

    def __init__(self, frame: TokenFrame) -> None:
        self._tokens = TokenReader()
        self._frame = frame

    @property
    def terminal(self) -> tuple[str, str] | None:
        return self._tokens.terminal

    def feed(self, chunk: bytes) -> list[bytes]:
        prefix, suffix = self._frame
        tokens = self._tokens.feed(chunk)
        framed = "".join(prefix + _TEXT_ENCODER.encode(t.text) + suffix for t in tokens if t.text)
        return [framed.encode()] if framed else []
