"""The native task operations: submitTask, getTask (long-poll), streamTaskEvents, cancelTask.

Plus one route internal to the reference, not in the contract: `SUBMIT_AND_STREAM_PATH`, what our
gateway calls on our worker (see `llmgw_reference.worker_http`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from llmgw_generated.models.data import TaskRequest
from llmgw_reference.auth import principal_of
from llmgw_reference.errors import bad_request
from llmgw_reference.request_body import parse_body
from llmgw_reference.runtime import Runtime, TaskEvent
from llmgw_reference.runtime.core import TaskEventStream
from llmgw_reference.runtime.records import TokenFrame
from llmgw_reference.sse import SSEResponse, StreamItem, event_frame

MAX_WAIT_MS = 30000
#: Internal to the reference (our gateway to our worker), not a contract operation: submitTask and
#: streamTaskEvents in one request. Why: a gateway forwarding a short stream paid a second HTTP
#: request per stream, a third of its CPU. Same admission errors as submitTask (as JSON, before any
#: byte of the stream), then the same native event stream, faults and disconnect-cancels included.
SUBMIT_AND_STREAM_PATH = "/internal/v1/tasks:stream"
#: Request header of `SUBMIT_AND_STREAM_PATH`: `[prefix, suffix]` as JSON, a `TokenFrame` the worker
#: frames each token with instead of a native `token` event (`started` and `metrics` are left out;
#: `end` or `error` still closes the stream as a native event). The answer carries the same header
#: (value `1`) when it honours it: a worker in a fault mode answers the native stream, which the
#: faults act on, and the gateway frames it itself.
TOKEN_FRAME_HEADER = "x-llmgw-token-frame"
#: Encodes one token's text exactly as the chat surface does (`ensure_ascii=False`).
_TEXT_ENCODER = json.JSONEncoder(ensure_ascii=False)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def task_id_param(request: Request) -> str:
    """The `task_id` path parameter, which the contract types as a UUID (else 400)."""
    raw = str(request.path_params["task_id"])
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise bad_request("task_id must be a UUID.", param="task_id") from None


def json_response(model: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    from pydantic import BaseModel

    assert isinstance(model, BaseModel)
    return JSONResponse(model.model_dump(mode="json", exclude_none=True), status_code=status, headers=headers)


async def submit_task(request: Request) -> Response:
    task = await parse_body(request, TaskRequest)
    admission = await runtime_of(request).submit(task, principal_of(request.scope))
    return json_response(admission, 202, {"Location": f"/v1/tasks/{admission.task_id}"})


async def get_task(request: Request) -> Response:
    task_id = task_id_param(request)
    raw = request.query_params.get("wait_ms", "0")
    if not raw.isdigit() or int(raw) > MAX_WAIT_MS:
        raise bad_request(f"wait_ms must be an integer from 0 to {MAX_WAIT_MS}.", param="wait_ms")
    status = await runtime_of(request).wait(task_id, int(raw))
    return json_response(status)


async def frames_of(events: AsyncIterator[TaskEvent]) -> AsyncIterator[StreamItem]:
    """The native stream's frames: one named event per TaskEvent."""
    try:
        async for name, payload in events:
            yield payload if isinstance(payload, bytes) else event_frame(name, payload)
    finally:
        await events.aclose()  # type: ignore[attr-defined]


async def token_frames_of(events: AsyncIterator[TaskEvent], frame: TokenFrame) -> AsyncIterator[StreamItem]:
    """The task's tokens framed by `frame` (encoded here, once), then its native terminal event.

    A token with no text gets no frame, as the chat surface sends none for it.
    """
    prefix, suffix = frame
    try:
        async for event in events:
            name, payload = event
            if name == "token":
                text = str(getattr(payload, "t", ""))
                if text:
                    yield (prefix + _TEXT_ENCODER.encode(text) + suffix).encode()
            elif name in ("end", "error") and not isinstance(payload, bytes):
                yield event_frame(name, payload)
    finally:
        await events.aclose()  # type: ignore[attr-defined]


def token_frame_of(request: Request) -> TokenFrame | None:
    """The `TOKEN_FRAME_HEADER` of a request (None without one); 400 when it is not a sound frame.

    Sound: the prefix starts a `data:` line and the frame's only line break is its final blank
    line, so a reader finds where each frame ends and tells it from an `event:` frame.
    """
    raw = request.headers.get(TOKEN_FRAME_HEADER)
    if raw is None:
        return None
    try:
        prefix, suffix = json.loads(raw)
    except (ValueError, TypeError):
        raise bad_request(f"{TOKEN_FRAME_HEADER} must be a JSON [prefix, suffix].") from None
    if not (isinstance(prefix, str) and isinstance(suffix, str)):
        raise bad_request(f"{TOKEN_FRAME_HEADER} must hold two strings.")
    body = prefix + suffix[:-2]
    if not prefix.startswith("data: ") or not suffix.endswith("\n\n") or "\n" in body or "\r" in body:
        raise bad_request(f"{TOKEN_FRAME_HEADER}: one `data: ` line ending with a blank line.")
    return TokenFrame(prefix, suffix)


async def stream_task_events(request: Request) -> Response:
    task_id = task_id_param(request)
    runtime = runtime_of(request)
    return _event_stream(runtime, runtime.events(task_id))


async def submit_and_stream(request: Request) -> Response:
    """`SUBMIT_AND_STREAM_PATH`: submit the body's task, then answer with its event stream,
    its tokens framed as `TOKEN_FRAME_HEADER` asks when no fault is active."""
    frame = token_frame_of(request)
    task = await parse_body(request, TaskRequest)
    runtime = runtime_of(request)
    admission = await runtime.submit(task, principal_of(request.scope))
    events = runtime.events(str(admission.task_id))
    if frame is not None and not runtime.faults.faults:
        return _event_stream(runtime, events, frame)
    return _event_stream(runtime, events)


def _event_stream(runtime: Runtime, events: TaskEventStream, frame: TokenFrame | None = None) -> Response:
    """A task's event stream: its events as SSE frames, or its tokens framed as `frame` says (then
    with `TOKEN_FRAME_HEADER`); closing the answer closes `events`, which cancels the task."""
    return SSEResponse(
        frames_of(events) if frame is None else token_frames_of(events, frame),
        faults=runtime.faults,
        heartbeat_ms=runtime.config.heartbeat_ms,
        headers=None if frame is None else {TOKEN_FRAME_HEADER: "1"},
        on_close=events.aclose,
    )


async def cancel_task(request: Request) -> Response:
    return json_response(await runtime_of(request).cancel(task_id_param(request)))


def routes() -> list[Route]:
    """The native task routes."""
    return [
        Route("/v1/tasks", submit_task, methods=["POST"]),
        Route("/v1/tasks/{task_id}", get_task, methods=["GET"]),
        Route("/v1/tasks/{task_id}/events", stream_task_events, methods=["GET"]),
        Route("/v1/tasks/{task_id}/cancel", cancel_task, methods=["POST"]),
        Route(SUBMIT_AND_STREAM_PATH, submit_and_stream, methods=["POST"]),
    ]
