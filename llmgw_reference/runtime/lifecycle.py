"""A task's life after admission: the queues and slots, running, and its one terminal transition.

Why a class of its own under `Runtime`: admission and reading (`core.Runtime`) build on the
scheduler, never the other way round; this module does not know the `Runtime` subclass. Why one
`terminate` method: every way a task ends (finished, cancelled, dropped, deadline, failure) goes
through it, so exactly one terminal event is emitted, the slot is freed at once, timers are
cancelled, the session is charged and the next queued task is started.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from typing import cast

from llmgw_generated.models.common import ErrorKind, KVHint, Priority, Workload
from llmgw_generated.models.data import (
    CompletionResult,
    EmbeddingResult,
    FinishReason,
    RerankItem,
    RerankResult,
    SSEEnd,
    SSEError,
    SSEMetrics,
    SSEToken,
    TaskState,
    TaskStatus,
)
from llmgw_reference.config import Config
from llmgw_reference.engine import SyntheticEngine
from llmgw_reference.errors import ApiError
from llmgw_reference.faults import FaultSet
from llmgw_reference.runtime.cluster import Cluster, Worker
from llmgw_reference.runtime.execution import Executor, FrameForwarder, LocalExecutor
from llmgw_reference.runtime.records import TaskEvent, TaskRecord
from llmgw_reference.runtime.sessions import Session, SessionStore

EWMA_WEIGHT = 0.2
TYPICAL_TOKENS = 26  # mean natural length of the synthetic engine (4..48)


class TaskLifecycle:
    """Queues, worker slots and each admitted task's run to its one terminal event."""

    def __init__(self, config: Config, faults: FaultSet | None = None, engine: SyntheticEngine | None = None):
        self.config = config
        self.faults = faults or FaultSet()
        self.engine = engine or SyntheticEngine()
        self.cluster = Cluster(config)
        self.sessions = SessionStore(config.session_ttl_ms)
        self.tasks: dict[str, TaskRecord] = {}
        self.queues: dict[str, list[TaskRecord]] = {}
        self.executor: Executor = LocalExecutor(self.engine, config)
        tps = config.tokens_per_s if config.tokens_per_s > 0 else 1000.0
        self.avg_service_ms = config.ttft_ms + TYPICAL_TOKENS * 1000 / tps

    def forwards_frames(self) -> bool:
        """Whether a surface may ask for its tokens framed (`TaskRecord.token_frame`): only where
        they come from a worker, and only without a fault (the faults judge single tokens)."""
        return self._frame_forwarder() is not None and not self.faults.faults

    def _frame_forwarder(self) -> FrameForwarder | None:
        # Not isinstance(): a runtime_checkable Protocol's check walks its attributes each time,
        # and this runs once per chat request.
        return cast(FrameForwarder, self.executor) if hasattr(self.executor, "frames") else None

    def dispatch(self) -> None:
        """Starts queued tasks on free slots: interactive before batch, oldest first."""
        for pool_id, queue in list(self.queues.items()):
            if pool_id not in self.cluster.pools:
                for rec in list(queue):
                    self.fail(
                        rec,
                        ApiError(ErrorKind.REPLICA_EXHAUSTED, f"Pool {pool_id!r} was deleted.", status=503),
                    )
                continue
            while queue:
                picked: tuple[TaskRecord, Worker] | None = None
                for rec in sorted(queue, key=lambda r: (r.priority != Priority.interactive, r.seq)):
                    mask = rec.request.placement.require_device_mask if rec.request.placement else None
                    free = [w for w in self.cluster.usable_workers(pool_id, mask) if w.free_slots > 0]
                    if free:
                        picked = (rec, max(free, key=lambda w: w.free_slots))
                        break
                if picked is None:
                    break
                rec, worker = picked
                queue.remove(rec)
                worker.active.add(rec.task_id)
                rec.worker_id = worker.id
                rec.state = TaskState.running
                rec.runner = asyncio.get_running_loop().create_task(self.run(rec, worker))

    def worker_of(self, rec: TaskRecord) -> Worker | None:
        return next((w for w in self.cluster.workers if w.id == rec.worker_id), None)

    def queue_position(self, rec: TaskRecord) -> int | None:
        queue = self.queues.get(rec.pool_id, [])
        if rec not in queue:
            return None
        ordered = sorted(queue, key=lambda r: (r.priority != Priority.interactive, r.seq))
        return ordered.index(rec)

    def metrics_of(self, rec: TaskRecord) -> SSEMetrics:
        session = self.sessions.sessions.get(rec.session_id)
        elapsed_ms = (time.monotonic() - rec.received_at) * 1000
        tps = self.config.tokens_per_s or 1000.0
        remaining = max(0, rec.max_tokens - len(rec.tokens)) * 1000 / tps
        on_time = 0.99 if elapsed_ms + remaining <= rec.request.deadline_ms else 0.05
        return SSEMetrics(
            on_time_probability=on_time,
            queue_depth=len(self.queues.get(rec.pool_id, [])),
            kv_warmth=session.kv_warmth if session else False,
            tokens_budget_remaining=None
            if session is None or session.tokens_left is None
            else max(0, session.tokens_left),
            time_budget_remaining_ms=None
            if session is None or session.time_left_ms is None
            else max(0, int(session.time_left_ms)),
            cost_budget_remaining=None
            if session is None or session.cost_left is None
            else max(0.0, session.cost_left),
        )

    def end_payload(self, rec: TaskRecord, finish_reason: str) -> SSEEnd:
        now = time.monotonic()
        started = rec.started_at or now
        ttft = None if rec.first_token_at is None else int((rec.first_token_at - rec.received_at) * 1000)
        return SSEEnd.model_validate(
            {
                "tokens_out": rec.tokens_out,
                "decode_ms": max(0, int((now - started) * 1000)) if rec.started_at else 0,
                "finish_reason": finish_reason,
                "prompt_tokens": rec.prompt_tokens,
                "ttft_ms": ttft,
            }
        )

    async def run(self, rec: TaskRecord, worker: Worker) -> None:
        """Generates the task's output on a slot of `worker`."""
        try:
            rec.started_at = time.monotonic()
            rec.emit(TaskEvent("metrics", self.metrics_of(rec)))
            if rec.workload == Workload.completion:
                await self._complete(rec)
            else:
                await asyncio.sleep(self.config.ttft_ms / 1000)
                rec.result = self._compute_result(rec)
                self.terminate(rec, TaskState.succeeded, TaskEvent("end", self.end_payload(rec, "stop")))
        except asyncio.CancelledError:
            if not rec.terminal:
                self.cancel_now(rec)
        except ApiError as err:
            self.fail(rec, err)
        except Exception:
            self.fail(rec, ApiError(ErrorKind.INTERNAL, "Generation failed inside the server.", status=500))

    async def _forward_frames(self, rec: TaskRecord, executor: FrameForwarder) -> None:
        """A completion whose worker frames its tokens: each read of them is one `frames` event.

        The worker enforces `max_tokens`; a chat task's session is its own, without budgets
        (`forwards_frames` is only offered to such tasks), so nothing here is per token.
        """
        async with contextlib.aclosing(executor.frames(rec)) as blobs:
            async for blob in blobs:
                if rec.terminal:
                    return
                if rec.first_token_at is None:
                    rec.first_token_at = time.monotonic()
                rec.emit(TaskEvent("frames", blob))
        if rec.terminal:
            return
        rec.emit(TaskEvent("metrics", self.metrics_of(rec)))
        # The text went to the one stream that asked for frames without being decoded here; no
        # client holds this task's id (a chat stream's task is internal), so no status shows it.
        finish = FinishReason(rec.planned_finish)
        rec.result = CompletionResult(
            kind="completion", text="", tokens_out=rec.tokens_out, finish_reason=finish
        ).model_dump(mode="json")
        self.terminate(rec, TaskState.succeeded, TaskEvent("end", self.end_payload(rec, rec.planned_finish)))

    async def _complete(self, rec: TaskRecord) -> None:
        forwarder = self._frame_forwarder() if rec.token_frame is not None else None
        if forwarder is not None:
            await self._forward_frames(rec, forwarder)
            return
        session = self.sessions.sessions.get(rec.session_id)
        cut = False
        async with contextlib.aclosing(self.executor.tokens(rec)) as tokens:
            async for token in tokens:
                if rec.terminal:
                    return
                if len(rec.tokens) >= rec.max_tokens:
                    cut = True
                    break
                if session is not None and session.tokens_left is not None and session.tokens_left <= 0:
                    cut = True
                    break
                if self._time_budget_spent(session, rec):
                    cut = True
                    break
                if self.faults.faults:  # free when no fault is active: this runs once per token
                    await self.faults.before_token(len(rec.tokens))
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
        rec.emit(TaskEvent("metrics", self.metrics_of(rec)))
        rec.result = CompletionResult(
            kind="completion",
            text="".join(t.text for t in rec.tokens),
            tokens_out=len(rec.tokens),
            finish_reason=FinishReason(finish),
        ).model_dump(mode="json")
        self.terminate(rec, TaskState.succeeded, TaskEvent("end", self.end_payload(rec, finish)))

    @staticmethod
    def _time_budget_spent(session: Session | None, rec: TaskRecord) -> bool:
        if session is None or session.time_left_ms is None or rec.started_at is None:
            return False
        return (time.monotonic() - rec.started_at) * 1000 >= session.time_left_ms

    def _compute_result(self, rec: TaskRecord) -> dict[str, object]:
        inputs = [i.root for i in rec.request.inputs or []]
        if rec.workload == Workload.embedding:
            vectors = [self.engine.embed(model=rec.model_id, text=text) for text in inputs]
            return EmbeddingResult(kind="embedding", embeddings=vectors).model_dump(mode="json")
        query = rec.request.prompt or ""
        scored = [
            RerankItem(index=n, score=self.engine.rerank_score(model=rec.model_id, query=query, document=doc))
            for n, doc in enumerate(inputs)
        ]
        scored.sort(key=lambda item: (-item.score, item.index))
        return RerankResult(kind="rerank", ranking=scored).model_dump(mode="json")

    def terminate(self, rec: TaskRecord, state: TaskState, event: TaskEvent) -> None:
        """The one terminal transition of a task (a second call does nothing)."""
        if rec.terminal:
            return
        rec.state = state
        rec.finish_reason = getattr(event.payload, "finish_reason", None) or (
            "error" if event.name == "error" else None
        )
        rec.ended_at = time.monotonic()
        rec.emit(event)
        queue = self.queues.get(rec.pool_id, [])
        if rec in queue:
            queue.remove(rec)
        worker = self.worker_of(rec)
        if worker is not None:
            worker.active.discard(rec.task_id)
        for timer in rec.timers:
            timer.cancel()
        rec.timers.clear()
        if rec.runner is not None and rec.runner is not asyncio.current_task():
            rec.runner.cancel()
        self._charge_session(rec)
        if rec.started_at is not None and state == TaskState.succeeded:
            took = (rec.ended_at - rec.started_at) * 1000
            self.avg_service_ms = (1 - EWMA_WEIGHT) * self.avg_service_ms + EWMA_WEIGHT * took
        rec.done.set()
        loop = asyncio.get_running_loop()
        loop.call_later(self.config.task_retention_s, self._forget, rec)
        self.dispatch()

    def _forget(self, rec: TaskRecord) -> None:
        if self.tasks.get(rec.task_id) is rec:
            del self.tasks[rec.task_id]

    def _charge_session(self, rec: TaskRecord) -> None:
        session = self.sessions.sessions.get(rec.session_id)
        if session is None:
            return
        session.active_tasks = max(0, session.active_tasks - 1)
        session.turns += 1
        session.touch()
        used_tokens = rec.prompt_tokens + rec.tokens_out
        if session.time_left_ms is not None and rec.started_at is not None:
            session.time_left_ms = max(
                0.0, session.time_left_ms - ((rec.ended_at or time.monotonic()) - rec.started_at) * 1000
            )
        if session.cost_left is not None:
            session.cost_left = max(0.0, session.cost_left - used_tokens / 1000)
        kv = used_tokens * self.config.kv_bytes_per_token
        if rec.request.kv_hint == KVHint.reuse:
            session.kv_bytes = session.kv_bytes + kv if session.kv_warmth else kv
            session.kv_warmth = True
        else:
            session.kv_bytes = kv
            session.kv_warmth = False

    def cancel_now(self, rec: TaskRecord) -> None:
        """Cancels at once: the stream ends with `end` finish_reason cancelled and the slot is freed."""
        self.terminate(rec, TaskState.cancelled, TaskEvent("end", self.end_payload(rec, "cancelled")))

    def fail(self, rec: TaskRecord, err: ApiError) -> None:
        """Ends the task with an `error` event carrying the error's code, reason and policy label."""
        rec.error = err.envelope()
        payload = SSEError(
            code=err.code,
            message=err.message,
            reason=err.reason,
            retriable=True if err.retriable else None,
            policy_label=err.policy_label,
        )
        self.terminate(rec, TaskState.failed, TaskEvent("error", payload))

    def drop_lru(self, rec: TaskRecord) -> None:
        """Drops a queued batch task to admit a newer one (policy drop_lru)."""
        self.fail(
            rec,
            ApiError(
                ErrorKind.QUEUE_FULL_DROP_LRU,
                "Dropped from the full admission queue for a newer task (least recently used batch task).",
                status=429,
                retry_after_ms=max(1, math.ceil(self.avg_service_ms)),
                policy_label="drop_lru",
            ),
        )

    def deadline_passed(self, rec: TaskRecord) -> None:
        if not rec.terminal:
            self.fail(
                rec,
                ApiError(
                    ErrorKind.DEADLINE_UNMET, "The task did not finish before its deadline.", status=504
                ),
            )

    def arm_timers(self, rec: TaskRecord) -> None:
        """An admitted task's deadline, and for a completion the wait for its reader to attach."""
        loop = asyncio.get_running_loop()
        rec.timers.append(loop.call_later(rec.request.deadline_ms / 1000, self.deadline_passed, rec))
        if rec.workload == Workload.completion:
            wait_s = self.config.attach_timeout_ms / 1000
            rec.timers.append(loop.call_later(wait_s, self.attach_timed_out, rec))

    def attach_timed_out(self, rec: TaskRecord) -> None:
        if not rec.terminal and not rec.ever_attached:
            self.cancel_now(rec)

    def status_of(self, rec: TaskRecord) -> TaskStatus:
        body: dict[str, object] = {
            "task_id": rec.task_id,
            "state": rec.state,
            "workload": rec.workload,
            "session_id": rec.session_id,
            "pool_id": rec.pool_id,
            "worker_id": rec.worker_id,
            "queue_position": self.queue_position(rec),
            "tokens_out": rec.tokens_out,
        }
        if rec.state == TaskState.succeeded and rec.result is not None:
            body["result"] = rec.result
        if rec.state == TaskState.failed and rec.error is not None:
            body["error"] = rec.error.model_dump(mode="json", exclude_none=True)
        return TaskStatus.model_validate(body)
