"""Hostile HTTP servers on raw asyncio sockets: the one set the kill matrix and the suite's tests use.

Why raw sockets: the behaviours that hang or crash clients (never answering, headers held back, a
reset mid-body, bytes that are not HTTP or not UTF-8) cannot be produced through an ASGI server,
which does the framing for you.

Two shapes over the same behaviours:

* :class:`HostileServer` (``with HostileServer("silent") as s:``): a whole hostile target, every
  request gets the mode's answer whatever its path (kill matrix rows, the CLI's hostile tests).
* :class:`HostilePaths` (``HostilePaths().start()``): each behaviour at ``/<name>``, a sane
  ``/v1/models``, and ``POST /v1/chat/completions`` behaving as ``chat_mode`` (tests that point one
  check, or the shipped chat checks, at one misbehaviour).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
from collections.abc import Awaitable, Callable

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
MODELS = b'{"object":"list","data":[{"id":"hostile","object":"model","created":0,"owned_by":"x"}]}'
#: Size of the huge JSON body (50 MiB: the suite's --max-bytes must stop reading long before its end).
HUGE = 50 * 1024 * 1024
#: How long `slow-headers` holds the status line (longer than any read timeout the tests use).
SLOW_HEADERS_S = 10.0
#: Seconds between two bytes of `trickle`'s body: every read succeeds, only a deadline ends it.
TRICKLE_GAP_S = 2.0


def _head(status: int, content_type: str, *, length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} OK", f"content-type: {content_type}", "cache-control: no-cache"]
    lines.append(f"content-length: {length}" if length is not None else "transfer-encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


async def _hold(reader: asyncio.StreamReader) -> None:
    """Wait until the client goes away."""
    with contextlib.suppress(ConnectionError):
        while await reader.read(65536):
            pass


async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _hold(reader)


async def slow_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(SLOW_HEADERS_S)
    writer.write(_head(200, "text/event-stream") + _chunk(b"data: [DONE]\n\n") + b"0\r\n\r\n")
    await writer.drain()


async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head(200, "text/event-stream"))
    i = 0
    while True:
        writer.write(_chunk(b'data: {"i":%d}\n\n' % i))
        await writer.drain()
        i += 1
        await asyncio.sleep(0.05)


async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A valid status line and headers, then random bytes as the event stream, forever."""
    rng = random.Random(7)
    writer.write(_head(200, "text/event-stream"))
    while True:
        writer.write(_chunk(rng.randbytes(64 * 1024)))
        await writer.drain()
        await asyncio.sleep(0.001)


async def not_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Random bytes where the status line belongs: not HTTP at all."""
    writer.write(random.Random(3).randbytes(4096))
    await writer.drain()
    await _hold(reader)


async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head(200, "text/event-stream") + _chunk(b'data: {"i":0}\n\n'))
    await writer.drain()
    await asyncio.sleep(0.2)
    sock = writer.get_extra_info("socket")
    # SO_LINGER 0: close() sends RST instead of FIN, the rudest way to end a stream.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def huge_json(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(_head(200, "application/json", length=HUGE))
    writer.write(b'{"data":"')
    block = b"a" * (1024 * 1024)
    sent = 9
    while sent < HUGE - 2:
        piece = block[: min(len(block), HUGE - 2 - sent)]
        writer.write(piece)
        sent += len(piece)
        await writer.drain()
    writer.write(b'"}')
    await writer.drain()


async def invalid_utf8(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    body = b'data: {"text":"ok"}\n\ndata: {"text":"\xff\xfe\xc3("}\n\ndata: [DONE]\n\n'
    writer.write(_head(200, "text/event-stream") + _chunk(body) + b"0\r\n\r\n")
    await writer.drain()


async def trickle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    body = b'{"object":"list","data":[]}' * 20
    writer.write(_head(200, "application/json", length=len(body)))
    for byte in body:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(TRICKLE_GAP_S)


async def endless_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\n")
    i = 0
    while True:
        writer.write(b"x-filler-%d: %s\r\n" % (i, b"y" * 1000))
        await writer.drain()
        i += 1
        await asyncio.sleep(0.001)


async def bad_gzip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    body = b"this is not gzip at all" * 10
    head = _head(200, "application/json", length=len(body)).replace(
        b"\r\n\r\n", b"\r\ncontent-encoding: gzip\r\n\r\n"
    )
    writer.write(head + body)
    await writer.drain()


BEHAVIOURS: dict[str, Handler] = {
    "silent": silent,
    "slow-headers": slow_headers,
    "endless": endless,
    "garbage": garbage,
    "not-http": not_http,
    "reset": reset,
    "huge": huge_json,
    "invalid-utf8": invalid_utf8,
    "trickle": trickle,
    "endless-headers": endless_headers,
    "bad-gzip": bad_gzip,
}

#: The whole-target modes the kill matrix judges (issue 12's list: silent, endless stream, a trickle,
#: garbage bytes, resets, slow headers, huge bodies, not HTTP; and bytes that are not UTF-8).
HOSTILE_MODES: dict[str, Handler] = {
    name: BEHAVIOURS[name]
    for name in (
        "silent",
        "endless",
        "trickle",
        "garbage",
        "reset",
        "slow-headers",
        "huge",
        "not-http",
        "invalid-utf8",
    )
}


async def _read_request(reader: asyncio.StreamReader) -> str:
    """Read one request (head and a Content-Length body); return its path."""
    head = await reader.readuntil(b"\r\n\r\n")
    request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    path = request_line.split(" ")[1] if " " in request_line else "/"
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    if length:
        await reader.readexactly(length)
    return path


class _LoopServer:
    """An asyncio server on its own thread, on 127.0.0.1 (port 0: a free one)."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name=name)
        self.server: asyncio.Server | None = None
        self.base_url = ""

    async def _route(self, path: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._route(await _read_request(reader), reader, writer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass  # the client left or sent nonsense: the handler simply ends
        except asyncio.CancelledError:  # the server stops: nothing to report
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    def _start(self) -> None:
        self.thread.start()

        async def open_server() -> asyncio.Server:
            return await asyncio.start_server(self._serve, "127.0.0.1", 0)

        self.server = asyncio.run_coroutine_threadsafe(open_server(), self.loop).result(10)
        self.base_url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    def stop(self) -> None:
        async def close() -> None:
            if self.server is not None:
                self.server.close()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        if not self.thread.is_alive():
            self.loop.close()


class HostileServer(_LoopServer):
    """``with HostileServer("endless") as s:`` answers every request with that behaviour."""

    def __init__(self, mode: str) -> None:
        if mode not in BEHAVIOURS:
            raise ValueError(f"unknown hostile mode {mode!r}; known: {sorted(BEHAVIOURS)}")
        super().__init__(f"hostile-{mode}")
        self.mode = mode

    async def _route(self, path: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await BEHAVIOURS[self.mode](reader, writer)
        await writer.drain()

    def __enter__(self) -> HostileServer:
        self._start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class HostilePaths(_LoopServer):
    """Every behaviour at ``/<name>``; ``/v1/models`` answers sanely; the chat path as ``chat_mode``."""

    def __init__(self) -> None:
        super().__init__("hostile-paths")
        self.chat_mode = "endless"

    async def _route(self, path: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if path == "/v1/models":
            writer.write(_head(200, "application/json", length=len(MODELS)) + MODELS)
            await writer.drain()
            return
        handler = BEHAVIOURS.get(self.chat_mode if path == "/v1/chat/completions" else path.strip("/"))
        if handler is None:
            writer.write(_head(404, "text/plain", length=9) + b"not found")
            await writer.drain()
            return
        await handler(reader, writer)

    def start(self) -> HostilePaths:
        self._start()
        return self
