"""A task's life after admission: running, and its one terminal transition.

Why one `terminate` function: every way a task ends (finished, cancelled, dropped, deadline,
failure) goes through it, so exactly one terminal event is emitted, the slot is freed at once,
timers are cancelled, the session is charged and the next queued task is started.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from typing import TYPE_CHECKING

from llmgw_generated.models.common import ErrorKind, KVHint, Workload
from llmgw_generated.models.data import (
    CompletionResult,
    EmbeddingResult,
    FinishReason,
    RerankItem,
    RerankResult,
    SSEError,
    SSEToken,
    TaskState,
    TaskStatus,
)
from llmgw_reference.errors import ApiError
from llmgw_reference.runtime.cluster import Worker
from llmgw_reference.runtime.records import TaskEvent, TaskRecord
from llmgw_reference.runtime.sessions import Session

if TYPE_CHECKING:
    from llmgw_reference.runtime.core import Runtime

EWMA_WEIGHT = 0.2


async def run(rt: Runtime, rec: TaskRecord, worker: Worker) -> None:
    """Generates the task's output on a slot of `worker`."""
    try:
        rec.started_at = time.monotonic()
        rec.emit(TaskEvent("metrics", rt.metrics_of(rec)))
        if rec.workload == Workload.completion:
            await _complete(rt, rec)
        else:
            await asyncio.sleep(rt.config.ttft_ms / 1000)
            rec.result = _compute_result(rt, rec)
            terminate(rt, rec, TaskState.succeeded, TaskEvent("end", rt.end_payload(rec, "stop")))
    except asyncio.CancelledError:
        if not rec.terminal:
            cancel_now(rt, rec)
    except ApiError as err:
        fail(rt, rec, err)
    except Exception:
        fail(rt, rec, ApiError(ErrorKind.INTERNAL, "Generation failed inside the server.", status=500))


async def _complete(rt: Runtime, rec: TaskRecord) -> None:
    session = rt.sessions.sessions.get(rec.session_id)
    cut = False
    async with contextlib.aclosing(rt.executor.tokens(rec)) as tokens:
        async for token in tokens:
            if rec.terminal:
                return
            if len(rec.tokens) >= rec.max_tokens:
                cut = True
                break
            if session is not None and session.tokens_left is not None and session.tokens_left <= 0:
                cut = True
                break
            if _time_budget_spent(session, rec):
                cut = True
                break
            if rt.faults.faults:  # free when no fault is active: this runs once per token
                await rt.faults.before_token(len(rec.tokens))
                if rec.terminal:
                    return
            if rec.first_token_at is None:
                rec.first_token_at = time.monotonic()
            rec.tokens.append(token)
            # Built from our own str and int: construct skips re-validating them once per token.
            rec.emit(TaskEvent("token", SSEToken.model_construct(t=token.text, i=len(rec.tokens) - 1)))
            if session is not None and session.tokens_left is not None:
                session.tokens_left -= 1
    if rec.terminal:
        return
    finish = "length" if cut else rec.planned_finish
    rec.emit(TaskEvent("metrics", rt.metrics_of(rec)))
    rec.result = CompletionResult(
        kind="completion",
        text="".join(t.text for t in rec.tokens),
        tokens_out=len(rec.tokens),
        finish_reason=FinishReason(finish),
    ).model_dump(mode="json")
    terminate(rt, rec, TaskState.succeeded, TaskEvent("end", rt.end_payload(rec, finish)))


def _time_budget_spent(session: Session | None, rec: TaskRecord) -> bool:
    if session is None or session.time_left_ms is None or rec.started_at is None:
        return False
    return (time.monotonic() - rec.started_at) * 1000 >= session.time_left_ms


def _compute_result(rt: Runtime, rec: TaskRecord) -> dict[str, object]:
    inputs = [i.root for i in rec.request.inputs or []]
    if rec.workload == Workload.embedding:
        vectors = [rt.engine.embed(model=rec.model_id, text=text) for text in inputs]
        return EmbeddingResult(kind="embedding", embeddings=vectors).model_dump(mode="json")
    query = rec.request.prompt or ""
    scored = [
        RerankItem(index=n, score=rt.engine.rerank_score(model=rec.model_id, query=query, document=doc))
        for n, doc in enumerate(inputs)
    ]
    scored.sort(key=lambda item: (-item.score, item.index))
    return RerankResult(kind="rerank", ranking=scored).model_dump(mode="json")


def terminate(rt: Runtime, rec: TaskRecord, state: TaskState, event: TaskEvent) -> None:
    """The one terminal transition of a task (a second call does nothing)."""
    if rec.terminal:
        return
    rec.state = state
    rec.finish_reason = getattr(event.payload, "finish_reason", None) or (
        "error" if event.name == "error" else None
    )
    rec.ended_at = time.monotonic()
    rec.emit(event)
    queue = rt.queues.get(rec.pool_id, [])
    if rec in queue:
        queue.remove(rec)
    worker = rt.worker_of(rec)
    if worker is not None:
        worker.active.discard(rec.task_id)
    for timer in rec.timers:
        timer.cancel()
    rec.timers.clear()
    if rec.runner is not None and rec.runner is not asyncio.current_task():
        rec.runner.cancel()
    _charge_session(rt, rec)
    if rec.started_at is not None and state == TaskState.succeeded:
        took = (rec.ended_at - rec.started_at) * 1000
        rt.avg_service_ms = (1 - EWMA_WEIGHT) * rt.avg_service_ms + EWMA_WEIGHT * took
    rec.done.set()
    loop = asyncio.get_running_loop()
    loop.call_later(rt.config.task_retention_s, _forget, rt, rec)
    rt.dispatch()


def _forget(rt: Runtime, rec: TaskRecord) -> None:
    if rt.tasks.get(rec.task_id) is rec:
        del rt.tasks[rec.task_id]


def _charge_session(rt: Runtime, rec: TaskRecord) -> None:
    session = rt.sessions.sessions.get(rec.session_id)
    if session is None:
        return
    session.active_tasks = max(0, session.active_tasks - 1)
    session.turns += 1
    session.touch()
    used_tokens = rec.prompt_tokens + len(rec.tokens)
    if session.time_left_ms is not None and rec.started_at is not None:
        session.time_left_ms = max(
            0.0, session.time_left_ms - ((rec.ended_at or time.monotonic()) - rec.started_at) * 1000
        )
    if session.cost_left is not None:
        session.cost_left = max(0.0, session.cost_left - used_tokens / 1000)
    kv = used_tokens * rt.config.kv_bytes_per_token
    if rec.request.kv_hint == KVHint.reuse:
        session.kv_bytes = session.kv_bytes + kv if session.kv_warmth else kv
        session.kv_warmth = True
    else:
        session.kv_bytes = kv
        session.kv_warmth = False


def cancel_now(rt: Runtime, rec: TaskRecord) -> None:
    """Cancels at once: the stream ends with `end` finish_reason cancelled and the slot is freed."""
    terminate(rt, rec, TaskState.cancelled, TaskEvent("end", rt.end_payload(rec, "cancelled")))


def fail(rt: Runtime, rec: TaskRecord, err: ApiError) -> None:
    """Ends the task with an `error` event carrying the error's code, reason and policy label."""
    rec.error = err.envelope()
    payload = SSEError(
        code=err.code,
        message=err.message,
        reason=err.reason,
        retriable=True if err.retriable else None,
        policy_label=err.policy_label,
    )
    terminate(rt, rec, TaskState.failed, TaskEvent("error", payload))


def drop_lru(rt: Runtime, rec: TaskRecord) -> None:
    """Drops a queued batch task to admit a newer one (policy drop_lru)."""
    fail(
        rt,
        rec,
        ApiError(
            ErrorKind.QUEUE_FULL_DROP_LRU,
            "Dropped from the full admission queue for a newer task (least recently used batch task).",
            status=429,
            retry_after_ms=max(1, math.ceil(rt.avg_service_ms)),
            policy_label="drop_lru",
        ),
    )


def deadline_passed(rt: Runtime, rec: TaskRecord) -> None:
    if not rec.terminal:
        fail(
            rt,
            rec,
            ApiError(ErrorKind.DEADLINE_UNMET, "The task did not finish before its deadline.", status=504),
        )


def attach_timed_out(rt: Runtime, rec: TaskRecord) -> None:
    if not rec.terminal and not rec.ever_attached:
        cancel_now(rt, rec)


def status_of(rt: Runtime, rec: TaskRecord) -> TaskStatus:
    body: dict[str, object] = {
        "task_id": rec.task_id,
        "state": rec.state,
        "workload": rec.workload,
        "session_id": rec.session_id,
        "pool_id": rec.pool_id,
        "worker_id": rec.worker_id,
        "queue_position": rt.queue_position(rec),
        "tokens_out": len(rec.tokens),
    }
    if rec.state == TaskState.succeeded and rec.result is not None:
        body["result"] = rec.result
    if rec.state == TaskState.failed and rec.error is not None:
        body["error"] = rec.error.model_dump(mode="json", exclude_none=True)
    return TaskStatus.model_validate(body)
