"""An async load client for streaming chat completions: many at once, each stream fully accounted.

Why its own small client instead of the conformance reader: at a thousand open streams the client
shares the same two cores as the server, so it does the least work that still proves each stream
whole: every `data:` line is decoded, content deltas are counted as tokens, and the stream must end
with exactly one terminal event (`[DONE]`, or an error payload) and nothing after it. The suite's
strict reader is benchmarked on its own in :mod:`tools.bench.validation_throughput`.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field

import httpx

from tools.bench.servers import AUTH


@dataclass
class StreamResult:
    """What one chat stream delivered."""

    status: int = 0
    tokens: int = 0
    terminals: int = 0
    events_after_terminal: int = 0
    ttft_s: float | None = None
    error: str | None = None

    @property
    def intact(self) -> bool:
        """A 200 stream that ended with exactly one terminal event and nothing after it."""
        return (
            self.error is None
            and self.status == 200
            and self.terminals == 1
            and self.events_after_terminal == 0
        )


@dataclass
class LoadResult:
    """Every stream of one load, the wall time, and the most streams that were open at once."""

    streams: list[StreamResult]
    wall_s: float
    peak_open: int = 0
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def lost(self) -> int:
        """Streams that did not end with exactly one terminal event."""
        return sum(1 for s in self.streams if not s.intact)

    @property
    def tokens(self) -> int:
        """Content tokens received over all streams."""
        return sum(s.tokens for s in self.streams)


def chat_body(seed: int, max_tokens: int, model: str = "synth-chat") -> dict[str, object]:
    """A streaming chat request; the seed fixes the synthetic generation's length and text."""
    return {
        "model": model,
        "messages": [{"role": "user", "content": "benchmark"}],
        "stream": True,
        "max_tokens": max_tokens,
        "seed": seed,
    }


def _judge_line(line: str, result: StreamResult, t0: float) -> None:
    if not line.startswith("data:"):
        return  # blank separators, comments (heartbeats), `event:` and `id:` fields
    data = line[5:].strip()
    if result.terminals:
        result.events_after_terminal += 1
        return
    if data == "[DONE]":
        result.terminals += 1
        return
    payload = json.loads(data)
    if isinstance(payload, dict) and "error" in payload:
        result.terminals += 1
        return
    for choice in payload.get("choices") or ():
        if (choice.get("delta") or {}).get("content"):
            if result.ttft_s is None:
                result.ttft_s = time.perf_counter() - t0
            result.tokens += 1


class _OpenCounter:
    def __init__(self) -> None:
        self.now = 0
        self.peak = 0

    def enter(self) -> None:
        self.now += 1
        self.peak = max(self.peak, self.now)

    def leave(self) -> None:
        self.now -= 1


async def one_stream(
    client: httpx.AsyncClient, url: str, body: dict[str, object], counter: _OpenCounter | None = None
) -> StreamResult:
    """Send one streaming chat request and account for every line of its answer."""
    result = StreamResult()
    t0 = time.perf_counter()
    try:
        async with client.stream("POST", f"{url}/v1/chat/completions", json=body, headers=AUTH) as resp:
            result.status = resp.status_code
            if counter is not None:
                counter.enter()
            try:
                async for line in resp.aiter_lines():
                    _judge_line(line, result, t0)
            finally:
                if counter is not None:
                    counter.leave()
    except (httpx.HTTPError, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:200]
    return result


#: Below uvicorn's 5 s keep-alive timeout (httpx's default expiry is the same 5 s): a connection the
#: server is closing must not be picked for the next stream, which would then fail before its first
#: byte (RemoteProtocolError / ReadError) and count as a lost stream that no server lost.
KEEPALIVE_EXPIRY_S = 2.0


def new_client(max_connections: int, timeout_s: float = 120.0) -> httpx.AsyncClient:
    """An AsyncClient with room for `max_connections` streams at once and no pool waits."""
    return httpx.AsyncClient(
        limits=httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=KEEPALIVE_EXPIRY_S,
        ),
        timeout=httpx.Timeout(timeout_s, connect=timeout_s, pool=timeout_s),
    )


async def run_load(url: str, bodies: list[dict[str, object]], concurrency: int) -> LoadResult:
    """Run every body as a stream, at most `concurrency` open at once; count lost streams."""
    counter = _OpenCounter()
    gate = asyncio.Semaphore(concurrency)

    async def guarded(client: httpx.AsyncClient, body: dict[str, object]) -> StreamResult:
        async with gate:
            return await one_stream(client, url, body, counter)

    async with new_client(concurrency) as client:
        t0 = time.perf_counter()
        streams = await asyncio.gather(*(guarded(client, b) for b in bodies))
        wall = time.perf_counter() - t0
    errors: dict[str, int] = {}
    for s in streams:
        if s.error:
            key = s.error.split(":", 1)[0]
            errors[key] = errors.get(key, 0) + 1
    return LoadResult(list(streams), wall, counter.peak, errors)
