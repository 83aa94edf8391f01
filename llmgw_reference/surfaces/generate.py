"""``POST /v1/generate/{model}`` (generate): the native generate surface, JSON or ``GenerateChunk`` stream.

Errors before the stream are ``ErrorEnvelope`` answers; after it started, the terminal chunk carries
``error`` with ``done: true`` and ``finish_reason: error``, then ``data: [DONE]``.  The ``gpu`` hint
(``profile`` or ``pool/profile``) becomes the task's placement, so the runtime's pool rules apply:
a pool whose capacity is still being provisioned answers 202 ``PROVISIONING``.  ``deadline_ms``
(feature ``deadlines``) becomes the task's deadline: a request that cannot start in time is 504
before any stream byte, a stream still generating at it ends with the error chunk.
"""

from __future__ import annotations

import re
import time
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import aclosing
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from llmgw_generated.models.common import Engine, ErrorReason, Workload
from llmgw_generated.models.data import GenerateRequest
from llmgw_reference.errors import ApiError, bad_request, native_error_response, not_found
from llmgw_reference.sse import SSEFrame, SSEResponse, data_frame
from llmgw_reference.surfaces.chat_execution import token_limit
from llmgw_reference.surfaces.json_body import parse_validated, read_json_body
from llmgw_reference.surfaces.runtime_access import (
    faults_of,
    heartbeat_ms_of,
    principal_of,
    request_id_of,
    resolve_model,
    runtime_of,
)
from llmgw_reference.surfaces.task_runs import (
    SEED_SPACE,
    RunEnd,
    RunError,
    TextPiece,
    completion_task,
    run_items,
)

OPERATION_ID = "generate"
MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    """Generate usage; total is the sum of its parts."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def _seed(body: GenerateRequest) -> int | None:
    if body.seed is not None:
        return body.seed % SEED_SPACE
    return 0 if body.temperature == 0 else None


async def generate(request: Request) -> Response | SSEResponse:
    """The route handler: every ``ApiError`` becomes an ``ErrorEnvelope`` answer."""
    request_id = request_id_of(request)
    try:
        return await _handle(request, request_id)
    except ApiError as err:
        err.request_id = err.request_id or request_id
        return native_error_response(err)


async def _handle(request: Request, request_id: str) -> Response | SSEResponse:
    started = time.monotonic()
    model = request.path_params.get("model", "")
    if not MODEL_ID.match(model):
        raise not_found(
            f"Model {model[:64]!r} is not in the catalog.", reason=ErrorReason.UNKNOWN_MODEL, param="model"
        )
    body = parse_validated(GenerateRequest, await read_json_body(request, "GenerateRequest"))
    runtime = runtime_of(request)
    catalog_model = resolve_model(request, model, Workload.completion)
    prompt_tokens = runtime.engine.count_tokens(body.prompt)
    max_tokens = token_limit(
        requested=body.max_new_tokens,
        requested_param="max_new_tokens",
        prompt_tokens=prompt_tokens,
        ctx_max=getattr(catalog_model, "ctx_max", None),
        limit=int(getattr(runtime.config, "max_tokens", 4096)),
    )
    task = completion_task(
        model=model,
        engine=Engine(getattr(catalog_model, "engine", None) or Engine.vllm),
        prompt=body.prompt,
        prompt_tokens=prompt_tokens,
        max_tokens=max_tokens,
        seed=_seed(body),
        placement=runtime.placement_for_gpu_hint(body.gpu),
        deadline_ms=body.deadline_ms,
        received_at=started,
    )
    await runtime.submit(task, principal_of(request))
    task_id = str(task.task_id)
    stops = tuple(s for s in (body.stop or []) if s)
    items = run_items(runtime, task_id, stops=stops, operation_id=OPERATION_ID, started=started)
    if body.stream:
        frames = _stream(items, request_id, prompt_tokens)
        return SSEResponse(frames, faults=faults_of(request), heartbeat_ms=heartbeat_ms_of(request))
    parts: list[str] = []
    async with aclosing(items) as running:
        async for item in running:
            if isinstance(item, TextPiece):
                parts.append(item.text)
            elif isinstance(item, RunError):
                raise item.error
            elif isinstance(item, RunEnd):
                return JSONResponse(_result(model, "".join(parts), item, prompt_tokens, request_id, task_id))
    raise bad_request("the generation ended without a result")  # unreachable: run_items always ends


def _result(
    model: str, text: str, end: RunEnd, prompt_tokens: int, request_id: str, task_id: str
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "model": model,
        "text": text,
        "finish_reason": end.finish_reason,
        "usage": usage(prompt_tokens, end.completion_tokens),
        "request_id": request_id,
        "attempt_id": task_id,
    }
    if end.ttft_ms is not None:
        result["ttft_ms"] = round(end.ttft_ms, 3)
        if end.completion_tokens > 1:
            result["tpot_ms"] = round(end.decode_ms / (end.completion_tokens - 1), 3)
    return result


async def _stream(
    items: AsyncGenerator[TextPiece | RunEnd | RunError, None], request_id: str, prompt_tokens: int
) -> AsyncIterator[SSEFrame]:
    """``GenerateChunk`` frames: ``seq`` from 0, one terminal chunk, then ``[DONE]``."""
    seq = 0
    count = 0
    async with aclosing(items) as running:
        async for item in running:
            if isinstance(item, TextPiece):
                count = max(count, item.index + 1)
                if item.text:
                    yield data_frame(
                        {"request_id": request_id, "seq": seq, "text_delta": item.text, "done": False}
                    )
                    seq += 1
                continue
            terminal: dict[str, Any] = {"request_id": request_id, "seq": seq, "text_delta": "", "done": True}
            if isinstance(item, RunEnd):
                terminal["finish_reason"] = item.finish_reason
                terminal["usage"] = usage(prompt_tokens, item.completion_tokens)
                if item.ttft_ms is not None:
                    terminal["ttft_ms"] = round(item.ttft_ms, 3)
            else:
                terminal["finish_reason"] = "error"
                terminal["usage"] = usage(prompt_tokens, count)
                terminal["error"] = {"code": item.error.code.value, "message": item.error.message}
            yield data_frame(terminal)
            break
    yield data_frame("[DONE]")
