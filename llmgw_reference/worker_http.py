"""The gateway role: admission and control here, token generation on workers over HTTP.

Why: a production gateway does not generate; it admits, places and forwards. In the `gateway`
role the Runtime keeps its queues, deadlines, sessions and placement, and this executor runs
each completion task on the worker process that backs the chosen slot (`worker_urls[i % n]`
for the i-th worker of the cluster): one request per task to the worker's internal submit-and-stream
route (`llmgw_reference.tasks_api.SUBMIT_AND_STREAM_PATH`), its native event stream read with httpcore.

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
from collections.abc import AsyncGenerator, Callable
from typing import Any

import httpcore
import httpx

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference.config import Config
from llmgw_reference.engine import GeneratedToken
from llmgw_reference.errors import ApiError
from llmgw_reference.runtime.cluster import Cluster
from llmgw_reference.runtime.records import TaskRecord
from llmgw_reference.tasks_api import SUBMIT_AND_STREAM_PATH
from llmgw_reference.worker_link_stream import AsyncioBackend

CONNECT_TIMEOUT_S = 2.0
PROBE_INTERVAL_S = 1.0
CLIENT_POOLS = 16
KEEPALIVE_PER_POOL = 32
#: Below uvicorn's 5 s keep-alive timeout on the worker: a connection the worker is closing must
#: not be picked for a request (that read error would mark a healthy worker down).
KEEPALIVE_EXPIRY_S = 2.0
_TIMEOUTS = {"timeout": {"connect": CONNECT_TIMEOUT_S, "read": None, "write": None, "pool": None}}
_TRANSPORT_ERRORS = (httpcore.NetworkError, httpcore.ProtocolError, httpcore.TimeoutException, OSError)


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
        self._pools: list[httpcore.AsyncConnectionPool] = []
        self._probe_client: httpx.AsyncClient | None = None
        self._auth = f"Bearer {config.worker_api_key}".encode()
        self._probes: dict[str, asyncio.Task[None]] = {}

    def probe_client(self) -> httpx.AsyncClient:
        """The client of the health probes (rare requests: httpx's convenience costs nothing here)."""
        if self._probe_client is None:
            self._probe_client = httpx.AsyncClient(
                headers={"Authorization": f"Bearer {self.config.worker_api_key}"},
                timeout=httpx.Timeout(None, connect=CONNECT_TIMEOUT_S),
            )
        return self._probe_client

    def pool(self, key: int = 0) -> httpcore.AsyncConnectionPool:
        """The connection pool for `key` (a task's seq): httpcore directly, several small pools.

        Why httpcore and not httpx: this is the gateway's per-token path, and the profile put a
        quarter of the gateway's CPU in httpx's request building, response wrapping and per-read
        layers above httpcore (which does the HTTP/1.1 work with h11); asyncio's streams replace
        anyio's below it (`llmgw_reference.worker_link_stream`). Why several pools: the gateway
        holds about one connection per open stream, and httpcore's pool looks at every one of its
        connections on each request and each release; in one pool of 64+ that scan was a sixth
        of the gateway's CPU. Each pool keeps its connections alive.
        """
        if not self._pools:
            self._pools = [
                httpcore.AsyncConnectionPool(
                    max_connections=None,
                    max_keepalive_connections=KEEPALIVE_PER_POOL,
                    keepalive_expiry=KEEPALIVE_EXPIRY_S,
                    network_backend=AsyncioBackend(),
                )
                for _ in range(CLIENT_POOLS)
            ]
        return self._pools[key % CLIENT_POOLS]

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
                    if (await self.probe_client().get(url, timeout=CONNECT_TIMEOUT_S)).status_code == 200:
                        break
            for worker in self.cluster.workers:
                if worker.id == worker_id:
                    worker.down = False
            if self.on_worker_up is not None:
                self.on_worker_up()
        finally:
            self._probes.pop(worker_id, None)

    async def tokens(self, rec: TaskRecord) -> AsyncGenerator[GeneratedToken, None]:
        """The task's tokens from its worker: one request that submits the task and streams it.

        Why one request (the worker's internal `SUBMIT_AND_STREAM_PATH`) and not the contract's
        submitTask + streamTaskEvents: both are ours, and the second request per stream was a
        third of the gateway's CPU. The worker runs the same submit and the same event stream.
        """
        base = self.url_for(rec.worker_id)
        task = rec.request.model_copy(update={"max_tokens": max(1, rec.max_tokens)})
        body = task.model_dump_json(exclude_none=True, exclude={"placement"}).encode()
        url = httpcore.URL(base + SUBMIT_AND_STREAM_PATH)
        headers = [
            (b"Host", url.host + b":" + str(url.port).encode() if url.port else url.host),
            (b"Authorization", self._auth),
            (b"Content-Type", b"application/json"),
            (b"Content-Length", str(len(body)).encode()),
        ]
        answered = False
        terminal = False
        try:
            async with self.pool(rec.seq).stream(
                b"POST", url, headers=headers, content=body, extensions=_TIMEOUTS
            ) as response:
                answered = True
                if response.status != 200:
                    raise _refusal(rec.worker_id, response.status, await response.aread())
                splitter = NativeEventSplitter()
                # Read on to the end of the response after the terminal event (the worker closes it
                # right away): a response left unread closes its connection, and the profile showed
                # a new TCP connection per stream.
                async for chunk in response.aiter_stream():
                    for name, data in () if terminal else splitter.feed(chunk):
                        if name == "token":
                            payload = json.loads(data)
                            text = str(payload["t"])
                            yield GeneratedToken(int(payload["i"]), text, 0.0, ((text, 0.0),))
                        elif name == "end":
                            terminal = True
                            finish = json.loads(data).get("finish_reason")
                            rec.planned_finish = "length" if finish == "length" else "stop"
                            break
                        elif name == "error":
                            terminal = True
                            raise _worker_error(json.loads(data))
        except _TRANSPORT_ERRORS as exc:
            if terminal:
                return  # the whole stream was read; a failure while draining its end changes nothing
            self._mark_down(rec.worker_id)
            what = "failed mid-stream" if answered else "is unreachable"
            raise _worker_reset(f"worker {rec.worker_id} {what} ({type(exc).__name__})") from None
        if not terminal:
            self._mark_down(rec.worker_id)
            raise _worker_reset(f"worker {rec.worker_id} closed the stream before its terminal event")


def _refusal(worker_id: str | None, status: int, answer: bytes) -> ApiError:
    """The worker's refusal (its submit's error envelope), or WORKER_RESET when it is unreadable."""
    try:
        return _worker_error(json.loads(answer))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _worker_reset(f"worker {worker_id} answered {status}")


class NativeEventSplitter:
    """Splits a worker's native SSE bytes into (event name, data) pairs, every ready one per read.

    Why by hand and not httpx's `aiter_lines` (or httpx-sse, built on the same line iteration):
    this is the gateway's per-token path, and the profile showed line-by-line text decoding of the
    worker's stream as a sixth of the gateway's CPU. The producer is our own worker (see
    `llmgw_reference.sse.SSEFrame.encode`: `event:` and `data:` lines, blank-line separated, LF or
    CRLF), so one `split` per network read yields every complete event it holds; comments
    (heartbeats) and unknown fields are skipped, and several `data:` lines join with LF as SSE says.
    """

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        """The complete events in the bytes seen so far; an unfinished one waits for the next read."""
        buffer = self._buffer + chunk
        if b"\r" in buffer:
            buffer = buffer.replace(b"\r\n", b"\n")
        *blocks, self._buffer = buffer.split(b"\n\n")
        events: list[tuple[str, str]] = []
        for block in blocks:
            name = ""
            data: list[str] = []
            for line in block.decode("utf-8").split("\n"):
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "event":
                    name = value
                elif field == "data":
                    data.append(value)
            if data:
                events.append((name or "message", "\n".join(data)))
        return events
