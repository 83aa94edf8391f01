"""A task's record: its request, lifecycle, replayable event log and result."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from llmgw_generated.models.common import ErrorEnvelope, Priority, Workload
from llmgw_generated.models.data import (
    SSEEnd,
    SSEError,
    SSEMetrics,
    SSEStarted,
    SSEToken,
    TaskRequest,
    TaskState,
)
from llmgw_reference.engine import GeneratedToken

#: `frames`: encoded SSE blocks a gateway forwards from its worker as they came (see `TokenFrame`).
EventName = Literal["started", "token", "metrics", "end", "error", "frames"]
TERMINAL_STATES = (TaskState.succeeded, TaskState.failed, TaskState.cancelled)


class TaskEvent(NamedTuple):
    """One event of a task's stream: its name and its generated pydantic payload."""

    name: EventName
    payload: SSEStarted | SSEToken | SSEMetrics | SSEEnd | SSEError | bytes


class TokenFrame(NamedTuple):
    """How a surface wants each token of a task framed: `prefix + JSON string of the text + suffix`.

    Why: a gateway that forwards a chat stream asks its worker for the chunks already framed
    (`llmgw_reference.worker_http`) and passes the bytes through without decoding a token; the
    surface owns the format, so it builds the template (e.g. `ChunkHeader.token_frame`). One SSE
    block per token: `prefix` starts with `data: ` and the frame has no line break but its final
    blank line, so the reader can find where frames end and an `event:` frame never collides.
    """

    prefix: str
    suffix: str


@dataclass(eq=False)
class TaskRecord:
    """Everything the runtime knows about one task."""

    request: TaskRequest
    seq: int
    model_id: str
    pool_id: str
    prompt_tokens: int
    max_tokens: int
    received_at: float = field(default_factory=time.monotonic)
    state: TaskState = TaskState.queued
    worker_id: str | None = None
    events: list[TaskEvent] = field(default_factory=list)
    tokens: list[GeneratedToken] = field(default_factory=list)
    finish_reason: str | None = None
    planned_finish: str = "stop"
    seed_used: int | None = None
    last_used: float = field(default_factory=time.monotonic)
    error: ErrorEnvelope | None = None
    result: dict[str, object] | None = None
    attached: bool = False
    ever_attached: bool = False
    started_at: float | None = None
    first_token_at: float | None = None
    ended_at: float | None = None
    #: Set by a surface that forwards its worker's framed tokens (`frames` events instead of `token`).
    token_frame: TokenFrame | None = None
    #: Tokens generated on a worker and forwarded as frames: counted from the worker's `end` event.
    forwarded_tokens: int = 0
    runner: asyncio.Task[None] | None = None
    timers: list[asyncio.TimerHandle] = field(default_factory=list)
    _changed: asyncio.Event | None = None
    done: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def task_id(self) -> str:
        return str(self.request.task_id)

    @property
    def workload(self) -> Workload:
        return self.request.workload

    @property
    def priority(self) -> Priority:
        return self.request.priority

    @property
    def session_id(self) -> str:
        return str(self.request.session_id)

    @property
    def tokens_out(self) -> int:
        """Tokens produced so far: generated here, or forwarded from a worker as frames."""
        return len(self.tokens) + self.forwarded_tokens

    @property
    def terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    def emit(self, event: TaskEvent) -> None:
        """Appends an event and wakes every reader."""
        self.events.append(event)
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    def changed(self) -> asyncio.Event:
        """An event set at the next append (take it before checking the log).

        Made only when a reader asks: an append with nobody waiting (most tokens, when the reader
        is busy writing) costs no new Event.
        """
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed
