"""Where 2a's time goes: the suite's stream validation built up stage by stage, beside its peer.

Run ``python -m tools.bench.validation_stages [n_chunks] [rounds]``. It records chat streams from a
reference (as 2a does), then times, in interleaved rounds keeping each stage's best, the reader
alone, then the reader with the judge's decoding, the schema check, every per-event rule, the
end-of-stream rules and the framing judge (the last is 2a's suite), and httpx-sse + ``json.loads``.
Times are this process's CPU time (``time.process_time``): on a shared machine the wall clock
mostly measures the neighbours. The differences between lines are what each stage costs per chunk;
the peer line is the budget (2a's goal of 1.5x means the suite's line at most 1/1.5 of it).
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import time
from collections.abc import Callable
from typing import Any

from llmgw_conformance.grammar import ChatRequest, StreamMeta
from llmgw_conformance.grammar import chat as chat_rules
from llmgw_conformance.grammar.driver import StreamGrammar, judge_stream
from llmgw_conformance.sse import SSEParser
from tools.bench.best_of_rounds import best_of_rounds
from tools.bench.reader_micro import httpx_sse_events
from tools.bench.servers import reference_server
from tools.bench.validation_throughput import Recorded, record

__all__ = ["run", "stages"]

_CHAT = chat_rules.CHAT_CHUNKS
_FIRST = (chat_rules.sentinel_exactly_once,)
#: Each stage: the grammar the driver applies (None: the reader alone) and whether framing is judged.
_STAGES: dict[str, tuple[StreamGrammar[Any, Any] | None, bool]] = {
    "reader (feed + close, arrival times)": (None, False),
    "+ decode, per-stream judge setup": (
        dataclasses.replace(_CHAT, on_event=_FIRST, on_payload=(), at_end=()),
        False,
    ),
    "+ schema (template shortcut)": (
        dataclasses.replace(_CHAT, on_event=_FIRST, on_payload=(chat_rules.chunk_matches_schema,), at_end=()),
        False,
    ),
    "+ every per-event rule": (dataclasses.replace(_CHAT, at_end=()), False),
    "+ end-of-stream rules": (_CHAT, False),
    "+ framing (= 2a's suite)": (_CHAT, True),
}


def _suite(recorded: Recorded, grammar: StreamGrammar[Any, Any] | None, framing: bool) -> Callable[[], None]:
    meta = StreamMeta(200, "text/event-stream") if framing else None

    def run() -> None:
        clock = time.monotonic
        for chunks in recorded:
            parser = SSEParser(max_total_bytes=sum(map(len, chunks)) + 1, t0=clock())
            for chunk in chunks:
                parser.feed(chunk, clock())
            parser.close(clock())
            if grammar is not None:
                judge_stream(grammar, parser.transcript, ChatRequest(), meta)

    return run


def stages(recorded: Recorded, rounds: int = 21) -> dict[str, float]:
    """CPU microseconds per chat chunk of each stage and of the peer (best of ``rounds``)."""
    counts = [b"".join(s).count(b"\n\n") for s in recorded]
    chunks = sum(b"".join(s).count(b"chat.completion.chunk") for s in recorded)
    runs = {name: _suite(recorded, g, framing) for name, (g, framing) in _STAGES.items()}

    def peer() -> None:
        for chunks_of_stream, n in zip(recorded, counts, strict=True):
            httpx_sse_events(chunks_of_stream, n)

    runs["httpx-sse + json.loads (peer)"] = peer
    best = best_of_rounds(runs, rounds, clock=time.process_time)
    return {name: seconds / chunks * 1e6 for name, seconds in best.items()}


def run(n_chunks: int = 5_000, rounds: int = 21) -> dict[str, float]:
    """Record ``n_chunks`` chat chunks from a reference, print and return each stage's cost."""
    config = {"ttft_ms": 0.0, "tokens_per_s": 0.0, "slots_per_worker": 16, "queue_capacity": 256}
    with reference_server(config) as ref:
        recorded = asyncio.run(record(ref.url, n_chunks))
    result = stages(recorded, rounds)
    previous = 0.0
    for name, us in result.items():
        step = f"  ({us - previous:+.2f})" if name.startswith("+") else ""
        print(f"  {name:38} {us:6.2f} us/chunk{step}")
        previous = us if "peer" not in name else previous
    return result


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    run(*args)
