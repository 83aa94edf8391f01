"""Faults that only show under load: many streams, or many refusals at once.

Why these exist: a gateway can pass every one-request-at-a-time check and still lose the terminal
event of a stream when several are open at once, or forget ``Retry-After`` once refusals come in
bursts. Each fault here leaves a request sent alone untouched, so only a run that judges many answers
at once (the ``backpressure`` profile's bursts, the suite's load mode) can catch it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from llmgw_reference.faults.base import Fault, fault

if TYPE_CHECKING:
    from llmgw_reference.errors import ApiError
    from llmgw_reference.sse import SSEFrame

#: Streams open at once (this one included) from which a stream loses its terminal event.
OPEN_STREAMS = 3
#: Refusals within :data:`BURST_WINDOW_S` from which Retry-After goes missing.
BURST_REFUSALS = 5
BURST_WINDOW_S = 1.0
_NATIVE_TERMINALS = ("end", "error")
_SENTINEL = "[DONE]"


@fault(
    "terminal-lost-under-concurrency",
    breaks=["BP-BURST-NO-LOSS"],
    description=(
        f"An SSE stream (any kind) whose terminal event comes while {OPEN_STREAMS} or more streams are "
        "open closes without it; a stream read alone is untouched."
    ),
)
class TerminalLostUnderConcurrency(Fault):
    def __init__(self) -> None:
        self.open = 0

    async def sse_frames(self, frames: AsyncIterator[SSEFrame]) -> AsyncIterator[SSEFrame]:
        self.open += 1
        try:
            async for frame in frames:
                terminal = frame.event in _NATIVE_TERMINALS or frame.data == _SENTINEL
                if terminal and self.open >= OPEN_STREAMS:
                    continue
                yield frame
        finally:
            self.open -= 1


@fault(
    "retry-after-lost-under-load",
    breaks=["ERR-RETRY-AFTER", "OAI-RETRY-AFTER"],
    description=(
        f"Drops Retry-After from retriable errors once {BURST_REFUSALS} came within {BURST_WINDOW_S:g} s "
        "(a lone refusal keeps it)."
    ),
)
class RetryAfterLostUnderLoad(Fault):
    def __init__(self) -> None:
        self.recent: deque[float] = deque()

    def error_headers(self, err: ApiError, headers: dict[str, str]) -> dict[str, str]:
        if not any(k.lower() == "retry-after" for k in headers):
            return headers
        now = time.monotonic()
        self.recent.append(now)
        while self.recent and now - self.recent[0] > BURST_WINDOW_S:
            self.recent.popleft()
        if len(self.recent) < BURST_REFUSALS:
            return headers
        return {k: v for k, v in headers.items() if k.lower() != "retry-after"}
