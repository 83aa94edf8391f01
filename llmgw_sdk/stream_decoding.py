"""Decode parsed SSE events into the contract's typed payloads, one stream grammar at a time.

The decoders are pure (no I/O), so the sync and async streams share them.  Each follows its grammar in
``x-stream-grammars`` (data.yaml) as far as a *client* must: it knows the stream's terminator (native
``end``/``error``; chat and generate ``[DONE]``), raises :class:`StreamError` for an error payload
instead of handing it out as data, and tells the stream when it is complete.  It is lenient where a
client should be (unknown event names and empty keep-alive events are skipped, unknown JSON fields are
ignored): judging a server strictly is the conformance suite's job, not the SDK's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from httpx_sse import ServerSentEvent
from pydantic import BaseModel, ValidationError

from llmgw_generated.models.common import OpenAIErrorResponse
from llmgw_generated.models.data import (
    ChatCompletionChunk,
    GenerateChunk,
    SSEEnd,
    SSEError,
    SSEMetrics,
    SSEStarted,
    SSEToken,
)
from llmgw_sdk.error_mapping import kind_from_code, reason_from_code
from llmgw_sdk.errors import StreamError, UnexpectedResponseError

DONE_SENTINEL = "[DONE]"

T_co = TypeVar("T_co", covariant=True)
M = TypeVar("M", bound=BaseModel)
D = TypeVar("D", bound=BaseModel)


@dataclass(frozen=True)
class TaskEventOf(Generic[D]):
    """What every native task event carries: its payload and the SSE ``id`` (when the server sent one)."""

    data: D
    id: str | None = None


@dataclass(frozen=True)
class TaskStarted(TaskEventOf[SSEStarted]):
    """The ``started`` event of a native task stream."""

    event: Literal["started"] = "started"


@dataclass(frozen=True)
class TaskToken(TaskEventOf[SSEToken]):
    """A ``token`` event: ``data.t`` is the token text, ``data.i`` its index.

    Tokens come in index order; :func:`~llmgw_sdk.collect_task_stream` joins their text.
    """

    event: Literal["token"] = "token"


@dataclass(frozen=True)
class TaskMetrics(TaskEventOf[SSEMetrics]):
    """A ``metrics`` event (fields the SDK does not know are kept by the model's extra settings)."""

    event: Literal["metrics"] = "metrics"


@dataclass(frozen=True)
class TaskEnd(TaskEventOf[SSEEnd]):
    """The ``end`` event: the task finished; always the last event yielded.

    ``data`` has the server's totals (``tokens_out``, ``finish_reason``, ``ttft_ms``).
    """

    event: Literal["end"] = "end"


TaskEvent = TaskStarted | TaskToken | TaskMetrics | TaskEnd
"""One event of a native task stream; an ``error`` event is raised as :class:`StreamError` instead."""


class StreamDecoder(Protocol[T_co]):
    """Turns SSE events into items; ``complete`` once the stream's terminator was seen."""

    @property
    def complete(self) -> bool: ...

    def feed(self, sse: ServerSentEvent) -> T_co | None: ...

    def missing_terminator(self) -> str: ...


def _parse_json(sse: ServerSentEvent, what: str) -> object:
    try:
        return json.loads(sse.data)
    except json.JSONDecodeError as exc:
        raise UnexpectedResponseError(f"{what}: event data is not JSON: {sse.data[:200]!r}") from exc


def _validate(model: type[M], payload: object, what: str) -> M:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise UnexpectedResponseError(f"{what}: event data does not match {model.__name__}: {exc}") from exc


def stream_error_from_sse_error(err: SSEError) -> StreamError:
    """The raised form of a native ``error`` event."""
    return StreamError(
        err.message,
        code=err.code.value,
        kind=err.code,
        reason=err.reason,
        retriable=bool(err.retriable),
        policy_label=err.policy_label,
    )


def loose_stream_error(payload: object) -> StreamError:
    """A server's error payload that does not match the contract's shape is still an error, never data:
    keep what can be read of it (a bare string, or ``message`` / ``code`` fields).
    """
    if isinstance(payload, dict):
        message = payload.get("message")
        code = payload.get("code")
        return StreamError(
            str(message) if message is not None else json.dumps(payload)[:500],
            code=str(code) if code is not None else None,
            kind=kind_from_code(str(code)) if code is not None else None,
        )
    return StreamError(str(payload)[:500])


class _TerminatorWatch:
    """What every decoder shares: whether its grammar's terminator was seen."""

    _complete = False

    @property
    def complete(self) -> bool:
        return self._complete

    def _is_done_sentinel(self, sse: ServerSentEvent) -> bool:
        """True for ``data: [DONE]``, which completes the data-only grammars."""
        done = sse.data.strip() == DONE_SENTINEL
        self._complete = self._complete or done
        return done


class NativeTaskDecoder(_TerminatorWatch):
    """The ``native-task`` grammar: named events; ``end`` or ``error`` is terminal."""

    def feed(self, sse: ServerSentEvent) -> TaskEvent | None:
        if not sse.data:
            return None
        event_id = sse.id or None
        what = f"native task stream, event {sse.event!r}"
        if sse.event == "started":
            return TaskStarted(_validate(SSEStarted, _parse_json(sse, what), what), event_id)
        if sse.event == "token":
            return TaskToken(_validate(SSEToken, _parse_json(sse, what), what), event_id)
        if sse.event == "metrics":
            return TaskMetrics(_validate(SSEMetrics, _parse_json(sse, what), what), event_id)
        if sse.event == "end":
            self._complete = True
            return TaskEnd(_validate(SSEEnd, _parse_json(sse, what), what), event_id)
        if sse.event == "error":
            self._complete = True
            payload = _parse_json(sse, what)
            try:
                err = SSEError.model_validate(payload)
            except ValidationError:
                raise loose_stream_error(payload) from None
            raise stream_error_from_sse_error(err)
        return None

    def missing_terminator(self) -> str:
        return "native task stream ended without its terminal event (end or error)"


class ChatChunkDecoder(_TerminatorWatch):
    """The ``chat-chunks`` grammar: data-only chunks, ``data: {"error": ...}`` on failure, ``[DONE]``."""

    def feed(self, sse: ServerSentEvent) -> ChatCompletionChunk | None:
        if not sse.data or self._is_done_sentinel(sse):
            return None
        what = "chat stream"
        payload = _parse_json(sse, what)
        if isinstance(payload, dict) and "error" in payload:
            self._complete = True
            try:
                err = OpenAIErrorResponse.model_validate(payload).error
            except ValidationError:
                raise loose_stream_error(payload["error"]) from None
            raise StreamError(
                err.message,
                code=err.code,
                type=err.type,
                param=err.param,
                kind=err.kind or kind_from_code(err.code),
                reason=reason_from_code(err.code),
                retriable=bool(err.retriable),
                policy_label=err.policy_label,
            )
        return _validate(ChatCompletionChunk, payload, what)

    def missing_terminator(self) -> str:
        return "chat stream ended without data: [DONE]"


class GenerateChunkDecoder(_TerminatorWatch):
    """The ``generate-chunks`` grammar: chunks until one with ``done: true``, then ``[DONE]``."""

    _saw_done_chunk = False

    def feed(self, sse: ServerSentEvent) -> GenerateChunk | None:
        if not sse.data or self._is_done_sentinel(sse):
            return None
        what = "generate stream"
        chunk = _validate(GenerateChunk, _parse_json(sse, what), what)
        if chunk.error is not None:
            self._complete = True
            raise StreamError(
                chunk.error.message,
                code=chunk.error.code,
                kind=kind_from_code(chunk.error.code),
            )
        if chunk.done:
            self._saw_done_chunk = True
        return chunk

    def missing_terminator(self) -> str:
        if self._saw_done_chunk:
            return "generate stream ended without data: [DONE] after its done chunk"
        return "generate stream ended without its done chunk and data: [DONE]"
