"""Iterators over an open SSE response that yield typed items and own the HTTP connection.

Why a class and not a bare generator: the caller must be able to stop early and have the connection
closed at once (a ``with`` block, ``close()``, or simply ``break`` out of the loop), because for a
native task the server treats a disconnect as a cancel and frees the slot.  The async stream closes on
``async with`` exit or ``aclose()``; an abandoned async generator is only closed later by the loop.

Completion is strict: the iterator ends normally only after the stream's terminator.  A body that ends
early, or a connection that drops mid-stream, raises :class:`IncompleteStreamError` (never retried, and
never a silently truncated result).
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import Generic, TypeVar

import httpx
from httpx_sse import EventSource

from llmgw_sdk.closing import AsyncClosesOnExit, ClosesOnExit
from llmgw_sdk.errors import IncompleteStreamError
from llmgw_sdk.stream_decoding import StreamDecoder

T = TypeVar("T")


def _incomplete(decoder: StreamDecoder[object], exc: httpx.TransportError) -> IncompleteStreamError:
    return IncompleteStreamError(f"{decoder.missing_terminator()}: connection failed mid-stream ({exc!r})")


def _read_items(response: httpx.Response, decoder: StreamDecoder[T]) -> Generator[T, None, None]:
    """The items of one stream.  A free function, not a method: a generator holding ``self`` would form a
    cycle with the stream that holds it, and an abandoned stream (``break`` without ``with``) would then
    keep its connection open until the cyclic garbage collector runs, instead of closing it at once.
    """
    try:
        for sse in EventSource(response).iter_sse():
            item = decoder.feed(sse)
            if item is not None:
                yield item
            if decoder.complete:
                return
    except httpx.TransportError as exc:
        raise _incomplete(decoder, exc) from exc
    finally:
        response.close()
    raise IncompleteStreamError(decoder.missing_terminator())


async def _aread_items(response: httpx.Response, decoder: StreamDecoder[T]) -> AsyncGenerator[T, None]:
    """Async :func:`_read_items`."""
    try:
        sse_events = EventSource(response).aiter_sse()
        try:
            async for sse in sse_events:
                item = decoder.feed(sse)
                if item is not None:
                    yield item
                if decoder.complete:
                    return
        finally:
            await sse_events.aclose()
    except httpx.TransportError as exc:
        raise _incomplete(decoder, exc) from exc
    finally:
        await response.aclose()
    raise IncompleteStreamError(decoder.missing_terminator())


class _OpenStream(Generic[T]):
    """What both streams hold: the open response, its decoder, and when and for which model it was asked.

    ``started_at`` is the ``time.monotonic()`` value taken when the request was sent (the origin of the
    client-side time to first token); ``response`` gives the status and headers; ``model`` is the
    model the request named, when the SDK knows it.
    """

    def __init__(
        self,
        response: httpx.Response,
        decoder: StreamDecoder[T],
        *,
        started_at: float,
        model: str | None = None,
    ) -> None:
        self.response, self.started_at, self.model = response, started_at, model
        self._decoder = decoder
        self._closed = False

    @property
    def request_id(self) -> str | None:
        """The server's ``X-Request-Id`` for this stream, when it sent one."""
        value: str | None = self.response.headers.get("x-request-id")
        return value


class EventStream(_OpenStream[T], ClosesOnExit):
    """A synchronous stream of typed items; iterate it, then it closes itself."""

    _items: Generator[T, None, None] | None = None

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._items is None:
            if self._closed:
                raise StopIteration
            self._items = _read_items(self.response, self._decoder)
        return next(self._items)

    def close(self) -> None:
        """Stop reading and close the connection (the server sees a disconnect). Safe to call twice."""
        if self._items is not None:
            self._items.close()
        self._closed = True
        self.response.close()


class AsyncEventStream(_OpenStream[T], AsyncClosesOnExit):
    """The asynchronous twin of :class:`EventStream` (``async for``, ``await aclose()``, ``async with``)."""

    _items: AsyncGenerator[T, None] | None = None

    def __aiter__(self) -> AsyncIterator[T]:
        return self

    async def __anext__(self) -> T:
        if self._items is None:
            if self._closed:
                raise StopAsyncIteration
            self._items = _aread_items(self.response, self._decoder)
        return await self._items.__anext__()

    async def aclose(self) -> None:
        """Stop reading and close the connection (the server sees a disconnect). Safe to call twice."""
        if self._items is not None:
            await self._items.aclose()
        self._closed = True
        await self.response.aclose()


def monotonic_now() -> float:
    """The clock ``started_at`` uses (one place, so results and streams agree)."""
    return time.monotonic()
