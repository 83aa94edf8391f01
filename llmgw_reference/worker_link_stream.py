"""An asyncio network backend for httpcore, used by the gateway's link to its workers.

Why: httpcore's default backend on asyncio is anyio's socket stream, and on the gateway's per-token
path (one read of the worker's stream per token or per batch of tokens) the profile put a tenth of
the gateway's CPU in it: a cancel scope per read even without a timeout, and the transport's reading
paused and resumed (an epoll unregister and register) around every read. asyncio's own
`StreamReader` buffers what arrives and hands it over with no such work. httpcore documents the
network backend as its extension point (`AsyncConnectionPool(network_backend=...)`); HTTP/1.1 itself
stays httpcore's and h11's. Plain TCP only: the worker link is on our own network, without TLS.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from typing import Any

import httpcore

#: StreamReader's buffer limit: a full read of httpcore's 64 KiB fits.
_READER_LIMIT = 256 * 1024


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One TCP connection as asyncio's reader and writer, with httpcore's exceptions."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            if timeout is None:
                return await self._reader.read(max_bytes)
            return await asyncio.wait_for(self._reader.read(max_bytes), timeout)
        except TimeoutError:
            raise httpcore.ReadTimeout(f"no bytes in {timeout} s") from None
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._writer.write(buffer)
            if timeout is None:
                await self._writer.drain()
            else:
                await asyncio.wait_for(self._writer.drain(), timeout)
        except TimeoutError:
            raise httpcore.WriteTimeout(f"not written in {timeout} s") from None
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        self._writer.close()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.UnsupportedProtocol("the worker link is plain HTTP")

    def get_extra_info(self, info: str) -> Any:
        """`socket`, and `is_readable`, which httpcore asks before reusing an idle connection: the
        peer closed it (EOF read into the buffer) or sent something unasked for."""
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            return self._reader.at_eof() or self._writer.is_closing() or self._reader_has_data()
        return None

    def _reader_has_data(self) -> bool:
        # StreamReader has no public "bytes buffered" query; its buffer is what an idle
        # HTTP/1.1 connection must not have.
        return bool(getattr(self._reader, "_buffer", b""))


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Opens plain TCP connections with `asyncio.open_connection` (TCP_NODELAY, as anyio does)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(host, port, limit=_READER_LIMIT, local_addr=local), timeout
            )
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"no connection in {timeout} s") from None
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for option in socket_options or ():
                sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.UnsupportedProtocol("the worker link is TCP")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
