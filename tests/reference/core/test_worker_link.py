"""The gateway's HTTP/1.1 link to its workers, against a scripted TCP server on 127.0.0.1.

What it must keep: a chunked body whole however the bytes arrive, a connection reused only after
its answer was read to the end, one more try on a new connection when a kept-alive one was
closed by the worker before it answered, and a `WorkerLinkError` (never a hang or a wrong body)
when an answer breaks off or is not HTTP/1.1.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from llmgw_reference.worker_link_stream import WorkerLink, WorkerLinkError

Script = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
CHUNKED = b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"


async def _request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length: ", 1)[1].split(b"\r\n", 1)[0])
    return head + await reader.readexactly(length)


async def _run(script: Script, client: Callable[[WorkerLink], Awaitable[None]]) -> int:
    """Runs `client` against a server answering with `script`; returns the connections it took."""
    connections = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        try:
            await script(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    link = WorkerLink("127.0.0.1", port, connect_timeout_s=2.0, keepalive_expiry_s=30.0)
    try:
        await client(link)
    finally:
        link.close()
        server.close()
    return connections


async def _post(link: WorkerLink) -> tuple[int, list[bytes]]:
    async with link.post("/internal", [(b"Authorization", b"Bearer k")], b'{"a":1}') as response:
        return response.status, [chunk async for chunk in response.chunks()]


def test_chunks_come_whole_and_the_connection_is_kept_for_the_next_request() -> None:
    seen: list[bytes] = []

    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in range(3):
            seen.append(await _request(reader))
            for piece in (CHUNKED + b"5\r\nhel", b"lo\r\n3;x=1\r\n\n\n\n\r\n", b"0\r\n\r\n"):
                writer.write(piece)
                await writer.drain()
                await asyncio.sleep(0.01)
        await reader.read()

    async def client(link: WorkerLink) -> None:
        for _ in range(3):
            assert await _post(link) == (200, [b"hello", b"\n\n\n"])

    assert asyncio.run(_run(script, client)) == 1
    assert seen[0].startswith(b"POST /internal HTTP/1.1\r\n") and seen[0].endswith(b'\r\n\r\n{"a":1}')
    assert b"\r\nAuthorization: Bearer k\r\n" in seen[0]


def test_a_kept_alive_connection_closed_before_answering_is_retried_on_a_new_one() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok")
        await writer.drain()
        await _request(reader)  # the next request is read and dropped: the connection just closes

    async def client(link: WorkerLink) -> None:
        assert await _post(link) == (200, [b"ok"])
        assert await _post(link) == (200, [b"ok"])

    assert asyncio.run(_run(script, client)) == 2


@pytest.mark.parametrize(
    "answer",
    [
        CHUNKED + b"5\r\nhel",  # broke off inside a chunk
        CHUNKED + b"zz\r\n",  # not a chunk size
        CHUNKED + b"2\r\nokXX",  # a chunk not ending with CRLF
        b"SSH-2.0-OpenSSH\r\n\r\n",  # not HTTP
        b"HTTP/1.1 200 OK\r\ncontent-length: x\r\n\r\n",
    ],
)
def test_a_broken_answer_is_a_link_error(answer: bytes) -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request(reader)
        writer.write(answer)
        await writer.drain()

    async def client(link: WorkerLink) -> None:
        with pytest.raises(WorkerLinkError):
            await _post(link)

    asyncio.run(_run(script, client))


def test_a_new_connection_closed_before_answering_is_not_retried() -> None:
    async def script(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _request(reader)

    async def client(link: WorkerLink) -> None:
        with pytest.raises(WorkerLinkError):
            await _post(link)

    assert asyncio.run(_run(script, client)) == 1
