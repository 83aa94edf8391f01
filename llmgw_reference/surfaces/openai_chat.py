"""``POST /v1/chat/completions`` (createChatCompletion): JSON answer or ``chat.completion.chunk`` stream.

Everything that can be found wrong is found before the first stream byte (schema, plan rules,
model state, token limits, admission), so those are non-2xx OpenAI-shaped answers.  After the
stream starts, an error is one ``data: {"error": ...}`` event and then ``data: [DONE]``; that is how
a stream still generating at the request's ``deadline_ms`` (feature ``deadlines``) ends.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from llmgw_generated.models.common import ErrorKind, Workload
from llmgw_generated.models.data import ChatCompletionRequest
from llmgw_reference.accounts.meter import record_tokens
from llmgw_reference.errors import ApiError, openai_error_response
from llmgw_reference.sse import SSEFrame, SSEResponse, StreamItem, data_frame
from llmgw_reference.surfaces import chat_chunks as chunks
from llmgw_reference.surfaces.chat_execution import (
    OPERATION_ID,
    TaskSetup,
    chat_finish_reason,
    choice_content,
    pick_best,
    run_candidates,
    setup_for,
    submit_candidate,
    tool_calls_for,
)
from llmgw_reference.surfaces.chat_fields import (
    find_unreadable_part,
    legacy_finish_reason,
    legacy_functions_as_tools,
    refuse_unhonoured,
)
from llmgw_reference.surfaces.chat_plan import ChatPlan, plan_chat
from llmgw_reference.surfaces.chat_tools import split_fragments
from llmgw_reference.surfaces.json_body import parse_validated, read_json_body, unsupported_field
from llmgw_reference.surfaces.runtime_access import (
    faults_of,
    heartbeat_ms_of,
    logprobs_available,
    principal_of,
    request_id_of,
    resolve_model,
    runtime_of,
)
from llmgw_reference.surfaces.task_runs import (
    ForwardedFrames,
    RunEnd,
    RunError,
    TextPiece,
    forwarded_items,
    run_items,
)


def _reject_unreadable_parts(body: dict[str, Any]) -> None:
    where = find_unreadable_part(body)
    if where is not None:
        raise unsupported_field(
            where, f"{where}: only text content parts are supported (no vision or audio input)"
        )


def openai_error_dict(err: ApiError) -> dict[str, Any]:
    """The OpenAI error object as sent inside a stream (``param`` and ``code`` always present)."""
    body = err.openai_body().model_dump(mode="json", exclude_none=True)
    body["error"].setdefault("param", None)
    body["error"].setdefault("code", None)
    return body


async def create_chat_completion(request: Request) -> Response | SSEResponse:
    """The route handler: every ``ApiError`` becomes an OpenAI-shaped error answer."""
    try:
        return await _handle(request)
    except ApiError as err:
        err.request_id = err.request_id or request_id_of(request)
        return openai_error_response(err)


async def _handle(request: Request) -> Response | SSEResponse:
    received_at = time.monotonic()
    body = await read_json_body(request, "ChatCompletionRequest", pre_check=_reject_unreadable_parts)
    refuse_unhonoured(body)
    body, legacy = legacy_functions_as_tools(body)
    chat = parse_validated(ChatCompletionRequest, body)
    runtime = runtime_of(request)
    catalog_model = resolve_model(request, chat.model, Workload.completion)
    adapters = list(getattr(catalog_model, "lora_adapters", None) or [])
    plan = replace(
        plan_chat(chat, adapters, logprobs_available=logprobs_available(runtime)), legacy_functions=legacy
    )
    requested_param = "max_completion_tokens" if chat.max_completion_tokens is not None else "max_tokens"
    setup = setup_for(runtime, plan, catalog_model, requested_param, received_at)
    header = chunks.ChunkHeader(f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), plan.model)
    principal = principal_of(request)
    if plan.stream and _forwardable(runtime, plan):
        token_frame = header.token_frame
        task_id = await submit_candidate(runtime, principal, setup, plan.seeds[0], token_frame)
        frames = _forwarded_frames(runtime, task_id, plan, setup, header)
        return SSEResponse(frames, faults=faults_of(request), heartbeat_ms=heartbeat_ms_of(request))
    if plan.stream:
        task_id = await submit_candidate(runtime, principal, setup, plan.seeds[0])
        frames = _stream_frames(runtime, task_id, plan, setup, header)
        return SSEResponse(frames, faults=faults_of(request), heartbeat_ms=heartbeat_ms_of(request))
    candidates = pick_best(await run_candidates(runtime, principal, setup, plan), plan.n)
    choices = []
    for index, candidate in enumerate(candidates):
        calls = tool_calls_for(plan, candidate.task_id, candidate.text)
        logprobs = (
            [chunks.token_logprob(t, plan.top_logprobs) for t in candidate.tokens] if plan.logprobs else None
        )
        finish = legacy_finish_reason(chat_finish_reason(candidate.finish_reason, bool(calls)), legacy)
        content = choice_content(plan, candidate.text)
        choices.append(
            chunks.completion_choice(index, content, finish, calls or None, logprobs, legacy_functions=legacy)
        )
    used = sum(c.completion_tokens for c in candidates)
    return JSONResponse(chunks.completion(header, choices, chunks.usage(setup.prompt_tokens, used)))


async def _stream_frames(
    runtime: Any, task_id: str, plan: ChatPlan, setup: TaskSetup, header: chunks.ChunkHeader
) -> AsyncIterator[SSEFrame]:
    """The chunk stream of one choice, then the usage chunk (if asked for), then ``[DONE]``."""
    with_tools = bool(plan.tool_calls)
    held = with_tools or plan.json_output  # the output exists only once all tokens are in
    first_delta: dict[str, Any] = (
        {"role": "assistant"} if with_tools else {"role": "assistant", "content": ""}
    )
    yield data_frame(header.chunk([chunks.chunk_choice(0, first_delta)]))
    text_parts: list[str] = []
    async with aclosing(
        run_items(runtime, task_id, stops=plan.stop, operation_id=OPERATION_ID, want_tokens=plan.logprobs)
    ) as items:
        async for item in items:
            if isinstance(item, TextPiece):
                text_parts.append(item.text)
                if not (item.text or item.token is not None):
                    continue
                logprobs = (
                    [chunks.token_logprob(item.token, plan.top_logprobs)] if item.token is not None else None
                )
                if held and logprobs is None:
                    continue
                if logprobs is None:  # the plain content chunk of one token
                    yield SSEFrame(data=header.content_chunk_json(item.text))
                    continue
                # Held output (tool calls, JSON) comes at the end; its tokens' logprobs come now.
                delta = {} if held else {"content": item.text}
                yield data_frame(header.chunk([chunks.chunk_choice(0, delta, logprobs=logprobs)]))
            elif isinstance(item, RunEnd) and item.finish_reason == "cancelled":
                # Never a fake `stop`: a task cancelled from elsewhere is an error of this stream.
                yield data_frame(openai_error_dict(_cancelled_error()))
            elif isinstance(item, RunEnd):
                for frame in _ending_frames(item, plan, setup, header, task_id, "".join(text_parts)):
                    yield frame
            elif isinstance(item, RunError):
                yield data_frame(openai_error_dict(item.error))
    yield data_frame("[DONE]")


def _forwardable(runtime: Any, plan: ChatPlan) -> bool:
    """Whether the stream's tokens can come framed from the worker and pass through unread: one
    content chunk per token, nothing the gateway must see in them (stop strings, logprobs, held
    tool-call or JSON output), and a runtime that forwards frames (a gateway without faults)."""
    forwards = getattr(runtime, "forwards_frames", None)
    simple = not (plan.stop or plan.logprobs or plan.tool_calls or plan.json_output)
    return simple and forwards is not None and bool(forwards())


async def _forwarded_frames(
    runtime: Any, task_id: str, plan: ChatPlan, setup: TaskSetup, header: chunks.ChunkHeader
) -> AsyncIterator[StreamItem]:
    """`_stream_frames` of a forwarded task: the same first chunk, the content chunks as the worker
    framed them (`header.token_frame`), and the same ending (built here, from the worker's count)."""
    yield data_frame(header.chunk([chunks.chunk_choice(0, {"role": "assistant", "content": ""})]))
    async with aclosing(forwarded_items(runtime, task_id, operation_id=OPERATION_ID)) as items:
        async for item in items:
            if isinstance(item, ForwardedFrames):
                yield item.data
            elif isinstance(item, RunEnd) and item.finish_reason == "cancelled":
                yield data_frame(openai_error_dict(_cancelled_error()))
            elif isinstance(item, RunEnd):
                for frame in _ending_frames(item, plan, setup, header, task_id, ""):
                    yield frame
            elif isinstance(item, RunError):
                yield data_frame(openai_error_dict(item.error))
    yield data_frame("[DONE]")


def _cancelled_error() -> ApiError:
    return ApiError(ErrorKind.INTERNAL, "the task was cancelled before it finished", status=502)


def _ending_frames(
    end: RunEnd, plan: ChatPlan, setup: TaskSetup, header: chunks.ChunkHeader, task_id: str, text: str
) -> list[SSEFrame]:
    frames: list[SSEFrame] = []
    calls = tool_calls_for(plan, task_id, text)
    if plan.json_output and not calls:
        for fragment in split_fragments(choice_content(plan, text)):
            frames.append(data_frame(header.chunk([chunks.chunk_choice(0, {"content": fragment})])))
    for index, call in enumerate(calls):
        fragments = split_fragments(call.arguments)
        deltas = (
            chunks.function_call_deltas(call.name, fragments)
            if plan.legacy_functions
            else [{"tool_calls": [d]} for d in chunks.tool_call_deltas(index, call.id, call.name, fragments)]
        )
        frames += [data_frame(header.chunk([chunks.chunk_choice(0, delta)])) for delta in deltas]
    finish = legacy_finish_reason(chat_finish_reason(end.finish_reason, bool(calls)), plan.legacy_functions)
    frames.append(data_frame(header.chunk([chunks.chunk_choice(0, {}, finish)])))
    record_tokens(setup.prompt_tokens, end.completion_tokens)  # the stream's bill (accounts/billing.py)
    if plan.include_usage:
        frames.append(data_frame(header.chunk([], chunks.usage(setup.prompt_tokens, end.completion_tokens))))
    return frames
