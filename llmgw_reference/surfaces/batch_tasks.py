"""Embedding and rerank requests as native tasks: submit, wait for the terminal state, read the result.

Why through the runtime and not the engine directly: admission (queue limits, 429), placement,
deadlines and the fault modes then apply to these surfaces exactly as to native tasks.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from pydantic import ValidationError

from llmgw_generated.models.common import Engine, ErrorKind, ErrorReason, Priority, Workload
from llmgw_generated.models.data import TaskRequest, TaskState, TaskStatus
from llmgw_reference.errors import ApiError, bad_request
from llmgw_reference.surfaces.task_runs import MAX_PROMPT_CHARS, SURFACE_DEADLINE_MS, status_for

MAX_INPUT_CHARS = 100_000  # TaskRequest.inputs[].maxLength in the contract


def batch_task(
    *,
    workload: Workload,
    model_id: str,
    model: Any,
    inputs: list[str],
    query: str | None,
    ctx: int,
    input_param: str,
) -> TaskRequest:
    """The native task of an embeddings or rerank request; inputs too long for it are a 400."""
    for index, text in enumerate(inputs):
        if len(text) > MAX_INPUT_CHARS:
            raise bad_request(
                f"{input_param}[{index}] is longer than {MAX_INPUT_CHARS} characters",
                param=f"{input_param}[{index}]",
            )
    if query is not None and len(query) > MAX_PROMPT_CHARS:
        raise bad_request(f"query is longer than {MAX_PROMPT_CHARS} characters", param="query")
    ctx_max = getattr(model, "ctx_max", None)
    if ctx_max is not None and ctx > ctx_max:
        raise bad_request(f"an input has {ctx} tokens; the model's context is {ctx_max}", param=input_param)
    try:
        return TaskRequest.model_validate(
            {
                "task_id": uuid.uuid4(),
                "session_id": uuid.uuid4(),
                "workload": workload,
                "model_ref": model_id,
                "engine": Engine(getattr(model, "engine", None) or Engine.vllm),
                "ctx": max(1, ctx),
                "priority": Priority.interactive,
                "prompt": query,
                "inputs": inputs,
                "max_tokens": 1,
                "deadline_ms": SURFACE_DEADLINE_MS,
            }
        )
    except ValidationError as exc:
        raise bad_request(f"the request cannot be run as a task: {exc.errors()[0]['msg']}") from None


async def run_batch_task(runtime: Any, principal: Any, task: TaskRequest, operation_id: str) -> TaskStatus:
    """Submit the task and wait for its terminal state; a failure comes back as ``ApiError``."""
    await runtime.submit(task, principal)
    task_id = str(task.task_id)
    try:
        status: TaskStatus = await runtime.wait(task_id, SURFACE_DEADLINE_MS)
    except asyncio.CancelledError:
        await runtime.cancel(task_id)
        raise
    if status.state in (TaskState.queued, TaskState.running):
        await runtime.cancel(task_id)
        raise ApiError(ErrorKind.DEADLINE_UNMET, "the task did not finish in time", status=504)
    if status.state == TaskState.succeeded and status.result is not None:
        return status
    return status_error(status, operation_id)


def status_error(status: TaskStatus, operation_id: str) -> TaskStatus:
    """Raise the error of a task that did not succeed."""
    envelope = status.error
    if envelope is None:
        raise ApiError(ErrorKind.INTERNAL, f"the task ended {status.state.value}", status=502)
    code = ErrorKind(envelope.code)
    reason = ErrorReason(envelope.reason) if envelope.reason is not None else None
    raise ApiError(
        code,
        envelope.message,
        status=status_for(code, operation_id),
        reason=reason,
        retry_after_ms=envelope.retry_after_ms,
        policy_label=envelope.policy_label,
    )
