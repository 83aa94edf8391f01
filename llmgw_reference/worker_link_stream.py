"""The gateway's HTTP/1.1 link to its workers: kept-alive connections, one POST, a streamed body.

Why by hand and not httpcore (or httpx over it): the link only ever speaks to our own worker
(`python -m llmgw_reference --role worker`, uvicorn) over plain TCP, one request at a time per
connection, and the profile of a saturated gateway put a third of its CPU in httpcore's pool and
h11's general-purpose state machine (events, header validation, a state transition per read) on
this path. What the link needs is small: write the request in one piece, read the status line and
headers, then the body as uvicorn sends it (chunked, or with a Content-Length), and keep the
connection for the next request when the answer was read to its end. Anything else the peer
sends is a `WorkerLinkError`, which the gateway treats like a broken worker.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

#: StreamReader's buffer limit: far above any head or chunk our worker sends at once.
_READER_LIMIT = 256 * 1024


class WorkerLinkError(OSError):
    """The worker could not be reached, or its answer broke off or was not HTTP/1.1 as expected."""


class _NoAnswer(WorkerLinkError):
    """The connection ended before the first byte of an answer."""


@dataclass
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    idle_since: float = 0.0

    def reusable(self, now: float, expiry_s: float) -> bool:
        """Idle for less than `expiry_s`, not closed by the peer, and nothing unread on it."""
        return (
            now - self.idle_since < expiry_s
            and not self.reader.at_eof()
            and not self.writer.is_closing()
            and not getattr(self.reader, "_buffer", b"")  # no public "bytes buffered" query
        )

    def close(self) -> None:
        self.writer.close()


@dataclass
class LinkResponse:
    """A worker's answer: status, headers (names lower-cased) and the body, read as it comes."""

    status: int
    headers: dict[str, str]
    _connection: _Connection
    _chunked: bool
    _length: int | None
    complete: bool = field(default=False)

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body's pieces as they arrive (each chunk of a chunked body, whole)."""
        reader = self._connection.reader
        try:
            if not self._chunked:
                if self._length:
                    yield await reader.readexactly(self._length)
                self.complete = True
                return
            while True:
                size_line = await reader.readuntil(b"\r\n")
                size = int(size_line.split(b";", 1)[0], 16)
                if size == 0:
                    while await reader.readuntil(b"\r\n") != b"\r\n":
                        pass  # trailers: none from our worker, skipped if any
                    self.complete = True
                    return
                data = await reader.readexactly(size + 2)
                if data[-2:] != b"\r\n":
                    raise WorkerLinkError("a chunk of the worker's answer did not end with CRLF")
                yield data[:-2]
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            raise WorkerLinkError(f"the worker's answer broke off ({type(exc).__name__})") from None
        except ValueError as exc:
            raise WorkerLinkError(f"the worker's answer is not chunked HTTP/1.1: {exc}") from None

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.chunks()])


class WorkerLink:
    """Kept-alive connections to one worker address, opened as requests need them."""

    def __init__(self, host: str, port: int, *, connect_timeout_s: float, keepalive_expiry_s: float) -> None:
        self.host = host
        self.port = port
        self.connect_timeout_s = connect_timeout_s
        self.keepalive_expiry_s = keepalive_expiry_s
        self._idle: list[_Connection] = []
        self._host_header = f"{host}:{port}".encode()

    @asynccontextmanager
    async def post(
        self, path: str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> AsyncIterator[LinkResponse]:
        """Sends `POST path` and yields the answer; the connection is kept only when its body was
        read to the end (closing early, e.g. a cancelled stream, closes it: the worker sees the
        disconnect and cancels the task)."""
        head = [b"POST ", path.encode(), b" HTTP/1.1\r\nHost: ", self._host_header, b"\r\n"]
        for name, value in headers:
            head += [name, b": ", value, b"\r\n"]
        head += [b"Content-Length: ", str(len(body)).encode(), b"\r\n\r\n", body]
        connection, response = await self._send(b"".join(head))
        try:
            yield response
        except (ConnectionError, OSError) as exc:
            connection.close()
            raise exc if isinstance(exc, WorkerLinkError) else WorkerLinkError(repr(exc)) from None
        except BaseException:
            connection.close()
            raise
        if response.complete and response.headers.get("connection", "").lower() != "close":
            connection.idle_since = time.monotonic()
            self._idle.append(connection)
        else:
            connection.close()

    async def _send(self, request: bytes) -> tuple[_Connection, LinkResponse]:
        """Writes the request and reads the answer's head. A kept-alive connection the worker
        closed just as it was picked answers nothing at all: the worker never saw the request,
        so it is sent once more on a new connection."""
        connection, reused = await self._connection()
        while True:
            try:
                connection.writer.write(request)
                await connection.writer.drain()
                return connection, await _read_head(connection)
            except _NoAnswer:
                connection.close()
                if not reused:
                    raise
            except OSError as exc:
                connection.close()
                if not reused:
                    raise exc if isinstance(exc, WorkerLinkError) else WorkerLinkError(repr(exc)) from None
            except BaseException:
                connection.close()
                raise
            connection, reused = await self._new_connection(), False

    async def _connection(self) -> tuple[_Connection, bool]:
        """An idle connection still fit for use (True), else a new one (False)."""
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()
            if connection.reusable(now, self.keepalive_expiry_s):
                return connection, True
            connection.close()
        return await self._new_connection(), False

    async def _new_connection(self) -> _Connection:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(self.host, self.port, limit=_READER_LIMIT), self.connect_timeout_s
            )
        except TimeoutError:
            raise WorkerLinkError(
                f"no connection to {self.host}:{self.port} in {self.connect_timeout_s} s"
            ) from None
        except OSError as exc:
            raise WorkerLinkError(f"cannot connect to {self.host}:{self.port}: {exc}") from None
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _Connection(reader, writer)

    def close(self) -> None:
        for connection in self._idle:
            connection.close()
        self._idle.clear()


async def _read_head(connection: _Connection) -> LinkResponse:
    """The status line and headers (a 1xx answer is skipped, as HTTP/1.1 says)."""
    while True:
        try:
            raw = await connection.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if not exc.partial:
                raise _NoAnswer("the connection ended before any answer") from None
            raise WorkerLinkError("the worker's answer head broke off") from None
        except asyncio.LimitOverrunError as exc:
            raise WorkerLinkError(f"the worker sent no complete answer head ({type(exc).__name__})") from None
        status_line, *lines = raw[:-4].decode("latin-1").split("\r\n")
        version, _, rest = status_line.partition(" ")
        if not version.startswith("HTTP/1.") or not rest[:3].isdigit():
            raise WorkerLinkError(f"not an HTTP/1.1 status line: {status_line[:80]!r}")
        status = int(rest[:3])
        if 100 <= status < 200:
            continue
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length = headers.get("content-length", "0").strip() or "0"
        if not chunked and not length.isdigit():
            raise WorkerLinkError(f"the worker's answer has a bad Content-Length: {length[:40]!r}")
        return LinkResponse(status, headers, connection, chunked, None if chunked else int(length))
