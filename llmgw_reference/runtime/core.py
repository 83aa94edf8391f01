"""The Runtime: admission, reading tasks, cancellation and capacity, over the task lifecycle.

Why one object: every surface (native tasks, chat, generate, embeddings, rerank) goes through
`submit` + `events`, so admission, priorities, deadlines, cancellation, sessions and faults
apply alike. The queues, slots and each task's run to its terminal event are the base class,
`lifecycle.TaskLifecycle`, which knows nothing of this one. Everything runs on the server's
event loop; no locks are needed because no method awaits between reading and changing shared
state.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

from llmgw_generated.models.common import ErrorKind, KVHint, Priority, Workload
from llmgw_generated.models.control import CapacityInfo, CatalogModel
from llmgw_generated.models.data import (
    AdmissionResponse,
    PlacementOverrides,
    SSEError,
    SSEStarted,
    TaskRequest,
    TaskStatus,
)
from llmgw_reference.config import Config
from llmgw_reference.engine import GeneratedToken, SyntheticEngine
from llmgw_reference.errors import ApiError, bad_request, conflict, not_found
from llmgw_reference.faults import FaultSet
from llmgw_reference.runtime.catalog import Catalog, CatalogEntry
from llmgw_reference.runtime.cluster import Worker
from llmgw_reference.runtime.lifecycle import TaskLifecycle
from llmgw_reference.runtime.placement import choose_pool, placement_for_gpu_hint
from llmgw_reference.runtime.records import TaskEvent, TaskRecord, TokenFrame


class Runtime(TaskLifecycle):
    """The reference server's state and scheduler; reachable as `request.app.state.runtime`."""

    def __init__(self, config: Config, faults: FaultSet | None = None, engine: SyntheticEngine | None = None):
        super().__init__(config, faults, engine)
        self.catalog = Catalog(config)
        self._seq = 0

    # ------------------------------------------------------------------ models and placement
    def resolve_model(self, model_id: str, workload: Workload) -> CatalogModel:
        """A model that can take new work now (raises 404 / 410 / 503 MODEL_LOADING / 502 / 400)."""
        return self.catalog.resolve(model_id, workload).to_model()

    def placement_for_gpu_hint(self, gpu: str | None) -> PlacementOverrides | None:
        """The placement for a generate `gpu` hint (raises 422, or 202 PROVISIONING)."""
        return placement_for_gpu_hint(self.cluster, gpu)

    # ------------------------------------------------------------------ admission
    async def submit(
        self, task: TaskRequest, principal: object | None = None, *, token_frame: TokenFrame | None = None
    ) -> AdmissionResponse:
        """Admits a task or raises the contract's error for why not (nothing is admitted then).

        `token_frame` (only where `forwards_frames()`): the task's tokens come as `frames` events,
        framed by its worker, instead of `token` events.
        """
        task_id = str(task.task_id)
        entry, prompt_tokens = self._validated(task)
        self.sessions.check_budgets(str(task.session_id))  # 429 before anything is opened or queued
        pool_id = choose_pool(self.cluster, task.placement, {k: len(v) for k, v in self.queues.items()})
        mask = task.placement.require_device_mask if task.placement else None
        queue = self.queues.setdefault(pool_id, [])
        workers = self.cluster.usable_workers(pool_id, mask)
        free = sum(w.free_slots for w in workers)
        victim: TaskRecord | None = None
        if len(queue) >= self.config.queue_capacity and free <= len(queue):
            victim = self._admission_victim(queue, task.priority)
        ahead = (
            sum(1 for r in queue if r.priority == Priority.interactive)
            if task.priority == Priority.interactive
            else len(queue)
        ) - (1 if victim is not None and task.priority == Priority.batch else 0)  # the victim is batch
        ahead = max(0, ahead)
        predicted = self.predict_start_ms(workers, ahead)
        if predicted >= task.deadline_ms:
            raise ApiError(
                ErrorKind.DEADLINE_UNMET,
                f"The task cannot start before its deadline ({predicted} ms predicted, "
                f"{task.deadline_ms} ms allowed).",
                status=504,
            )
        if victim is not None:
            self.drop_lru(victim)
        self._seq += 1
        session = self.sessions.open_for_task(str(task.session_id))
        max_tokens = task.max_tokens
        if session.tokens_left is not None:
            max_tokens = max(0, min(max_tokens, session.tokens_left))
        rec = TaskRecord(
            request=task,
            seq=self._seq,
            model_id=entry.id,
            pool_id=pool_id,
            prompt_tokens=prompt_tokens,
            max_tokens=max_tokens,
            token_frame=token_frame if self.forwards_frames() else None,
        )
        self.tasks[task_id] = rec
        session.active_tasks += 1
        started = SSEStarted(
            queue_position=ahead, predicted_start_ms=predicted, task_id=task_id, pool_id=pool_id
        )
        rec.emit(TaskEvent("started", started))
        rec.emit(TaskEvent("metrics", self.metrics_of(rec)))
        queue.append(rec)
        self.arm_timers(rec)
        self.dispatch()
        backoff = 0 if task.workload == Workload.completion else predicted + int(self.config.ttft_ms)
        return AdmissionResponse(
            task_id=task_id,
            queue_position=ahead,
            predicted_start_ms=predicted,
            backoff_ms=backoff,
            pool_id=pool_id,
        )

    def _validated(self, task: TaskRequest) -> tuple[CatalogEntry, int]:
        """The task's catalog entry and prompt tokens, or the 409/400 that refuses it (nothing opened)."""
        task_id = str(task.task_id)
        if task_id in self.tasks:
            raise conflict(f"Task id {task_id} is already used.", param="task_id")
        entry = self.catalog.resolve(task.model_ref, task.workload)
        if task.engine != entry.engine:
            raise bad_request(
                f"Model {entry.id!r} runs on engine {entry.engine.value!r}, not {task.engine.value!r}.",
                param="engine",
            )
        if task.ctx > entry.ctx_max:
            raise bad_request(f"ctx {task.ctx} is above the model's ctx_max {entry.ctx_max}.", param="ctx")
        if task.max_tokens > self.config.max_tokens:
            raise bad_request(f"max_tokens is above the limit {self.config.max_tokens}.", param="max_tokens")
        prompt_tokens = self.engine.count_tokens(task.prompt or "")
        if task.workload == Workload.completion and prompt_tokens + 1 > task.ctx:
            raise bad_request("The prompt does not fit in ctx.", param="ctx")
        if task.workload != Workload.completion and not task.inputs:
            raise bad_request(f"A {task.workload.value} task needs inputs.", param="inputs")
        return entry, prompt_tokens

    def _admission_victim(self, queue: list[TaskRecord], priority: Priority) -> TaskRecord:
        """The queued task to drop for a new one (drop_lru), or the 429 that refuses the new one."""
        retry_ms = max(1, int(self.avg_service_ms))
        if self.config.admission_policy == "reject":
            raise ApiError(
                ErrorKind.ADMISSION_REJECT,
                "The admission queue is full.",
                status=429,
                retry_after_ms=retry_ms,
                policy_label="reject",
            )
        batch = [r for r in queue if r.priority == Priority.batch]
        if not batch:
            raise ApiError(
                ErrorKind.QUEUE_FULL_DROP_LRU,
                "The admission queue is full of interactive tasks; nothing can be dropped.",
                status=429,
                retry_after_ms=retry_ms,
                policy_label="drop_lru",
            )
        return min(batch, key=lambda r: (r.last_used, r.seq))

    def predict_start_ms(self, workers: list[Worker], ahead: int) -> int:
        """Milliseconds until the first token, from free slots, the queue and measured service time."""
        slots = sum(w.slots for w in workers)
        free = sum(w.free_slots for w in workers)
        ttft = int(self.config.ttft_ms)
        if slots == 0:
            return ttft + int(self.avg_service_ms) * (ahead + 1)
        if ahead < free:
            return ttft
        waves = (ahead - free) // slots + 1
        return ttft + int(waves * self.avg_service_ms)

    # ------------------------------------------------------------------ scheduling
    # ------------------------------------------------------------------ reading tasks
    def _get(self, task_id: str) -> TaskRecord:
        rec = self.tasks.get(task_id)
        if rec is None:
            raise not_found(f"Task {task_id} does not exist (or was forgotten after its retention).")
        return rec

    def events(self, task_id: str) -> TaskEventStream:
        """The task's events from the start; closing it before the terminal event cancels the task.

        Raises 404 (unknown task) or 409 (another client is reading) at once, before any byte.
        The stream is an async iterator with `aclose()`, safe to close before its first step.
        """
        rec = self._get(task_id)
        if rec.attached:
            raise conflict(f"Another client is reading the events of task {task_id}.")
        rec.attached = rec.ever_attached = True
        rec.last_used = time.monotonic()
        return TaskEventStream(self, rec)

    def status(self, task_id: str) -> TaskStatus:
        """The task's state, and its result once it succeeded."""
        return self.status_of(self._get(task_id))

    async def wait(self, task_id: str, wait_ms: int) -> TaskStatus:
        """The status once the task is terminal or `wait_ms` passed, whichever is first."""
        rec = self._get(task_id)
        if wait_ms > 0 and not rec.terminal:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(rec.done.wait(), wait_ms / 1000)
        return self.status_of(rec)

    async def cancel(self, task_id: str) -> TaskStatus:
        """Cancels a queued or running task (end with finish_reason cancelled); no-op when terminal."""
        rec = self._get(task_id)
        if not rec.terminal:
            self.cancel_now(rec)
            if rec.runner is not None:
                await asyncio.wait({rec.runner}, timeout=self.config.cancel_budget_ms / 1000)
        return self.status_of(rec)

    def token_logprobs(self, task_id: str) -> list[GeneratedToken]:
        """The tokens generated so far, with logprobs and top alternatives (for the OpenAI surface)."""
        return list(self._get(task_id).tokens)

    def end_session(self, session_id: str) -> None:
        """Ends a session: its unfinished tasks are cancelled and its KV cache freed."""
        self.sessions.delete(session_id)
        for rec in list(self.tasks.values()):
            if rec.session_id == session_id and not rec.terminal:
                self.cancel_now(rec)

    # ------------------------------------------------------------------ capacity
    def capacity(self) -> CapacityInfo:
        loaded = self.catalog.loaded_ids()
        workers = [w.info(loaded if not w.down else []) for w in self.cluster.workers]
        return CapacityInfo.model_validate(
            {
                "gpu_count": len(self.cluster.workers),
                "models_loaded": len(loaded),
                "configured_machine_profiles": sorted(self.config.machine_profiles),
                "live_machine_profiles": sorted({w.profile for w in self.cluster.workers if not w.down}),
                "workers": [w.model_dump() for w in workers],
                "active_tasks": sum(len(w.active) for w in self.cluster.workers),
                "queued_tasks": sum(len(q) for q in self.queues.values()),
            }
        )

    def kv_hint_reuse(self, rec: TaskRecord) -> bool:
        return rec.request.kv_hint == KVHint.reuse

    def terminal_error(self, rec: TaskRecord) -> SSEError | None:
        last = rec.events[-1] if rec.events else None
        return last.payload if last is not None and isinstance(last.payload, SSEError) else None


class TaskEventStream(AsyncIterator[TaskEvent]):
    """One reader's view of a task's event log (replayed from the start, then live).

    Why a class and not an async generator: a generator that was never stepped ignores
    `aclose()`, so a reader that left before its first event would stay attached forever;
    here `aclose()` always detaches, and cancels the task when the terminal event was not read.
    """

    def __init__(self, runtime: Runtime, rec: TaskRecord) -> None:
        self.runtime = runtime
        self.rec = rec
        self.sent = 0
        self.finished = False  # the terminal event was delivered, or the stream was closed

    def __aiter__(self) -> TaskEventStream:
        return self

    async def __anext__(self) -> TaskEvent:
        rec = self.rec
        if self.finished:
            raise StopAsyncIteration
        while self.sent >= len(rec.events):
            await rec.changed().wait()
            if self.finished:
                raise StopAsyncIteration
        event = rec.events[self.sent]
        self.sent += 1
        if event.name in ("end", "error"):
            self.finished = True
            rec.attached = False
        return event

    async def aclose(self) -> None:
        """Detaches; before the terminal event this is a client disconnect and cancels the task."""
        if self.finished:
            return
        self.finished = True
        self.rec.attached = False
        if not self.rec.terminal and self.runtime.faults.disconnect_cancels():
            self.runtime.cancel_now(self.rec)
