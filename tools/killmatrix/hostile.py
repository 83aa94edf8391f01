"""Small hostile HTTP servers (raw asyncio sockets) that the suite must judge without hanging.

Why raw sockets: the behaviours that hang or crash clients (never answering, headers held back,
a reset mid-body, bytes that are not UTF-8) cannot be produced through an ASGI server. The
suite's own hostile server lives under tests/ (not importable as a package), so the matrix has
its own. Every request gets the mode's answer, whatever its path.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import threading
from collections.abc import Awaitable, Callable

from tools.killmatrix.processes import free_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
#: Size of the huge JSON body (the suite's --max-bytes must stop reading long before its end).
HUGE_BYTES = 64 * 1024 * 1024
#: How long `slow-headers` holds the status line (longer than the suite's read timeout).
SLOW_HEADERS_S = 6.0
#: Seconds between two bytes of `trickle`'s body.
TRICKLE_GAP_S = 2.0


def _head(status: int, content_type: str, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} OK", f"content-type: {content_type}", "cache-control: no-cache"]
    lines.append(f"content-length: {length}" if length is not None else "transfer-encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def _read_request(reader: asyncio.StreamReader) -> None:
    """Reads one request head (and ignores the body): the answer does not depend on it."""
    with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        await reader.readuntil(b"\r\n\r\n")


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError):
        while await reader.read(65536):
            pass


async def slow_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(SLOW_HEADERS_S)
    writer.write(_head(200, "text/event-stream") + _chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n")


async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head(200, "text/event-stream"))
    i = 0
    while True:
        writer.write(_chunk(b'data: {"i":%d}\n\n' % i))
        await writer.drain()
        i += 1
        await asyncio.sleep(0.001)


async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"\x00\x17\xfe garbage that is not HTTP \xff\r\n\r\n" * 4)


async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head(200, "text/event-stream") + _chunk(b'data: {"id":"x"'))
    await writer.drain()
    sock = writer.get_extra_info("socket")
    if sock is not None:  # SO_LINGER 0: close sends RST instead of FIN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


async def huge_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head(200, "application/json", HUGE_BYTES) + b'{"object":"list","data":["')
    block = b"x" * 65536
    for _ in range(HUGE_BYTES // len(block)):
        writer.write(block)
        await writer.drain()


async def invalid_utf8(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    body = b'data: {"text":"\xff\xfe\xc3("}\n\ndata: [DONE]\n\n'
    writer.write(_head(200, "text/event-stream; charset=utf-8", len(body)) + body)


async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A complete status line and headers, then the body one byte every TRICKLE_GAP_S seconds: every
    single read succeeds, so only a deadline on the whole answer ends it."""
    body = b'{"object":"list","data":[]}' * 20
    writer.write(_head(200, "application/json", len(body)))
    for byte in body:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(TRICKLE_GAP_S)


HOSTILE_MODES: dict[str, Handler] = {
    "silent": silent,
    "endless": endless,
    "garbage": garbage,
    "reset": reset,
    "huge-body": huge_body,
    "invalid-utf8": invalid_utf8,
    "slow-headers": slow_headers,
    "trickle": trickle,
}


class HostileServer:
    """`with HostileServer("endless") as s:` serves that behaviour on a free 127.0.0.1 port."""

    def __init__(self, mode: str) -> None:
        if mode not in HOSTILE_MODES:
            raise ValueError(f"unknown hostile mode {mode!r}; known: {sorted(HOSTILE_MODES)}")
        self.mode = mode
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name=f"hostile-{mode}", daemon=True)
        self._server: asyncio.Server | None = None

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handler = HOSTILE_MODES[self.mode]
        try:
            await _read_request(reader)
            await handler(reader, writer)
            await writer.drain()
        except (ConnectionError, OSError, asyncio.CancelledError):
            pass  # the client left, or the server is shutting down: the handler simply ends
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    def __enter__(self) -> HostileServer:
        self._thread.start()
        start = asyncio.start_server(self._serve_one, "127.0.0.1", self.port)
        self._server = asyncio.run_coroutine_threadsafe(start, self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def shutdown() -> None:
            if self._server is not None:
                self._server.close()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        if not self._thread.is_alive():
            self._loop.close()
