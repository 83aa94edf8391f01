"""Reading a live httpx streaming response into the strict parser, with time limits.

:func:`read_stream` (``httpx.Client``) and :func:`aread_stream` (``httpx.AsyncClient``) take a response
opened with ``client.stream(...)`` and read its body until one of these happens, then close the response
and return the transcript with ``termination`` set:

* ``eof``: the server ended the body cleanly;
* ``idle_timeout``: no bytes for ``idle_timeout`` seconds;
* ``total_timeout``: the body took longer than ``total_timeout`` seconds (from the call, or ``t0``);
* ``limit_exceeded``: a parser cap was hit (``transcript.limit`` says which);
* ``connection_error``: the transport failed (``termination_detail`` has the exception type and message);
* ``closed_by_client``: ``stop_after_events`` events arrived or ``stop_when(event)`` returned true.

They never raise for anything the server does. Exceptions raised by ``stop_when`` propagate (after the
response is closed).

How the limits are enforced: the async reader waits for each chunk under an anyio deadline, so both
limits hold to within scheduling delay. The sync reader cannot interrupt a blocking read from the same
thread; it sets the request's ``read`` timeout (the httpx ``timeout`` request extension, which the
transport takes when body reading starts) to the smaller of ``idle_timeout`` and what is left of the
total budget, before the first read, and checks the total budget after each chunk. So the sync idle
limit is exact, and a server that keeps sending within the idle limit can overrun the total budget by
at most one read timeout. Transports that ignore the ``timeout`` extension (e.g. ``httpx.MockTransport``)
cannot be interrupted by the sync reader.

Bytes come from ``iter_raw()``/``aiter_raw()``: the body exactly as sent (transfer framing removed).
If the server applied a ``Content-Encoding`` other than identity, the decoded bytes are read instead and
the headers in the transcript show the encoding. A response whose body was already read (a plain
``client.get()``) is parsed as one chunk, timed when the reader got it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterable, Iterator
from typing import Final, TypedDict, Unpack

import anyio
import httpx

from .parser import SSEParser
from .records import (
    CLOSED_BY_CLIENT,
    CONNECTION_ERROR,
    EOF,
    IDLE_TIMEOUT,
    LIMIT_EXCEEDED,
    TOTAL_TIMEOUT,
    Event,
    StreamLimitExceeded,
)
from .transcript import Transcript

Clock = Callable[[], float]
StopPredicate = Callable[[Event], bool]

DEFAULT_IDLE_TIMEOUT: Final = 30.0
DEFAULT_TOTAL_TIMEOUT: Final = 300.0
_CLOSE_GRACE: Final = 2.0  # seconds allowed for closing the response


def _is_encoded(response: httpx.Response) -> bool:
    return response.headers.get("content-encoding", "identity").strip().lower() not in ("", "identity")


def _already_read(response: httpx.Response) -> bytes | None:
    """The body of a response that was read before we got it (``client.get()``), else None."""
    if not response.is_stream_consumed:
        return None
    try:
        return response.content
    except httpx.ResponseNotRead:  # streamed by someone else and not kept: iter_raw() will say so
        return None


def _sync_chunks(response: httpx.Response) -> Iterator[bytes]:
    content = _already_read(response)
    if content is not None:
        return iter((content,))
    return response.iter_bytes() if _is_encoded(response) else response.iter_raw()


async def _one(content: bytes) -> AsyncIterator[bytes]:
    yield content


def _async_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    content = _already_read(response)
    if content is not None:
        return _one(content)
    return response.aiter_bytes() if _is_encoded(response) else response.aiter_raw()


def _record_response(tr: Transcript, response: httpx.Response) -> None:
    tr.status_code = response.status_code
    tr.headers = {k.lower(): v for k, v in response.headers.items()}


def _set_read_timeout(response: httpx.Response, seconds: float) -> None:
    try:
        timeouts = response.request.extensions.get("timeout")
    except RuntimeError:  # a response built without a request
        return
    if isinstance(timeouts, dict):
        timeouts["read"] = seconds


def _error_detail(exc: BaseException) -> str:
    msg = str(exc)
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


class ReadOptions(TypedDict, total=False):
    """The keywords of :func:`read_stream` and :func:`aread_stream` (their defaults: :class:`_Run`)."""

    #: Longest silence, and longest whole read (counted from ``t0``), in seconds (default
    #: :data:`DEFAULT_IDLE_TIMEOUT`, :data:`DEFAULT_TOTAL_TIMEOUT`).
    idle_timeout: float
    total_timeout: float
    #: End the read as ``closed_by_client`` after this many events, or at the first event for
    #: which the predicate is true.
    stop_after_events: int | None
    stop_when: StopPredicate | None
    #: The request start on ``clock`` (default: now).
    t0: float | None
    #: A parser with the caller's caps (default: an :class:`SSEParser` with default caps).
    parser: SSEParser | None
    clock: Clock


class _Run:
    """Bookkeeping shared by the sync and async readers."""

    def __init__(self, response: httpx.Response, options: ReadOptions) -> None:
        self.clock = clock = options.get("clock", time.monotonic)
        self.start = clock()
        t0 = options.get("t0")
        self.t0 = self.start if t0 is None else t0
        parser = options.get("parser")
        if parser is None:
            parser = SSEParser(t0=self.t0)
        elif t0 is not None or not parser.transcript.chunk_offsets:
            parser.set_t0(self.t0)
        self.parser = parser
        self.tr = parser.transcript
        self.idle_timeout = idle_timeout = options.get("idle_timeout", DEFAULT_IDLE_TIMEOUT)
        self.total_timeout = options.get("total_timeout", DEFAULT_TOTAL_TIMEOUT)
        self.deadline = self.t0 + self.total_timeout
        self.last = self.start
        self.stop_after_events = options.get("stop_after_events")
        self.stop_when = options.get("stop_when")
        self.termination: str | None = None
        self.detail = ""
        _record_response(self.tr, response)
        # No single read may outlast the idle limit or what is left of the total budget.
        _set_read_timeout(response, max(0.001, min(idle_timeout, self.deadline - self.start)))

    def wait_budget(self) -> tuple[float, str]:
        """Seconds we may wait for the next chunk, and the termination if that wait runs out."""
        now = self.clock()
        idle_left = self.last + self.idle_timeout - now
        total_left = self.deadline - now
        if total_left <= idle_left:
            return total_left, TOTAL_TIMEOUT
        return idle_left, IDLE_TIMEOUT

    def stop(self, termination: str, detail: str = "") -> None:
        if self.termination is None:
            self.termination = termination
            self.detail = detail

    def timed_out(self, kind: str | None = None) -> None:
        """A wait (ours, of the given ``kind``, or the transport's read timeout) ran out."""
        now = self.clock()
        if kind == TOTAL_TIMEOUT or (kind is None and now >= self.deadline):
            self.stop(TOTAL_TIMEOUT, f"total budget {self.total_timeout}s exceeded")
        else:
            self.stop(IDLE_TIMEOUT, f"no bytes for {now - self.last:.3f}s (limit {self.idle_timeout}s)")

    def take(self, chunk: bytes) -> bool:
        """Feed a chunk; True when reading should stop."""
        now = self.clock()
        gap = now - self.last
        self.last = now
        try:
            events = self.parser.feed(chunk, now)
        except StreamLimitExceeded as exc:
            self.tr.limit = exc.to_json()
            self.stop(LIMIT_EXCEEDED, str(exc))
            return True
        if events:
            if self.stop_after_events is not None and len(self.tr.events) >= self.stop_after_events:
                self.stop(CLOSED_BY_CLIENT, f"stopped after {len(self.tr.events)} events")
                return True
            if self.stop_when is not None:
                for ev in events:
                    if self.stop_when(ev):
                        self.stop(CLOSED_BY_CLIENT, f"stop_when matched event #{ev.index}")
                        return True
        if gap > self.idle_timeout:
            # Only with transports that ignore read timeouts: the chunk came, but too late.
            self.stop(IDLE_TIMEOUT, f"no bytes for {gap:.3f}s (limit {self.idle_timeout}s)")
            return True
        if now >= self.deadline:
            self.stop(TOTAL_TIMEOUT, f"total budget {self.total_timeout}s exceeded")
            return True
        return False

    def failed(self, exc: BaseException) -> None:
        if isinstance(exc, httpx.TimeoutException):
            self.timed_out()
        else:
            self.stop(CONNECTION_ERROR, _error_detail(exc))

    def finish(self) -> Transcript:
        termination = self.termination or CONNECTION_ERROR
        try:
            self.parser.close(self.clock(), eof=termination == EOF)
        except StreamLimitExceeded as exc:  # a held final CR completed one event too many
            self.tr.limit = exc.to_json()
            termination, self.detail = LIMIT_EXCEEDED, str(exc)
        if self.parser.failed is not None and self.tr.limit is None:
            self.tr.limit = self.parser.failed.to_json()
        self.tr.termination = termination
        self.tr.termination_detail = self.detail
        return self.tr


def read_stream(response: httpx.Response, **options: Unpack[ReadOptions]) -> Transcript:
    """Read an open sync streaming response to its end or to a limit; close it; return the transcript.

    ``t0`` is the request start on ``clock`` (default: now); the total budget counts from it.
    ``parser`` lets the caller set caps (default: an :class:`SSEParser` with default caps).
    ``stop_after_events`` / ``stop_when`` end the read as ``closed_by_client`` once that many events
    arrived / the predicate is true for one; events that came in the same chunk stay in the transcript.
    """
    run = _Run(response, options)
    try:
        chunks = _sync_chunks(response)
        if run.wait_budget()[0] <= 0:
            run.timed_out()
        else:
            for chunk in chunks:
                if chunk and run.take(chunk):
                    break
            else:
                run.stop(EOF)
    except (httpx.HTTPError, OSError) as exc:
        run.failed(exc)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection must not hide the transcript
            response.close()
    return run.finish()


async def aread_stream(response: httpx.Response, **options: Unpack[ReadOptions]) -> Transcript:
    """Async twin of :func:`read_stream` for ``httpx.AsyncClient`` responses (anyio-based: asyncio, and
    trio though that is not tested here)."""
    run = _Run(response, options)
    chunks = _async_chunks(response)
    try:
        while True:
            wait, on_timeout = run.wait_budget()
            if wait <= 0:
                run.timed_out()
                break
            try:
                with anyio.fail_after(wait):
                    chunk = await chunks.__anext__()
            except TimeoutError:
                run.timed_out(on_timeout)
                break
            except StopAsyncIteration:
                run.stop(EOF)
                break
            if chunk and run.take(chunk):
                break
    except (httpx.HTTPError, OSError) as exc:
        run.failed(exc)
    finally:
        with anyio.move_on_after(_CLOSE_GRACE, shield=True):
            try:
                aclose = getattr(chunks, "aclose", None)
                if aclose is not None:
                    await aclose()
                await response.aclose()
            except Exception:  # closing a broken connection must not hide the transcript
                pass
    return run.finish()


def iter_events(
    source: httpx.Response | Iterable[bytes],
    parser: SSEParser | None = None,
    *,
    clock: Clock = time.monotonic,
) -> Generator[Event, None, None]:
    """Yield events from ``response.iter_raw()`` (or any iterable of byte chunks), timing each chunk
    with ``clock``. No time limits; caps and transport errors raise. The parser is closed at the end
    (``eof``) or when the consumer stops early (not ``eof``); pass one in to read its transcript."""
    if parser is None:
        parser = SSEParser(t0=clock())
    chunks = source.iter_raw() if isinstance(source, httpx.Response) else source
    eof = False
    try:
        for chunk in chunks:
            yield from parser.feed(chunk, clock())
        eof = True
        yield from parser.close(clock())
    finally:
        if not eof:
            parser.close(clock(), eof=False)


async def aiter_events(
    source: httpx.Response | AsyncIterator[bytes],
    parser: SSEParser | None = None,
    *,
    clock: Clock = time.monotonic,
) -> AsyncGenerator[Event, None]:
    """Async twin of :func:`iter_events` over ``response.aiter_raw()`` or any async byte iterator."""
    if parser is None:
        parser = SSEParser(t0=clock())
    chunks = source.aiter_raw() if isinstance(source, httpx.Response) else source
    eof = False
    try:
        async for chunk in chunks:
            for ev in parser.feed(chunk, clock()):
                yield ev
        eof = True
        for ev in parser.close(clock()):
            yield ev
    finally:
        if not eof:
            parser.close(clock(), eof=False)
