"""The gateway role: admission and control here, token generation on workers over HTTP.

Why: a production gateway does not generate; it admits, places and forwards. In the `gateway`
role the Runtime keeps its queues, deadlines, sessions and placement, and this executor runs
each completion task on the worker process that backs the chosen slot (`worker_urls[i % n]`
for the i-th worker of the cluster), reading the worker's native event stream with httpx.

A worker that fails mid-stream (connection refused or reset, a stream that ends without a
terminal event) ends that task's stream with an `error` event `WORKER_RESET` (retriable) and
marks that worker `down`; tasks on other workers go on. A probe then polls the worker's
`/healthz` and brings it back (`ready`) once it answers, and queued work is dispatched again.
Cancelling a task here closes the stream to the worker, which cancels the task there too.
Embedding and rerank tasks are computed by the gateway's own synthetic engine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any

import httpx

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference.config import Config
from llmgw_reference.engine import GeneratedToken
from llmgw_reference.errors import ApiError
from llmgw_reference.runtime.cluster import Cluster
from llmgw_reference.runtime.records import TaskRecord

CONNECT_TIMEOUT_S = 2.0
PROBE_INTERVAL_S = 1.0


def _worker_reset(message: str) -> ApiError:
    return ApiError(ErrorKind.WORKER_RESET, message, status=502, retry_after_ms=1000)


def _worker_error(payload: dict[str, Any]) -> ApiError:
    code = ErrorKind(payload.get("code", "INTERNAL"))
    reason = ErrorReason(payload["reason"]) if payload.get("reason") else None
    status = {ErrorKind.DEADLINE_UNMET: 504, ErrorKind.QUEUE_FULL_DROP_LRU: 429}.get(code, 502)
    return ApiError(code, f"worker: {payload.get('message', 'failed')}", status=status, reason=reason,
                    policy_label=payload.get("policy_label"))  # fmt: skip


class HttpExecutor:
    """Runs completion tasks on remote workers (`python -m llmgw_reference --role worker`)."""

    def __init__(
        self, config: Config, cluster: Cluster, on_worker_up: Callable[[], None] | None = None
    ) -> None:
        self.config = config
        self.cluster = cluster
        self.on_worker_up = on_worker_up
        self._client: httpx.AsyncClient | None = None
        self._probes: dict[str, asyncio.Task[None]] = {}

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                headers={"Authorization": f"Bearer {self.config.worker_api_key}"},
                timeout=httpx.Timeout(None, connect=CONNECT_TIMEOUT_S),
            )
        return self._client

    def url_for(self, worker_id: str | None) -> str:
        ids = [w.id for w in self.cluster.workers]
        index = ids.index(worker_id) if worker_id in ids else 0
        return self.config.worker_urls[index % len(self.config.worker_urls)].rstrip("/")

    def _mark_down(self, worker_id: str | None) -> None:
        for worker in self.cluster.workers:
            if worker.id == worker_id:
                worker.down = True
                if worker.id not in self._probes:
                    self._probes[worker.id] = asyncio.get_running_loop().create_task(self._probe(worker.id))

    async def _probe(self, worker_id: str) -> None:
        """Polls a down worker's /healthz until it answers, then marks it up again."""
        url = self.url_for(worker_id) + "/healthz"
        try:
            while True:
                await asyncio.sleep(PROBE_INTERVAL_S)
                with contextlib.suppress(httpx.HTTPError):
                    if (await self.client().get(url, timeout=CONNECT_TIMEOUT_S)).status_code == 200:
                        break
            for worker in self.cluster.workers:
                if worker.id == worker_id:
                    worker.down = False
            if self.on_worker_up is not None:
                self.on_worker_up()
        finally:
            self._probes.pop(worker_id, None)

    async def tokens(self, rec: TaskRecord) -> AsyncGenerator[GeneratedToken, None]:
        base = self.url_for(rec.worker_id)
        body = rec.request.model_dump(mode="json", exclude_none=True)
        body.pop("placement", None)
        body["max_tokens"] = max(1, rec.max_tokens)
        try:
            admitted = await self.client().post(f"{base}/v1/tasks", json=body)
        except httpx.TransportError as exc:
            self._mark_down(rec.worker_id)
            raise _worker_reset(f"worker {rec.worker_id} is unreachable ({type(exc).__name__})") from None
        if admitted.status_code != 202:
            try:
                raise _worker_error(admitted.json())
            except (ValueError, KeyError):
                raise _worker_reset(f"worker {rec.worker_id} answered {admitted.status_code}") from None
        async for token in self._stream(base, rec):
            yield token

    async def _stream(self, base: str, rec: TaskRecord) -> AsyncIterator[GeneratedToken]:
        terminal = False
        try:
            async with self.client().stream("GET", f"{base}/v1/tasks/{rec.task_id}/events") as response:
                if response.status_code != 200:
                    raise _worker_reset(f"worker {rec.worker_id} refused the stream ({response.status_code})")
                name = ""
                async for line in response.aiter_lines():
                    if line.startswith("event:"):
                        name = line[6:].strip()
                    elif line.startswith("data:"):
                        payload = json.loads(line[5:].strip())
                        if name == "token":
                            yield GeneratedToken(
                                int(payload["i"]), str(payload["t"]), 0.0, ((payload["t"], 0.0),)
                            )
                        elif name == "end":
                            terminal = True
                            rec.planned_finish = (
                                "length" if payload.get("finish_reason") == "length" else "stop"
                            )
                            return
                        elif name == "error":
                            terminal = True
                            raise _worker_error(payload)
        except httpx.TransportError as exc:
            self._mark_down(rec.worker_id)
            raise _worker_reset(f"worker {rec.worker_id} failed mid-stream ({type(exc).__name__})") from None
        if not terminal:
            self._mark_down(rec.worker_id)
            raise _worker_reset(f"worker {rec.worker_id} closed the stream before its terminal event")
