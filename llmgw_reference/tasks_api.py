"""The native task operations: submitTask, getTask (long-poll), streamTaskEvents, cancelTask.

Plus one route internal to the reference, not in the contract: `SUBMIT_AND_STREAM_PATH`, what our
gateway calls on our worker (see `llmgw_reference.worker_http`).
"""

from __future__ import annotations

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
from llmgw_reference.sse import SSEFrame, SSEResponse, event_frame

MAX_WAIT_MS = 30000
#: Internal to the reference (our gateway to our worker), not a contract operation: submitTask and
#: streamTaskEvents in one request. Why: a gateway forwarding a short stream paid a second HTTP
#: request per stream, a third of its CPU. Same admission errors as submitTask (as JSON, before any
#: byte of the stream), then the same native event stream, faults and disconnect-cancels included.
SUBMIT_AND_STREAM_PATH = "/internal/v1/tasks:stream"


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


async def frames_of(events: AsyncIterator[TaskEvent]) -> AsyncIterator[SSEFrame]:
    """The native stream's frames: one named event per TaskEvent."""
    try:
        async for event in events:
            yield event_frame(event.name, event.payload)
    finally:
        await events.aclose()  # type: ignore[attr-defined]


async def stream_task_events(request: Request) -> Response:
    task_id = task_id_param(request)
    runtime = runtime_of(request)
    events = runtime.events(task_id)
    return SSEResponse(
        frames_of(events),
        faults=runtime.faults,
        heartbeat_ms=runtime.config.heartbeat_ms,
        on_close=events.aclose,
    )


async def submit_and_stream(request: Request) -> Response:
    """`SUBMIT_AND_STREAM_PATH`: submit the body's task, then answer with its event stream."""
    task = await parse_body(request, TaskRequest)
    runtime = runtime_of(request)
    admission = await runtime.submit(task, principal_of(request.scope))
    events = runtime.events(str(admission.task_id))
    return SSEResponse(
        frames_of(events),
        faults=runtime.faults,
        heartbeat_ms=runtime.config.heartbeat_ms,
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
