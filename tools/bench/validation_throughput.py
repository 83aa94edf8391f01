"""Benchmark 2a: the suite's stream validation vs lenient readers, over the SAME recorded bytes.

Why record first: the three readers must see identical bytes cut at identical places, and the
server must not be what is timed. So chat streams are fetched once from a real reference server
(no token pacing: the raw bytes/s of that fetch is reported too), keeping each stream's chunks
exactly as the socket delivered them, until at least `n_chunks` chat chunks are recorded (the
synthetic engine stops naturally after 4 to 48 tokens, so that is many streams). Then, in
interleaved rounds, best of `rounds`, each reader consumes every recorded stream:

* ``suite``: :class:`~llmgw_conformance.sse.SSEParser` + :func:`~llmgw_conformance.grammar.judge_chat` (JSON,
  the
  ChatCompletionChunk schema on every chunk, every chat grammar rule, framing), via the judge's own
  micro-benchmark function (tools.bench.judge_micro), which fails on any violation;
* ``httpx-sse``: its line and event decoders + ``json.loads``, via tools.bench.reader_micro;
* ``openai``: the official client's ``Stream`` over an ``httpx2.Response`` holding the chunks:
  its SSE decoder and the ChatCompletionChunk model per chunk (no request is built or sent).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass

import httpx
import httpx2
import openai
from openai.types.chat import ChatCompletionChunk

from tools.bench.best_of_rounds import best_of_rounds
from tools.bench.chat_load import chat_body
from tools.bench.judge_micro import judged_events
from tools.bench.reader_micro import httpx_sse_events
from tools.bench.servers import AUTH, reference_server

Recorded = list[list[bytes]]


@dataclass
class ValidationResult:
    """Chat chunks per second for each reader, the ratios, and the fetch's raw rate."""

    streams: int
    events: int
    chat_chunks: int
    bytes: int
    fetch_bytes_per_s: float
    suite_chunks_per_s: float
    httpx_sse_chunks_per_s: float
    openai_chunks_per_s: float
    ratio_vs_httpx_sse: float
    ratio_vs_openai: float
    suite_bytes_per_s: float


async def _fetch(url: str, n_chunks: int, concurrency: int = 8) -> tuple[Recorded, float]:
    recorded: Recorded = []
    seed = 0
    chunks_seen = 0
    total_bytes = 0

    async def one(client: httpx.AsyncClient, s: int) -> list[bytes]:
        body = chat_body(seed=s, max_tokens=48)
        async with client.stream("POST", f"{url}/v1/chat/completions", json=body, headers=AUTH) as resp:
            if resp.status_code != 200:
                raise RuntimeError(f"chat stream answered {resp.status_code}")
            return [chunk async for chunk in resp.aiter_raw()]

    t0 = time.perf_counter()
    async with httpx.AsyncClient(timeout=30.0) as client:
        while chunks_seen < n_chunks:
            batch = await asyncio.gather(*(one(client, seed + i) for i in range(concurrency)))
            seed += concurrency
            for stream in batch:
                recorded.append(stream)
                joined = b"".join(stream)
                total_bytes += len(joined)
                chunks_seen += joined.count(b"chat.completion.chunk")
    return recorded, total_bytes / (time.perf_counter() - t0)


async def record(url: str, n_chunks: int) -> Recorded:
    """At least ``n_chunks`` chat chunks recorded from the server at ``url``, as 2a records them."""
    recorded, _rate = await _fetch(url, n_chunks)
    return recorded


def _events(stream: list[bytes]) -> int:
    return b"".join(stream).count(b"\n\n")


def _suite(recorded: Recorded, events: list[int]) -> int:
    return sum(judged_events(chunks, n) for chunks, n in zip(recorded, events, strict=True))


def _httpx(recorded: Recorded, events: list[int]) -> int:
    return sum(httpx_sse_events(chunks, n) for chunks, n in zip(recorded, events, strict=True))


def _openai(recorded: Recorded, client: openai.OpenAI) -> int:
    request = httpx2.Request("POST", "http://bench.invalid/v1/chat/completions")
    n = 0
    for chunks in recorded:
        response = httpx2.Response(
            200, headers={"content-type": "text/event-stream"}, content=iter(chunks), request=request
        )
        for _chunk in openai.Stream(cast_to=ChatCompletionChunk, response=response, client=client):
            n += 1
    return n


def run(n_chunks: int = 20_000, rounds: int = 5) -> ValidationResult:
    """Record at least `n_chunks` chat chunks from the reference, then time the three readers."""
    config = {"ttft_ms": 0.0, "tokens_per_s": 0.0, "slots_per_worker": 16, "queue_capacity": 256}
    with reference_server(config) as ref:
        recorded, fetch_rate = asyncio.run(_fetch(ref.url, n_chunks))
    events = [_events(s) for s in recorded]
    total_bytes = sum(len(c) for s in recorded for c in s)
    chat_chunks = sum(b"".join(s).count(b"chat.completion.chunk") for s in recorded)
    client = openai.OpenAI(api_key="bench", base_url="http://bench.invalid/v1")
    # Every reader must see every chat chunk, or the comparison is of different work.
    counts = {"suite": _suite(recorded, events), "httpx-sse": _httpx(recorded, events)}
    counts["openai"] = _openai(recorded, client)
    if (
        counts["suite"] != sum(events)
        or counts["httpx-sse"] != sum(events)
        or counts["openai"] != chat_chunks
    ):
        raise RuntimeError(f"readers disagree on the recorded streams: {counts}, events {sum(events)}")
    best = best_of_rounds(
        {
            "suite": lambda: _suite(recorded, events),
            "httpx-sse": lambda: _httpx(recorded, events),
            "openai": lambda: _openai(recorded, client),
        },
        rounds,
    )
    rate = {name: chat_chunks / seconds for name, seconds in best.items()}
    result = ValidationResult(
        streams=len(recorded), events=sum(events), chat_chunks=chat_chunks, bytes=total_bytes,
        fetch_bytes_per_s=round(fetch_rate), suite_chunks_per_s=round(rate["suite"]),
        httpx_sse_chunks_per_s=round(rate["httpx-sse"]), openai_chunks_per_s=round(rate["openai"]),
        ratio_vs_httpx_sse=round(rate["suite"] / rate["httpx-sse"], 3),
        ratio_vs_openai=round(rate["suite"] / rate["openai"], 3),
        suite_bytes_per_s=round(total_bytes / best["suite"]),
    )  # fmt: skip
    print(
        f"  {chat_chunks} chat chunks in {len(recorded)} streams, {total_bytes:,} bytes "
        f"(fetched at {fetch_rate:,.0f} B/s); chunks/s: suite {rate['suite']:,.0f}, "
        f"httpx-sse {rate['httpx-sse']:,.0f}, openai {rate['openai']:,.0f}; ratios "
        f"{result.ratio_vs_httpx_sse:.2f}x / {result.ratio_vs_openai:.2f}x"
    )
    return result


def as_dict(result: ValidationResult) -> dict[str, object]:
    """JSON-ready form for reports/bench.json."""
    return asdict(result)
