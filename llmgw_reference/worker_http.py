"""The gateway role: admission and control here, token generation on workers over HTTP.

Why: a production gateway does not generate; it admits, places and forwards. In the `gateway`
role the Runtime keeps its queues, deadlines, sessions and placement, and this executor runs
each completion task on the worker process that backs the chosen slot (`worker_urls[i % n]`
for the i-th worker of the cluster): one request per task to the worker's internal submit-and-stream
route (`llmgw_reference.tasks_api.SUBMIT_AND_STREAM_PATH`), its stream read over a kept-alive
connection of the worker's `WorkerLink` (`llmgw_reference.worker_link_stream`). A chat stream asks
the worker for its chunks already framed and passes them on unread (`frames`).

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
import logging
from collections.abc import AsyncGenerator, Callable
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

import httpx

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference.config import Config
from llmgw_reference.engine import GeneratedToken
from llmgw_reference.errors import ApiError
from llmgw_reference.runtime.cluster import Cluster
from llmgw_reference.runtime.records import TaskRecord
from llmgw_reference.tasks_api import SUBMIT_AND_STREAM_PATH, TOKEN_FRAME_HEADER
from llmgw_reference.worker_link_stream import WorkerLink
from llmgw_reference.worker_stream_readers import FramedReader, NativeEventSplitter, NativeFramer, TokenReader

__all__ = ["HttpExecutor", "NativeEventSplitter"]  # the splitter's home was here

log = logging.getLogger("reference.worker_link")
CONNECT_TIMEOUT_S = 2.0
PROBE_INTERVAL_S = 1.0
#: Below the worker's keep-alive timeout (`WORKER_KEEPALIVE_S` in `llmgw_reference.__main__`), so a
#: connection the worker is closing is not picked for a request (that read error would mark a
#: healthy worker down). Long, as an upstream pool's is: with uvicorn's 5 s every pause in the
#: traffic cost a new connection per stream of the next burst (a third of the streams of a bench
#: round in the profile).
KEEPALIVE_EXPIRY_S = 60.0
_FRAME_HEADER_BYTES = TOKEN_FRAME_HEADER.encode()
_T = TypeVar("_T")
_TRANSPORT_ERRORS = (OSError,)  # WorkerLinkError is one


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
        self._links: dict[str, WorkerLink] = {}
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

    def link(self, base_url: str) -> WorkerLink:
        """The kept-alive connections to the worker at `base_url` (one `WorkerLink` per worker)."""
        link = self._links.get(base_url)
        if link is None:
            parts = urlsplit(base_url)
            link = WorkerLink(
                parts.hostname or "127.0.0.1",
                parts.port or 80,
                connect_timeout_s=CONNECT_TIMEOUT_S,
                keepalive_expiry_s=KEEPALIVE_EXPIRY_S,
            )
            self._links[base_url] = link
        return link

    def url_for(self, worker_id: str | None) -> str:
        ids = [w.id for w in self.cluster.workers]
        index = ids.index(worker_id) if worker_id in ids else 0
        return self.config.worker_urls[index % len(self.config.worker_urls)].rstrip("/")

    def _mark_down(self, worker_id: str | None, why: str) -> None:
        log.warning("worker %s marked down: %s", worker_id, why)
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
        async for token in self._read(rec, None, lambda framed: TokenReader()):
            yield token

    async def frames(self, rec: TaskRecord) -> AsyncGenerator[bytes, None]:
        """The task's tokens framed as `rec.token_frame` by its worker, forwarded as they come.

        Why: decoding each native token and encoding it again as a chat chunk was most of the
        gateway's CPU per token; the worker encodes the frame once and the gateway only looks for
        where frames end and for the terminal event (`FramedReader`). A worker that did not
        honour the frame (in a fault mode) is framed here (`NativeFramer`).
        """
        frame = rec.token_frame
        assert frame is not None, "frames() is for tasks with a token_frame"
        header = json.dumps(list(frame)).encode()  # ASCII: ensure_ascii
        reader: FramedReader | NativeFramer | None = None

        def make(framed: bool) -> FramedReader | NativeFramer:
            nonlocal reader
            reader = FramedReader() if framed else NativeFramer(frame)
            return reader

        async for blob in self._read(rec, header, make):
            yield blob
        if reader is not None and reader.terminal is not None:
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                rec.forwarded_tokens = int(json.loads(reader.terminal[1]).get("tokens_out", 0))

    async def _read(
        self, rec: TaskRecord, token_frame: bytes | None, reader_for: Callable[[bool], _Reader[_T]]
    ) -> AsyncGenerator[_T, None]:
        """Submits the task to its worker and yields what `reader_for(framed)` makes of each read.

        The terminal event sets `rec.planned_finish`, or raises the worker's error; a transport
        failure, or a stream that ends without a terminal event, marks the worker down and raises
        WORKER_RESET (retriable).
        """
        base = self.url_for(rec.worker_id)
        task = rec.request.model_copy(update={"max_tokens": max(1, rec.max_tokens)})
        body = task.model_dump_json(exclude_none=True, exclude={"placement"}).encode()
        headers = [(b"Authorization", self._auth), (b"Content-Type", b"application/json")]
        if token_frame is not None:
            headers.append((_FRAME_HEADER_BYTES, token_frame))
        answered = False
        terminal = False
        try:
            async with self.link(base).post(SUBMIT_AND_STREAM_PATH, headers, body) as response:
                answered = True
                if response.status != 200:
                    raise _refusal(rec.worker_id, response.status, await response.read())
                reader = reader_for(TOKEN_FRAME_HEADER in response.headers)
                # Read on to the end of the response after the terminal event (the worker closes it
                # right away): a response left unread closes its connection, and the profile showed
                # a new TCP connection per stream.
                async for chunk in response.chunks():
                    if terminal:
                        continue
                    for item in reader.feed(chunk):
                        yield item
                    if reader.terminal is not None:
                        terminal = True
                        _end_of(rec, *reader.terminal)
        except _TRANSPORT_ERRORS as exc:
            if terminal:
                return  # the whole stream was read; a failure while draining its end changes nothing
            what = "failed mid-stream" if answered else "is unreachable"
            self._mark_down(rec.worker_id, f"{what}: {exc!r}")
            raise _worker_reset(f"worker {rec.worker_id} {what} ({type(exc).__name__})") from None
        if not terminal:
            self._mark_down(rec.worker_id, "the stream ended before its terminal event")
            raise _worker_reset(f"worker {rec.worker_id} closed the stream before its terminal event")


class _Reader(Protocol[_T]):
    """What `HttpExecutor._read` needs of a reader (`llmgw_reference.worker_stream_readers`)."""

    @property
    def terminal(self) -> tuple[str, str] | None: ...

    def feed(self, chunk: bytes) -> list[_T]: ...


def _end_of(rec: TaskRecord, name: str, data: str) -> None:
    """The worker's terminal event: `end` sets why the task finished, `error` is raised."""
    payload = json.loads(data)
    if name == "error":
        raise _worker_error(payload)
    rec.planned_finish = "length" if payload.get("finish_reason") == "length" else "stop"


def _refusal(worker_id: str | None, status: int, answer: bytes) -> ApiError:
    """The worker's refusal (its submit's error envelope), or WORKER_RESET when it is unreadable."""
    try:
        return _worker_error(json.loads(answer))
    except (ValueError, KeyError, TypeError, AttributeError):
        return _worker_reset(f"worker {worker_id} answered {status}")
