"""The fake gateway's data plane: native tasks and stream, embeddings, rerank, generate, models, chat."""

from __future__ import annotations

import base64
import json
import re
import struct
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.conformance.control.control_fake_runtime import finish_other, place, rank, run_stream, vector
from tests.conformance.control.control_fake_state import (
    DATA_MAX_BYTES,
    QUEUE_CAPACITY,
    GatewayState,
    Task,
    contract_errors,
    error,
    json_body,
    openai_error,
)

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def model_problem(s: GatewayState, model_id: str, openai: bool = False) -> Response | None:
    """The refusal for a model that is unknown, Retired, loading or broken (None when servable)."""
    model = s.models.get(model_id)
    if model is None:
        if openai:
            return openai_error(404, "invalid_request_error", "unknown model", "unknown_model")
        return error(404, "INVALID_PARAMS", "unknown model", reason="UNKNOWN_MODEL", faults=s.faults)
    if model["state"] == "Retired" and "retired-served" not in s.faults:
        if openai:
            return openai_error(410, "invalid_request_error", "model retired", "model_deprecated")
        return error(410, "MODEL_DEPRECATED", "model retired", faults=s.faults)
    if model_id in s.loading_until:
        if time.monotonic() < s.loading_until[model_id]:
            return error(
                503, "POOL_UNREADY", "loading", reason="MODEL_LOADING", retry_after_ms=300, faults=s.faults
            )
        artifact = s.artifacts.get(model_id, b"")
        try:
            loadable = json.loads(artifact).get("format") == "synthetic-model"
        except (ValueError, AttributeError):
            loadable = False
        if not loadable:
            if "load-fail-500" in s.faults:
                return error(500, "INTERNAL", "cannot load", faults=s.faults)
            return error(502, "INTERNAL", "cannot load", reason="MODEL_LOAD_FAILED", faults=s.faults)
    return None


async def submit(request: Request, s: GatewayState) -> Response:
    if "crash-on-bad-input" in s.faults and b"conformance_unknown_field" in await request.body():
        return Response("Internal Server Error", status_code=500)
    body, problem = await json_body(
        request, s, "TaskRequest", max_bytes=DATA_MAX_BYTES, lenient_fault="accept-invalid"
    )
    if problem is not None:
        return problem
    if not UUID.match(body["task_id"]) or not UUID.match(body["session_id"]):
        return error(400, "INVALID_PARAMS", "ids must be UUIDs", faults=s.faults)
    if body["task_id"] in s.tasks and "duplicate-accepted" not in s.faults:
        return error(409, "INVALID_PARAMS", "task id already used", reason="CONFLICT", faults=s.faults)
    if body["ctx"] > 2048 and "accept-invalid" not in s.faults:
        return error(400, "INVALID_PARAMS", "ctx above ctx_max", faults=s.faults)
    refused = model_problem(s, body["model_ref"])
    if refused is not None:
        return refused
    placement = body.get("placement") or {}
    pool_id, refused = place(s, placement)
    if refused is not None:
        return refused
    if body["deadline_ms"] < 5 and "deadline-ignored" not in s.faults:
        return error(504, "DEADLINE_UNMET", "the deadline cannot be met", faults=s.faults)
    session = s.session(body["session_id"], create=True) or {}
    if session.get("tokens_budget") == 0 and "budget-unenforced" not in s.faults:
        return error(
            429,
            "ADMISSION_REJECT",
            "session budget spent",
            reason="BUDGET_EXHAUSTED",
            policy_label="session-budget",
            faults=s.faults,
        )
    if body["workload"] == "completion" and len(s.queued()) >= QUEUE_CAPACITY and "unbounded" not in s.faults:
        victims = [t for t in s.queued() if t.body["priority"] == "batch"]
        if body["priority"] != "interactive" or not victims:
            return error(
                429,
                "ADMISSION_REJECT",
                "queue full",
                retry_after_ms=1500,
                policy_label="fifo-cap",
                faults=s.faults,
            )
        victims[-1].state, victims[-1].dropped = "failed", True
    task = Task(body=body, pool_id=pool_id, seq=s.next_seq())
    if "priority-ignored" in s.faults:
        task.body = dict(body, priority="batch")
    s.tasks[body["task_id"]] = task
    if body["workload"] != "completion":
        finish_other(task, 1 if "task-result-wrong" in s.faults else 0)
    headers = {} if "no-location" in s.faults else {"Location": f"/v1/tasks/{body['task_id']}"}
    answer = {
        "task_id": body["task_id"],
        "queue_position": s.position(task),
        "predicted_start_ms": 0,
        "backoff_ms": 0,
        "pool_id": pool_id,
    }
    if "wrong-task-id" in s.faults:
        answer["task_id"] = "other"
    return JSONResponse(answer, status_code=202, headers=headers)


async def get_task(request: Request, s: GatewayState) -> Response:
    task = s.tasks.get(request.path_params["task_id"])
    if task is None:
        return error(404, "INVALID_PARAMS", "no such task", reason="NOT_FOUND", faults=s.faults)
    status: dict[str, Any] = {
        "task_id": task.body["task_id"],
        "state": task.state,
        "workload": task.body["workload"],
        "session_id": task.body["session_id"],
        "pool_id": task.pool_id,
        "tokens_out": task.tokens_out,
        "queue_position": s.position(task) if task.state == "queued" else None,
    }
    if task.result is not None:
        status["result"] = task.result
    return JSONResponse(status)


async def events(request: Request, s: GatewayState) -> Response:
    task = s.tasks.get(request.path_params["task_id"])
    if task is None:
        return error(404, "INVALID_PARAMS", "no such task", reason="NOT_FOUND", faults=s.faults)
    return StreamingResponse(run_stream(s, task), media_type="text/event-stream")


async def cancel(request: Request, s: GatewayState) -> Response:
    task = s.tasks.get(request.path_params["task_id"])
    if task is None:
        return error(404, "INVALID_PARAMS", "no such task", reason="NOT_FOUND", faults=s.faults)
    if task.state in ("queued", "running"):
        task.state = "cancelled"
    return JSONResponse(
        {"task_id": task.body["task_id"], "state": task.state, "workload": task.body["workload"]}
    )


async def embeddings(request: Request, s: GatewayState) -> Response:
    body, problem = await json_body(
        request, s, "EmbeddingsRequest", max_bytes=DATA_MAX_BYTES, lenient_fault="accept-invalid"
    )
    if problem is not None:
        return problem
    refused = model_problem(s, body["model"], openai=True)
    if refused is not None:
        return refused
    texts = [body["input"]] if isinstance(body["input"], str) else body["input"]
    data = []
    for i, text in enumerate(texts):
        vec: Any = vector(text)
        if body.get("encoding_format") == "base64":
            order = ">" if "emb-base64-wrong" in s.faults else "<"
            vec = base64.b64encode(struct.pack(f"{order}{len(vec)}f", *vec)).decode()
        data.append({"object": "embedding", "index": i, "embedding": vec})
    if "emb-reversed" in s.faults:
        data = [dict(d, embedding=data[-1 - i]["embedding"]) for i, d in enumerate(data)]
    tokens = sum(len(t.split()) for t in texts)
    usage = {"prompt_tokens": tokens, "total_tokens": tokens + (1 if "emb-usage" in s.faults else 0)}
    return JSONResponse({"object": "list", "data": data, "model": body["model"], "usage": usage})


async def rerank(request: Request, s: GatewayState) -> Response:
    body, problem = await json_body(
        request, s, "RerankRequest", max_bytes=DATA_MAX_BYTES, lenient_fault="accept-invalid"
    )
    if problem is not None:
        return problem
    refused = model_problem(s, body["model"], openai=True)
    if refused is not None:
        return refused
    ranked = rank(body["query"], body["documents"], reverse="rerank-unsorted" not in s.faults)
    results = [{"index": i, "relevance_score": score} for i, score in ranked][: body.get("top_n")]
    return JSONResponse({"model": body["model"], "results": results, "usage": {"total_tokens": 10}})


async def generate(request: Request, s: GatewayState) -> Response:
    model_id = request.path_params["model"]
    if "generate-missing" in s.faults:
        return error(404, "INVALID_PARAMS", "no such path", reason="NOT_FOUND", faults=s.faults)
    if "accept-invalid" in s.faults:  # answers 200 to anything, invalid or not
        usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
        return JSONResponse({"model": model_id, "text": "w0 ", "finish_reason": "stop", "usage": usage})
    body, problem = await json_body(
        request, s, "GenerateRequest", max_bytes=DATA_MAX_BYTES, lenient_fault="accept-invalid"
    )
    if problem is not None:
        return problem
    refused = model_problem(s, model_id)
    if refused is not None:
        return refused
    n = min(body["max_new_tokens"], 3)
    text = "".join(f"w{i} " for i in range(n))
    usage = {"prompt_tokens": 2, "completion_tokens": n, "total_tokens": 2 + n}
    reason = "length" if n == body["max_new_tokens"] else "stop"
    if body.get("stream"):

        async def chunks() -> AsyncIterator[bytes]:
            for i in range(n):
                chunk = {"request_id": "g1", "seq": i, "text_delta": f"w{i} ", "done": False}
                yield f"data: {json.dumps(chunk)}\n\n".encode()
            last = {
                "request_id": "g1",
                "seq": n,
                "text_delta": "",
                "done": True,
                "finish_reason": reason,
                "usage": usage,
            }
            yield f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n".encode()

        return StreamingResponse(chunks(), media_type="text/event-stream")
    result = {"model": model_id, "text": text, "finish_reason": reason, "usage": usage}
    if "schema-bad" in s.faults:
        del result["usage"]
    return JSONResponse(result, media_type="text/plain" if "content-type-text" in s.faults else None)


async def models(request: Request, s: GatewayState) -> Response:
    data = [
        {"id": k, "object": "model", "created": 1, "owned_by": "fake"}
        for k, m in sorted(s.models.items())
        if m["state"] == "Active" or "retired-served" in s.faults
    ]
    return JSONResponse({"object": "list", "data": data})


async def chat(request: Request, s: GatewayState) -> Response:
    if "openai-traceback" in s.faults:
        trace = 'Traceback (most recent call last):\n  File "/srv/chat.py", line 9, in create'
        return openai_error(400, "invalid_request_error", trace, None)
    try:
        body = json.loads(await request.body())
    except ValueError:
        return openai_error(400, "invalid_request_error", "not JSON", None)
    if not isinstance(body, dict) or contract_errors("ChatCompletionRequest", body):
        return openai_error(400, "invalid_request_error", "invalid request", "invalid_params")
    refused = model_problem(s, body["model"], openai=True)
    if refused is not None:
        return refused
    message = {"role": "assistant", "content": "w0 "}
    return JSONResponse(
        {
            "id": "c1",
            "object": "chat.completion",
            "created": 1,
            "model": body["model"],
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    )


def data_routes(state: GatewayState, guarded: Callable[..., Any]) -> list[Route]:
    """Every data-plane route of the fake; ``guarded`` adds the key check."""

    def r(path: str, handler: Any, methods: list[str], openai: bool = False) -> Route:
        return Route(path, guarded(state, "inference", handler, openai), methods=methods)

    return [
        r("/v1/tasks", submit, ["POST"]),
        r("/v1/tasks/{task_id}", get_task, ["GET"]),
        r("/v1/tasks/{task_id}/events", events, ["GET"]),
        r("/v1/tasks/{task_id}/cancel", cancel, ["POST"]),
        r("/v1/embeddings", embeddings, ["POST"], openai=True),
        r("/v1/rerank", rerank, ["POST"], openai=True),
        r("/v1/generate/{model}", generate, ["POST"]),
        r("/v1/models", models, ["GET"], openai=True),
        r("/v1/chat/completions", chat, ["POST"], openai=True),
    ]
