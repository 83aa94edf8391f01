"""A deliberately hostile HTTP server, written on raw asyncio sockets.

Why raw sockets and not Starlette: the misbehaviours that hang or crash clients (never answering,
headers after 10 s, a reset in the middle of a chunked body, bytes that are not HTTP-clean) cannot
be produced through an ASGI server that does the framing for you.

Each behaviour is a path; the same behaviour also answers ``POST /v1/chat/completions`` when the
server is started in that mode, so the suite's real chat checks can be pointed at it.
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
#: Size of the huge JSON body (50 MiB).
HUGE = 50 * 1024 * 1024


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
    await asyncio.sleep(10)
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
    rng = random.Random(7)
    writer.write(_head(200, "text/event-stream"))
    while True:
        writer.write(_chunk(rng.randbytes(64 * 1024)))
        await writer.drain()
        await asyncio.sleep(0.001)


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
    body = b'{"object":"list","data":[]}' * 100
    writer.write(_head(200, "application/json", length=len(body)))
    for byte in body:
        writer.write(bytes([byte]))
        await writer.drain()
        await asyncio.sleep(0.2)


async def endless_headers(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\n")
    i = 0
    while True:
        writer.write(b"x-filler-%d: %s\r\n" % (i, b"y" * 1000))
        await writer.drain()
        i += 1
        await asyncio.sleep(0.001)


async def not_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(random.Random(3).randbytes(4096))
    await writer.drain()
    await _hold(reader)


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
    "reset": reset,
    "huge": huge_json,
    "invalid-utf8": invalid_utf8,
    "trickle": trickle,
    "endless-headers": endless_headers,
    "not-http": not_http,
    "bad-gzip": bad_gzip,
}


class HostileServer:
    """Serves every behaviour at ``/<name>``; ``chat_mode`` makes the chat path behave that way too."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="hostile-server")
        self.server: asyncio.Server | None = None
        self.base_url = ""
        self.chat_mode = "endless"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
            _method, path = request_line.split(" ")[:2]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                field, _, value = line.partition(b":")
                if field.strip().lower() == b"content-length":
                    length = int(value.strip() or 0)
            if length:
                await reader.readexactly(length)
            if path == "/v1/models":
                writer.write(_head(200, "application/json", length=len(MODELS)) + MODELS)
                await writer.drain()
                return
            name = self.chat_mode if path == "/v1/chat/completions" else path.strip("/")
            handler = BEHAVIOURS.get(name)
            if handler is None:
                writer.write(_head(404, "text/plain", length=9) + b"not found")
                await writer.drain()
                return
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        except asyncio.CancelledError:  # the test is over and the server stops: nothing to report
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    def start(self) -> HostileServer:
        self.thread.start()

        async def open_server() -> asyncio.Server:
            return await asyncio.start_server(self._serve, "127.0.0.1", 0)

        self.server = asyncio.run_coroutine_threadsafe(open_server(), self.loop).result(10)
        port = self.server.sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        async def close() -> None:
            if self.server is not None:
                self.server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
