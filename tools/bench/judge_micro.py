"""Micro-benchmark: strict reader + chat grammar + schema per chunk, vs httpx-sse + ``json.loads``.

Run ``python -m tools.bench.judge_micro [n_events]``. The input is the reader benchmark's chat
stream (tools.bench.reader_micro.make_stream), cut one chunk per event (a server flushing every
token). ``judged`` parses it with :class:`SSEParser` and runs :func:`judge_chat` (JSON decoding, the
ChatCompletionChunk schema on every chunk, every grammar rule, the framing judge); ``httpx-sse`` only
decodes events and ``json.loads`` their data, which is what a lenient client does. The goal is 2a's
(issue 16): judging strictly at least 1.5x as fast as reading leniently; this micro-benchmark is 2a's
work on one long synthetic stream, so it shows whether a regression is per event or per stream.
"""

from __future__ import annotations

import sys
import time

from llmgw_conformance.grammar import ChatRequest, StreamMeta, judge_chat
from llmgw_conformance.sse import SSEParser
from tools.bench.best_of_rounds import best_of_rounds
from tools.bench.reader_micro import httpx_sse_events, make_stream, per_event_chunks

__all__ = ["judged_events", "run"]


def judged_events(chunks: list[bytes], n_events: int) -> int:
    """The suite's way: strict reader, then the chat judge with framing; fails on any violation and
    returns the events read."""
    parser = SSEParser(
        max_events=n_events + 1, max_total_bytes=sum(map(len, chunks)) + 1, t0=time.monotonic()
    )
    clock = time.monotonic
    for chunk in chunks:
        parser.feed(chunk, clock())
    parser.close(clock())
    verdict = judge_chat(parser.transcript, ChatRequest(), StreamMeta(200, "text/event-stream"))
    if verdict.violations:
        raise AssertionError(f"the benchmark stream broke rules: {verdict.violations[:2]}")
    return len(parser.transcript.events)


def run(n_events: int = 20_000, repeat: int = 5) -> float:
    """Print events/s for both and return the ratio judged / httpx-sse (higher is better)."""
    stream = make_stream(n_events)
    # The reader benchmark's chunks carry no role or finish: make them a valid stream for the judge.
    stream = stream.replace(
        b'"delta":{"content":"token0 "}', b'"delta":{"role":"assistant","content":"token0 "}'
    )
    last = f'"delta":{{"content":"token{n_events - 1} "}},"logprobs":null,"finish_reason":null'.encode()
    stream = stream.replace(last, last.replace(b'"finish_reason":null', b'"finish_reason":"stop"'))
    chunks = per_event_chunks(stream)
    expect = n_events + 1
    judged = best_of_rounds({"judged": lambda: judged_events(chunks, n_events)}, repeat)["judged"]
    lenient = best_of_rounds({"lenient": lambda: httpx_sse_events(chunks, n_events)}, repeat)["lenient"]
    ratio = lenient / judged
    print(
        f"{expect} events: judged {expect / judged:,.0f}/s, "
        f"httpx-sse + json.loads {expect / lenient:,.0f}/s, "
        f"ratio {ratio:.2f}x (2a's goal: >= 1.5x)"
    )
    return ratio


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
