"""Turn a stream into one result: text, usage, finish reason and client-side timings.

Most callers want the whole answer plus the two latency numbers that matter for LLM serving: time to
first token (from sending the request to the first text) and time per output token (the mean gap
between later tokens).  They are measured here, on the client, because that is the latency the
application sees; the server's own figures (``ttft_ms`` on ``end`` or the done chunk) are kept beside
them.  Each accumulator takes items one by one, so the sync and async collectors share it; a stream
that fails raises before any result exists, so a partial text never passes for a result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, TypedDict, TypeVar

from llmgw_generated.models.data import (
    ChatCompletionChunk,
    ChatFinishReason,
    ChatUsage,
    FinishReason,
    GenerateChunk,
    GenerateResult,
    SSEMetrics,
    ToolCall,
    ToolCallFunction,
)
from llmgw_sdk.errors import UnexpectedResponseError
from llmgw_sdk.event_streams import AsyncEventStream, EventStream, monotonic_now
from llmgw_sdk.stream_decoding import TaskEnd, TaskEvent, TaskMetrics, TaskStarted, TaskToken

Item = TypeVar("Item")
R = TypeVar("R")
I_contra = TypeVar("I_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)


class TextTiming(TypedDict):
    """The fields every stream result has: the text, and the client-side TTFT and TPOT of it."""

    text: str
    ttft_ms: float | None
    tpot_ms: float | None


@dataclass
class TimedText:
    """A stream's text and the arrival times of its text-bearing items (client-side TTFT and TPOT).

    Why one class: every accumulator collects text the same way and reports the same three fields
    (:meth:`measured`), so they are computed here once.
    """

    started_at: float
    clock: Callable[[], float] = monotonic_now
    first_at: float | None = None
    last_at: float | None = None
    count: int = 0
    parts: list[str] = field(default_factory=list)

    def add(self, piece: str) -> None:
        """Keep a piece of text and note when it arrived."""
        now = self.clock()
        if self.first_at is None:
            self.first_at = now
        self.last_at = now
        self.count += 1
        self.parts.append(piece)

    @property
    def ttft_ms(self) -> float | None:
        return None if self.first_at is None else (self.first_at - self.started_at) * 1000.0

    @property
    def tpot_ms(self) -> float | None:
        if self.first_at is None or self.last_at is None or self.count < 2:
            return None
        return (self.last_at - self.first_at) * 1000.0 / (self.count - 1)

    def measured(self) -> TextTiming:
        return TextTiming(text="".join(self.parts), ttft_ms=self.ttft_ms, tpot_ms=self.tpot_ms)


@dataclass(frozen=True)
class TaskStreamResult:
    """What a finished native task stream produced."""

    task_id: str | None
    text: str
    tokens_out: int
    finish_reason: FinishReason | None
    prompt_tokens: int | None
    decode_ms: int
    server_ttft_ms: int | None
    ttft_ms: float | None
    tpot_ms: float | None
    metrics: list[SSEMetrics] = field(default_factory=list)


@dataclass(frozen=True)
class ChatStreamResult:
    """What a finished chat stream produced (choice 0's text, tool calls and finish reason)."""

    id: str | None
    model: str | None
    text: str
    finish_reason: ChatFinishReason | None
    usage: ChatUsage | None
    ttft_ms: float | None
    tpot_ms: float | None
    chunks: int
    tool_calls: list[ToolCall] = field(default_factory=list)


class TaskAccumulator:
    """Builds a :class:`TaskStreamResult` from native task events."""

    def __init__(self, started_at: float, clock: Callable[[], float] = monotonic_now) -> None:
        self._text = TimedText(started_at, clock)
        self._task_id: str | None = None
        self._metrics: list[SSEMetrics] = []
        self._end: TaskEnd | None = None

    def add(self, event: TaskEvent) -> None:
        if isinstance(event, TaskStarted):
            self._task_id = event.data.task_id
        elif isinstance(event, TaskToken):
            self._text.add(event.data.t)
        elif isinstance(event, TaskMetrics):
            self._metrics.append(event.data)
        else:
            self._end = event

    def result(self) -> TaskStreamResult:
        if self._end is None:
            raise ValueError("the task stream has not reached its end event yet")
        end = self._end.data
        return TaskStreamResult(
            **self._text.measured(),
            task_id=self._task_id,
            tokens_out=end.tokens_out,
            finish_reason=end.finish_reason,
            prompt_tokens=end.prompt_tokens,
            decode_ms=end.decode_ms,
            server_ttft_ms=end.ttft_ms,
            metrics=self._metrics,
        )


@dataclass
class _ToolCallParts:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


class ChatAccumulator:
    """Builds a :class:`ChatStreamResult` from chat chunks (choice 0's text and tool calls, the usage chunk).

    Tool calls arrive as fragments keyed by ``index``: ``id`` and the function name on the first, pieces
    of the arguments JSON after; they are joined per index, in index order.
    """

    def __init__(self, started_at: float, clock: Callable[[], float] = monotonic_now) -> None:
        self._text = TimedText(started_at, clock)
        self._id: str | None = None
        self._model: str | None = None
        self._finish: ChatFinishReason | None = None
        self._usage: ChatUsage | None = None
        self._chunks = 0
        self._tool_calls: dict[int, _ToolCallParts] = {}

    def add(self, chunk: ChatCompletionChunk) -> None:
        self._chunks += 1
        self._id = self._id or chunk.id
        self._model = self._model or chunk.model
        if chunk.usage is not None:
            self._usage = chunk.usage
        for choice in chunk.choices:
            if choice.index != 0:
                continue
            if choice.delta.content:
                self._text.add(choice.delta.content)
            for delta in choice.delta.tool_calls or []:
                parts = self._tool_calls.setdefault(delta.index, _ToolCallParts())
                parts.id = delta.id or parts.id
                if delta.function is not None:
                    parts.name = delta.function.name or parts.name
                    parts.arguments.append(delta.function.arguments or "")
            if choice.finish_reason is not None:
                self._finish = choice.finish_reason

    def result(self) -> ChatStreamResult:
        return ChatStreamResult(
            **self._text.measured(),
            id=self._id,
            model=self._model,
            finish_reason=self._finish,
            usage=self._usage,
            chunks=self._chunks,
            tool_calls=[
                ToolCall(
                    id=parts.id,
                    type="function",
                    function=ToolCallFunction(name=parts.name, arguments="".join(parts.arguments)),
                )
                for _, parts in sorted(self._tool_calls.items())
            ],
        )


class GenerateAccumulator:
    """Builds the contract's ``GenerateResult`` from generate chunks (like seed 000's aggregate)."""

    def __init__(self, model: str, started_at: float, clock: Callable[[], float] = monotonic_now) -> None:
        self._model = model
        self._text = TimedText(started_at, clock)
        self._last: GenerateChunk | None = None

    def add(self, chunk: GenerateChunk) -> None:
        if chunk.text_delta:
            self._text.add(chunk.text_delta)
        self._last = chunk

    def result(self) -> GenerateResult:
        last = self._last
        if last is None or not last.done:
            raise ValueError("the generate stream has not reached its done chunk yet")
        if last.usage is None or last.finish_reason is None:
            raise UnexpectedResponseError(
                "the done chunk of the generate stream lacks usage or finish_reason"
            )
        return GenerateResult(
            **self._text.measured(),
            model=self._model,
            finish_reason=last.finish_reason,
            usage=last.usage,
            request_id=last.request_id,
        )


class _Accumulator(Protocol[I_contra, R_co]):
    def add(self, item: I_contra, /) -> None: ...

    def result(self) -> R_co: ...


def _collect(stream: EventStream[Item], acc: _Accumulator[Item, R]) -> R:
    """Read ``stream`` to its terminator (closing it however it ends) into ``acc``."""
    with stream:
        for item in stream:
            acc.add(item)
    return acc.result()


async def _acollect(stream: AsyncEventStream[Item], acc: _Accumulator[Item, R]) -> R:
    async with stream:
        async for item in stream:
            acc.add(item)
    return acc.result()


def collect_task_stream(stream: EventStream[TaskEvent]) -> TaskStreamResult:
    """Read a native task stream to its end and summarise it."""
    return _collect(stream, TaskAccumulator(stream.started_at))


def collect_chat_stream(stream: EventStream[ChatCompletionChunk]) -> ChatStreamResult:
    """Read a chat stream to ``[DONE]`` and summarise it."""
    return _collect(stream, ChatAccumulator(stream.started_at))


def collect_generate_stream(stream: EventStream[GenerateChunk]) -> GenerateResult:
    """Read a generate stream to ``[DONE]`` and aggregate it into a ``GenerateResult``."""
    return _collect(stream, GenerateAccumulator(stream.model or "", stream.started_at))


async def acollect_task_stream(stream: AsyncEventStream[TaskEvent]) -> TaskStreamResult:
    """Async :func:`collect_task_stream`."""
    return await _acollect(stream, TaskAccumulator(stream.started_at))


async def acollect_chat_stream(stream: AsyncEventStream[ChatCompletionChunk]) -> ChatStreamResult:
    """Async :func:`collect_chat_stream`."""
    return await _acollect(stream, ChatAccumulator(stream.started_at))


async def acollect_generate_stream(stream: AsyncEventStream[GenerateChunk]) -> GenerateResult:
    """Async :func:`collect_generate_stream`."""
    return await _acollect(stream, GenerateAccumulator(stream.model or "", stream.started_at))
