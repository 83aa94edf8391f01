"""Micro-benchmark: our strict reader vs httpx-sse's decoder, both followed by ``json.loads``.

Run ``python -m tools.bench.reader_micro [n_events]``. The input is ``n_events`` OpenAI-style chat
completion chunks (``data: {...}\\n\\n``) plus ``data: [DONE]``, cut two ways: one chunk per event (a server
flushing every token) and 64 KiB chunks (a fast bulk read). For each, three readers parse the same bytes:

* ``ours``: :class:`SSEParser` ``feed(chunk, time.monotonic())``, then ``json.loads(event.data)``;
* ``httpx-sse``: what ``EventSource.iter_sse()`` does: incremental UTF-8 decode, ``SSELineDecoder``,
  ``SSEDecoder``, then ``json.loads(sse.data)``;
* ``SSEDecoder only``: a harsher baseline: ``SSEDecoder`` over lines pre-split outside the timing.

Each figure is the best of ``repeat`` rounds in which the readers take turns.
"""

from __future__ import annotations

import codecs
import json
import sys
import time
from collections.abc import Callable

from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from llmgw_conformance.sse import SSEParser

__all__ = ["httpx_sse_events", "make_stream", "per_event_chunks", "run"]


def make_stream(n_events: int) -> bytes:
    """``n_events`` chat.completion.chunk events and a final ``[DONE]``."""
    parts = []
    for i in range(n_events):
        chunk = {
            "id": "chatcmpl-c1",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": "gpt-4o-mini",
            "system_fingerprint": "fp_0123456789",
            "choices": [
                {"index": 0, "delta": {"content": f"token{i} "}, "logprobs": None, "finish_reason": None}
            ],
        }
        parts.append(b"data: " + json.dumps(chunk, separators=(",", ":")).encode() + b"\n\n")
    parts.append(b"data: [DONE]\n\n")
    return b"".join(parts)


def per_event_chunks(stream: bytes) -> list[bytes]:
    """The stream cut one chunk per event (a server flushing every token)."""
    return [p + b"\n\n" for p in stream.split(b"\n\n") if p]


def _bulk_chunks(stream: bytes, size: int = 65536) -> list[bytes]:
    return [stream[i : i + size] for i in range(0, len(stream), size)]


def _ours(chunks: list[bytes], n_events: int) -> int:
    parser = SSEParser(max_events=n_events + 1, max_total_bytes=sum(map(len, chunks)) + 1)
    clock = time.monotonic
    loads = json.loads
    n = 0
    for chunk in chunks:
        for ev in parser.feed(chunk, clock()):
            if ev.data != "[DONE]":
                loads(ev.data)
            n += 1
    parser.close(clock())
    return n


def httpx_sse_events(chunks: list[bytes], n_events: int) -> int:
    """The lenient peer: what ``EventSource.iter_sse()`` does, then ``json.loads`` of each data; returns
    the events read."""
    text_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    line_decoder = SSELineDecoder()
    decoder = SSEDecoder()
    loads = json.loads
    n = 0
    for chunk in chunks:
        for line in line_decoder.decode(text_decoder.decode(chunk)):
            sse = decoder.decode(line)
            if sse is not None:
                if sse.data != "[DONE]":
                    loads(sse.data)
                n += 1
    for line in line_decoder.flush():
        sse = decoder.decode(line)
        if sse is not None:
            n += 1
    return n


def _decoder_only(lines: list[str], n_events: int) -> int:
    decoder = SSEDecoder()
    loads = json.loads
    n = 0
    for line in lines:
        sse = decoder.decode(line)
        if sse is not None:
            if sse.data != "[DONE]":
                loads(sse.data)
            n += 1
    return n


def _timed(fn: Callable[[], int], expect: int) -> float:
    t = time.perf_counter()
    got = fn()
    elapsed = time.perf_counter() - t
    if got != expect:
        raise AssertionError(f"{fn} produced {got} events, expected {expect}")
    return elapsed


def run(n_events: int = 20_000, repeat: int = 7) -> dict[str, dict[str, float]]:
    """Print and return events/s per reader and chunking, and our ratio to each baseline.

    The readers take turns, round after round, and each keeps its best round: on a shared machine a
    burst of load then hits all of them alike instead of one reader's whole series."""
    stream = make_stream(n_events)
    expect = n_events + 1
    lines = stream.decode().split("\n")
    results: dict[str, dict[str, float]] = {}
    print(f"{expect} events, {len(stream)} bytes; events/s, best of {repeat} interleaved rounds")
    for name, chunks in (
        ("per-event chunks", per_event_chunks(stream)),
        ("64 KiB chunks", _bulk_chunks(stream)),
    ):
        readers: dict[str, Callable[[], int]] = {
            "ours": lambda c=chunks: _ours(c, n_events),  # type: ignore[misc]
            "httpx_sse": lambda c=chunks: httpx_sse_events(c, n_events),  # type: ignore[misc]
            "sse_decoder_only": lambda: _decoder_only(lines, n_events),
        }
        best = dict.fromkeys(readers, float("inf"))
        for _ in range(repeat):
            for key, fn in readers.items():
                best[key] = min(best[key], _timed(fn, expect))
        rate = {key: expect / seconds for key, seconds in best.items()}
        ours, base, only = rate["ours"], rate["httpx_sse"], rate["sse_decoder_only"]
        results[name] = {
            **rate,
            "ratio_vs_httpx_sse": ours / base,
            "ratio_vs_sse_decoder_only": ours / only,
        }
        print(
            f"  {name:17} ours {ours:>10,.0f}  httpx-sse {base:>10,.0f}  SSEDecoder-only {only:>10,.0f}"
            f"  ratio {ours / base:.2f}x / {ours / only:.2f}x"
        )
    return results


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
