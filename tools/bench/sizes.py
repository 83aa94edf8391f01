"""How big each benchmark runs: the full sizes of `make bench` and the tiny ones of the smoke tests.

Why one place: the full run must stay within about ten minutes on a shared 2-core machine, and the
smoke tests must run the very same code paths in seconds; both are tuned here, side by side.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    """Every knob of every benchmark."""

    #: 1a: stream counts tried in order (the next level starts only while the sweep is under
    #: `stream_budget_s`), the synthetic TTFT that holds them open, the token rate.
    stream_levels: tuple[int, ...]
    stream_hold_ms: float
    stream_tokens_per_s: float
    stream_budget_s: float
    #: 1b: paced token rate per stream, streams at once, streams per round, interleaved rounds.
    paced_tokens_per_s: float
    load_concurrency: int
    load_requests: int
    load_rounds: int
    #: 1c: TTFT samples per path.
    ttft_samples: int
    #: 2a: chat chunks recorded and replayed, rounds.
    validation_chunks: int
    validation_rounds: int
    #: 2a micro: synthetic events for the reader's and the judge's own micro-benchmarks.
    micro_events: int
    #: 2b: example counts besides the default run, rounds, extra `conformance run` arguments.
    suite_examples: tuple[int, ...]
    suite_rounds: int
    suite_args: tuple[str, ...]


FULL = Sizes(
    stream_levels=(500, 1000, 2000, 4000, 6000),
    stream_hold_ms=4000.0,
    stream_tokens_per_s=4.0,
    stream_budget_s=100.0,
    paced_tokens_per_s=25.0,
    load_concurrency=64,
    load_requests=192,
    load_rounds=3,
    ttft_samples=60,
    validation_chunks=20_000,
    validation_rounds=5,
    micro_events=20_000,
    suite_examples=(5, 20, 40),
    suite_rounds=1,
    suite_args=(),
)

QUICK = Sizes(
    stream_levels=(20, 40),
    stream_hold_ms=300.0,
    stream_tokens_per_s=50.0,
    stream_budget_s=30.0,
    paced_tokens_per_s=200.0,
    load_concurrency=8,
    load_requests=16,
    load_rounds=1,
    ttft_samples=5,
    validation_chunks=300,
    validation_rounds=1,
    micro_events=300,
    suite_examples=(2,),
    suite_rounds=1,
    suite_args=("--check", "capabilities"),
)
