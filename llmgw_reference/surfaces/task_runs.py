"""One surface request's task: submit it to the runtime and read its events as surface-level items.

Why every surface goes through here: admission, deadlines, cancellation, determinism and the
fault modes live in the runtime, so chat, generate and the rest get them alike.  The items are
already stop-string filtered, so streamed and non-streamed answers are built from the same text.
Closing the item iterator early closes the runtime's event iterator, which cancels the task.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from llmgw_generated.models.common import Engine, ErrorKind, ErrorReason, Priority, Workload
from llmgw_generated.models.data import PlacementOverrides, SSEEnd, SSEError, SSEToken, TaskRequest
from llmgw_reference import spec
from llmgw_reference.engine.synthetic import GeneratedToken
from llmgw_reference.errors import ApiError, bad_request
from llmgw_reference.surfaces.stop_strings import StopMatcher

SURFACE_DEADLINE_MS = 120_000
SEED_SPACE = 2**64
MAX_PROMPT_CHARS = 1_000_000  # TaskRequest.prompt.maxLength in the contract


@dataclass(frozen=True)
class TextPiece:
    """Text released by one token (possibly empty while a stop string is undecided)."""

    text: str
    token: GeneratedToken | None
    index: int


@dataclass(frozen=True)
class RunEnd:
    """The task finished: why, how many tokens it produced, and when the first came."""

    finish_reason: str  # stop | length | cancelled
    completion_tokens: int
    ttft_ms: float | None
    decode_ms: float


@dataclass(frozen=True)
class RunError:
    """The task failed after it was admitted (an ``error`` event)."""

    error: ApiError


RunItem = TextPiece | RunEnd | RunError


@dataclass(frozen=True)
class ForwardedFrames:
    """Token frames a worker encoded (the task's `TokenFrame`), to send on as they are."""

    data: bytes


def completion_task(
    *,
    model: str,
    engine: Engine,
    prompt: str,
    prompt_tokens: int,
    max_tokens: int,
    seed: int | None,
    placement: PlacementOverrides | None = None,
    prompt_param: str = "prompt",
    deadline_ms: int | None,
    received_at: float,
) -> TaskRequest:
    """The native task behind one choice of a chat or generate request.

    ``deadline_ms`` is the request's own, counted from ``received_at``: the task gets what is left
    of it now (:func:`remaining_deadline_ms`); without one the generous surface default.
    """
    if len(prompt) > MAX_PROMPT_CHARS:
        raise bad_request(f"the prompt is longer than {MAX_PROMPT_CHARS} characters", param=prompt_param)
    remaining = remaining_deadline_ms(deadline_ms, received_at)
    try:
        return TaskRequest(
            task_id=uuid.uuid4(),
            session_id=uuid.uuid4(),
            workload=Workload.completion,
            model_ref=model,
            engine=engine,
            ctx=prompt_tokens + max_tokens,
            priority=Priority.interactive,
            prompt=prompt,
            max_tokens=max_tokens,
            deadline_ms=SURFACE_DEADLINE_MS if remaining is None else remaining,
            seed=seed,
            placement=placement,
        )
    except ValidationError as exc:
        raise bad_request(f"the request cannot be run as a task: {exc.errors()[0]['msg']}") from None


def remaining_deadline_ms(deadline_ms: int | None, received_at: float) -> int | None:
    """What is left of a surface request's ``deadline_ms`` (counted from receipt) for its task now.

    Why: the contract counts the deadline from receipt, and the body was read and checked before
    the task is submitted.  At least 1 ms, so a deadline already spent is refused by admission
    (504 ``DEADLINE_UNMET``) instead of becoming a task with no deadline.
    """
    if deadline_ms is None:
        return None
    elapsed_ms = (time.monotonic() - received_at) * 1000
    return max(1, int(deadline_ms - elapsed_ms))


def status_for(code: ErrorKind, operation_id: str) -> int:
    """The HTTP status an error code is sent with, preferring one the operation documents."""
    statuses = [int(s) for s in spec.error_policy()[code.value]["statuses"]]
    documented = next(
        (op.statuses for op in spec.operations() if op.operation_id == operation_id), frozenset[str]()
    )
    return next((s for s in statuses if str(s) in documented), statuses[0])


def error_from_event(payload: SSEError, operation_id: str) -> ApiError:
    """An in-stream ``error`` event as an ``ApiError`` (status as the contract's policy gives it)."""
    reason = ErrorReason(payload.reason) if payload.reason is not None else None
    return ApiError(
        ErrorKind(payload.code),
        payload.message,
        status=status_for(ErrorKind(payload.code), operation_id),
        reason=reason,
        policy_label=payload.policy_label,
    )


async def _task_events(
    runtime: Any, task_id: str, operation_id: str
) -> AsyncGenerator[tuple[str, Any], None]:
    """The task's events as ``(name, payload)`` up to its ``end``; an ``error`` event, or a stream
    that stops without a terminal event, ends it as ``("error", RunError)`` instead.

    Why one place: every reader of a task (text pieces, forwarded frames) ends the same way on
    errors and lost streams, and closes the runtime's iterator (which cancels the task) the same way.
    """
    events = runtime.events(task_id)
    try:
        async for name, payload in events:
            if name == "error" and isinstance(payload, SSEError):
                yield name, RunError(error_from_event(payload, operation_id))
                return
            yield name, payload
            if name == "end" and isinstance(payload, SSEEnd):
                return
        lost = ApiError(ErrorKind.INTERNAL, "the task stream ended without a terminal event", status=502)
        yield "error", RunError(lost)
    finally:
        await events.aclose()


def _finish_reason(end: SSEEnd) -> str:
    return end.finish_reason.value if end.finish_reason is not None else "stop"


async def run_items(
    runtime: Any,
    task_id: str,
    *,
    stops: tuple[str, ...],
    operation_id: str,
    want_tokens: bool = False,
    started: float | None = None,
) -> AsyncGenerator[RunItem, None]:
    """The task's events as text pieces, then exactly one ``RunEnd`` or ``RunError``.

    ``started`` (``time.monotonic()`` when the request arrived) is where ``ttft_ms`` counts from.
    """
    matcher = StopMatcher(stops)
    started = time.monotonic() if started is None else started
    first_token: float | None = None
    count = 0
    async with aclosing(_task_events(runtime, task_id, operation_id)) as events:
        async for name, payload in events:
            if name == "token" and isinstance(payload, SSEToken):
                count += 1
                if first_token is None:
                    first_token = time.monotonic()
                token = _token_at(runtime, task_id, payload.i) if want_tokens else None
                yield TextPiece(matcher.feed(payload.t), token, payload.i)
                if matcher.stopped:
                    yield _end("stop", count, started, first_token)
                    return
            elif name == "end" and isinstance(payload, SSEEnd):
                rest = matcher.flush()
                if rest:
                    yield TextPiece(rest, None, count)
                yield _end(_finish_reason(payload), count, started, first_token)
            elif isinstance(payload, RunError):
                yield payload


async def forwarded_items(
    runtime: Any, task_id: str, *, operation_id: str, started: float | None = None
) -> AsyncGenerator[ForwardedFrames | RunEnd | RunError, None]:
    """`run_items` of a task submitted with a `TokenFrame` (no stop strings, no logprobs): its
    frames as they came from the worker, then exactly one ``RunEnd`` or ``RunError``.

    The token count is the worker's (its ``end`` event's ``tokens_out``): nothing here reads a token.
    """
    started = time.monotonic() if started is None else started
    first: float | None = None
    async with aclosing(_task_events(runtime, task_id, operation_id)) as events:
        async for name, payload in events:
            if name == "frames" and isinstance(payload, bytes):
                first = time.monotonic() if first is None else first
                yield ForwardedFrames(payload)
            elif name == "end" and isinstance(payload, SSEEnd):
                yield _end(_finish_reason(payload), payload.tokens_out or 0, started, first)
            elif isinstance(payload, RunError):
                yield payload


def _token_at(runtime: Any, task_id: str, index: int) -> GeneratedToken | None:
    tokens = runtime.token_logprobs(task_id)
    return tokens[index] if 0 <= index < len(tokens) else None


def _end(reason: str, count: int, started: float, first_token: float | None) -> RunEnd:
    now = time.monotonic()
    ttft = None if first_token is None else (first_token - started) * 1000
    return RunEnd(reason, count, ttft, (now - (first_token or now)) * 1000)
