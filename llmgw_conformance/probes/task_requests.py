"""Building native task requests and reading their answers, shared by the task-related checks.

Why: tasks, backpressure, pools, sessions, embeddings and rerank checks all submit TaskRequests;
one builder keeps every one of them valid against the contract (all required fields, ``ctx`` under
the engine's ``ctx_max``, ``max_tokens`` capped by the run's option) so that a refusal observed by a
check is the target's doing, not a malformed probe.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response, StreamResult
from llmgw_conformance.probes.answer_problems import judge_problems
from llmgw_conformance.probes.error_rules import field_map, parse_json_object
from llmgw_conformance.probes.target_claims import engine_ctx_max, model_for, new_uuid
from llmgw_conformance.probes.verdicts import Verdicts

DEFAULT_DEADLINE_MS = 60_000


def task_body(
    ctx: CheckContext,
    *,
    workload: str = "completion",
    prompt: str | None = "Write one short sentence about rivers.",
    inputs: list[str] | None = None,
    max_tokens: int | None = None,
    deadline_ms: int = DEFAULT_DEADLINE_MS,
    priority: str = "interactive",
    session_id: str | None = None,
    context_tokens: int | None = None,
    ctx_ceiling: int | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A valid TaskRequest with fresh ids; ``extra`` adds or overrides fields.

    The one builder of task requests: the control checks (tasks, backpressure, pools, sessions,
    embeddings, rerank, ...) take its defaults; the native stream checks pass their own explicitly
    (``prompt=SHORT_PROMPT`` or ``LONG_PROMPT`` and ``ctx_ceiling=smallest_ctx_max(ctx)``, from
    :mod:`llmgw_conformance.probes.native_tasks`).

    ``context_tokens`` sets the request's ``ctx`` field (named apart from the check context).
    ``ctx_ceiling`` is the context size the task must fit under (default: the target engine's
    ``ctx_max``, 512 when it declares none): ``ctx`` is at most this, ``max_tokens`` at most this less 64.
    """
    ctx_max = ctx_ceiling if ctx_ceiling is not None else engine_ctx_max(ctx) or 512
    requested = max_tokens if max_tokens is not None else ctx.options.max_tokens
    tokens = max(1, min(requested, max(ctx_max - 64, 1)))
    body: dict[str, Any] = {
        "task_id": new_uuid(),
        "session_id": session_id or new_uuid(),
        "workload": workload,
        "model_ref": ctx.target.model,
        "engine": ctx.target.engine or "vllm",
        "ctx": context_tokens if context_tokens is not None else min(ctx_max, 256 + tokens),
        "priority": priority,
        "max_tokens": tokens,
        "deadline_ms": deadline_ms,
    }
    if prompt is not None:
        body["prompt"] = prompt
    if inputs is not None:
        body["inputs"] = inputs
    body.update(extra)
    return body


def submit(ctx: CheckContext, body: dict[str, Any]) -> Response:
    """POST /v1/tasks."""
    return ctx.request("POST", "/v1/tasks", json=body)


def events_of(ctx: CheckContext, task_id: str) -> StreamResult:
    """Read the native stream of a task (bounded by the suite's limits)."""
    return ctx.stream("GET", f"/v1/tasks/{task_id}/events")


def wait_task(
    ctx: CheckContext, task_id: str, wait_ms: int = 10_000
) -> tuple[Response, dict[str, Any] | None]:
    """GET /v1/tasks/{id}?wait_ms=..., returning the answer and its JSON object (None if not JSON)."""
    response = ctx.request("GET", f"/v1/tasks/{task_id}", params={"wait_ms": wait_ms})
    return response, parse_json_object(response.text or "")


def succeeded_task(
    ctx: CheckContext,
    verdicts: Verdicts,
    requirement: str,
    workload: str,
    prompt: str | None,
    inputs: list[Any],
) -> tuple[Response, Mapping[str, Any]] | None:
    """One native ``workload`` task on a model that serves it, waited for: its answer and result object.

    None once ``requirement`` is marked skipped: the task was not admitted, or did not succeed within
    the wait (the embedding and rerank result checks judge only a succeeded task's result).
    """
    model, engine = model_for(ctx, workload)
    body = task_body(
        ctx, workload=workload, prompt=prompt, inputs=inputs, model_ref=model, engine=engine or "vllm"
    )
    admitted = submit(ctx, body)
    if admitted.status != 202:
        verdicts.skip(requirement, f"the {workload} task was not admitted ({admitted.status})")
        return None
    response, status = wait_task(ctx, str(body["task_id"]))
    if status is None or status.get("state") != "succeeded":
        text = (response.text or "")[:120]
        verdicts.skip(requirement, f"the {workload} task did not succeed within the wait ({text})")
        return None
    return response, field_map(status, "result")


def judge_task_result(
    ctx: CheckContext,
    verdicts: Verdicts,
    requirement: str,
    task: tuple[str, str | None, list[Any]],
    problems_of: Callable[[Mapping[str, Any]], list[str]],
) -> None:
    """Run one native ``task`` = (workload, prompt, inputs) to success (:func:`succeeded_task`) and
    judge its result object: ``requirement`` holds when ``problems_of`` finds no problem in it."""
    ran = succeeded_task(ctx, verdicts, requirement, *task)
    if ran is not None:
        response, result = ran
        judge_problems(verdicts, requirement, response, problems_of(result))


def stream_event_payloads(result: StreamResult) -> list[tuple[str, Any]]:
    """``(event name, parsed data or None)`` for each event of a native stream."""
    out: list[tuple[str, Any]] = []
    for event in result.transcript.events:
        parsed = parse_json_object(event.data)
        out.append((event.event, parsed))
    return out


def terminal_events(result: StreamResult) -> list[tuple[str, Any]]:
    """The ``end`` and ``error`` events of a native stream, in order."""
    return [(name, data) for name, data in stream_event_payloads(result) if name in ("end", "error")]
