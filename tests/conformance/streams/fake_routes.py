# mypy: disable-error-code="no-any-return"
# (the helpers come from fake_target, which mypy run from the repository root cannot resolve)
"""The fake target's handlers (see fake_target.py): chat, models, native tasks, generate, capacity."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from fake_chat import answer_chat, refuse_chat  # type: ignore[import-not-found]
from fake_deadline import deadline_of, generate_deadline_end, next_token  # type: ignore[import-not-found]
from fake_target import MODEL, WORDS, Task, envelope, openai_error, sse  # type: ignore[import-not-found]
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

if TYPE_CHECKING:
    from fake_target import FakeTarget

Handler = Callable[[Request], Awaitable[Response]]
CAPS = {
    "api_version": "1.0",
    "engines": [{"engine": "vllm", "ctx_max": 4096, "supported_workloads": ["completion"]}],
    "profiles": ["tasks", "openai-chat", "openai-extended", "generate", "determinism"],
    "features": ["cancel", "deadlines", "n", "logprobs", "tools", "lora", "generate"],
    "limits": {"cancel_budget_ms": 100, "heartbeat_ms": 2000, "max_tokens": 2048},
}


async def _json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


async def capabilities(t: FakeTarget, request: Request) -> Response:
    return JSONResponse(CAPS)


async def models(t: FakeTarget, request: Request) -> Response:
    model: dict[str, Any] = {"id": MODEL, "object": "model", "created": 1, "owned_by": "test"}
    if t.has("models-bad-shape"):
        del model["owned_by"]
    ghost = [{"id": "ghost-model", "object": "model", "created": 1, "owned_by": "x"}]
    return JSONResponse({"object": "list", "data": [model, *(ghost if t.has("models-ghost") else [])]})


async def catalog(t: FakeTarget, request: Request) -> Response:
    return JSONResponse(
        {"data": [{"id": MODEL, "digest": "sha256:" + "0" * 64}], "next_cursor": None, "has_more": False}
    )


async def capacity(t: FakeTarget, request: Request) -> Response:
    active = sum(1 for task in t.tasks.values() if task.state == "running")
    return JSONResponse(
        {
            "gpu_count": 1,
            "models_loaded": 1,
            "configured_machine_profiles": [],
            "live_machine_profiles": [],
            "workers": [],
            "active_tasks": active,
            "queued_tasks": 0,
        }
    )


async def chat(t: FakeTarget, request: Request) -> Response:
    body = await _json(request)
    if not isinstance(body, dict):
        return openai_error(400, "body is not a JSON object", "invalid_json")
    if t.has("retry-after-missing") or t.has("retry-after-ok"):
        busy = openai_error(429, "too many requests", "admission_reject")
        if t.has("retry-after-ok"):
            busy.headers["Retry-After"] = "2"
        return busy
    refusal = refuse_chat(t, body)
    if refusal is not None:
        if body.get("stream") and t.has("chat-200-on-bad-stream"):
            return StreamingResponse(
                _once(sse(json.loads(bytes(refusal.body)))), media_type="text/event-stream"
            )
        return refusal
    if t.has("slow-headers") and body.get("stream"):
        await asyncio.sleep(0.5)  # before the response exists: the headers wait too
    return await answer_chat(t, body)


async def submit(t: FakeTarget, request: Request) -> Response:
    body = await _json(request)
    if not isinstance(body, dict) or "task_id" not in body:
        return envelope(400, "INVALID_PARAMS", "bad task")
    if body.get("model_ref") != MODEL:
        return envelope(404, "INVALID_PARAMS", "unknown model", "UNKNOWN_MODEL")
    t.tasks[body["task_id"]] = Task(body=body, submitted=time.monotonic())
    admission = {
        "task_id": body["task_id"],
        "queue_position": 0,
        "predicted_start_ms": 0,
        "backoff_ms": 0,
    }
    return JSONResponse(admission, 202, headers={"Location": f"/v1/tasks/{body['task_id']}"})


async def events(t: FakeTarget, request: Request) -> Response:
    task_id = request.path_params["task_id"]
    if task_id not in t.tasks:
        return envelope(404, "INVALID_PARAMS", "no such task", "NOT_FOUND")
    return StreamingResponse(t.native_events(task_id), media_type="text/event-stream")


async def get_task(t: FakeTarget, request: Request) -> Response:
    task = t.tasks.get(request.path_params["task_id"])
    if task is None:
        return envelope(404, "INVALID_PARAMS", "no such task", "NOT_FOUND")
    wait = int(request.query_params.get("wait_ms", "0")) / 1000
    stop = time.monotonic() + wait
    while task.state in ("queued", "running") and time.monotonic() < stop:
        await asyncio.sleep(0.01)
    return JSONResponse(_status(t, request.path_params["task_id"], task))


async def cancel(t: FakeTarget, request: Request) -> Response:
    task = t.tasks.get(request.path_params["task_id"])
    if task is None:
        return envelope(404, "INVALID_PARAMS", "no such task", "NOT_FOUND")
    if task.state in ("queued", "running"):
        task.cancel = True
    elif t.has("cancel-changes-finished"):
        task.state = "cancelled"
    return JSONResponse(_status(t, request.path_params["task_id"], task))


async def generate(t: FakeTarget, request: Request) -> Response:
    body = await _json(request)
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("max_new_tokens"), int)
        or body["max_new_tokens"] < 1
        or not 0 <= body.get("temperature", 0) <= 2
    ):
        if isinstance(body, dict) and body.get("stream") and t.has("gen-200-on-bad-stream"):
            return StreamingResponse(
                _once(sse({"code": "INVALID_PARAMS", "message": "bad"})), media_type="text/event-stream"
            )
        return envelope(400, "INVALID_PARAMS", "max_new_tokens must be an integer of at least 1")
    if request.path_params["model"] != MODEL:
        return envelope(404, "INVALID_PARAMS", "unknown model", "UNKNOWN_MODEL")
    count, reason = t.length(str(body.get("prompt", "")), body["max_new_tokens"])
    reason = "stop" if t.has("gen-stop-at-limit") else reason
    words = [w + " " for w in WORDS[:count]]
    usage = {"prompt_tokens": 3, "completion_tokens": count, "total_tokens": 3 + count}
    if not body.get("stream"):
        return JSONResponse({"model": MODEL, "text": "".join(words), "finish_reason": reason, "usage": usage})
    timing = (str(body.get("prompt", "")), deadline_of(t, body))
    return StreamingResponse(
        _generate_chunks(t, words, reason, usage, timing), media_type="text/event-stream"
    )


def routes(t: FakeTarget) -> list[tuple[str, str, Handler]]:
    """The fake's routes, each handler bound to this target."""
    return [
        ("GET", "/v1/capabilities", partial(capabilities, t)),
        ("GET", "/v1/models", partial(models, t)),
        ("GET", "/v1/catalog/models", partial(catalog, t)),
        ("GET", "/v1/capacity", partial(capacity, t)),
        ("POST", "/v1/chat/completions", partial(chat, t)),
        ("POST", "/v1/tasks", partial(submit, t)),
        ("GET", "/v1/tasks/{task_id}/events", partial(events, t)),
        ("GET", "/v1/tasks/{task_id}", partial(get_task, t)),
        ("POST", "/v1/tasks/{task_id}/cancel", partial(cancel, t)),
        ("POST", "/v1/generate/{model}", partial(generate, t)),
    ]


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _status(t: FakeTarget, task_id: str, task: Task) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "task_id": task_id,
        "state": task.state,
        "workload": "completion",
        "tokens_out": len(task.tokens),
    }
    if task.state == "succeeded":
        text = "".join(task.tokens) + ("!" if t.has("nat-result-text") else "")
        doc["result"] = {
            "kind": "completion",
            "text": text,
            "tokens_out": len(task.tokens),
            "finish_reason": task.finish,
        }
    if task.error:
        doc["error"] = task.error
    return doc


async def _generate_chunks(
    t: FakeTarget, words: list[str], reason: str, usage: dict[str, int], timing: tuple[str, float | None]
) -> AsyncIterator[bytes]:
    if t.has("gen-text-differs"):
        words = ["x ", *words[1:]]
    for seq, word in enumerate(words):
        if not await next_token(*timing):
            so_far = {**usage, "completion_tokens": seq, "total_tokens": usage["prompt_tokens"] + seq}
            for frame in generate_deadline_end(t, seq, so_far):
                yield frame
            return
        shown = seq + 1 if (t.has("gen-seq-gap") and seq >= 2) else seq
        yield sse({"request_id": "req-1", "seq": shown, "text_delta": word, "done": False})
    last: dict[str, Any] = {
        "request_id": "req-1",
        "seq": len(words) + (1 if t.has("gen-seq-gap") else 0),
        "text_delta": "",
        "done": True,
        "finish_reason": reason,
    }
    if not t.has("gen-no-usage"):
        last["usage"] = usage
    yield sse(last)
    if not t.has("gen-no-sentinel"):
        yield sse("[DONE]")
