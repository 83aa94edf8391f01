"""The best time of each contender over interleaved rounds: how the micro-benchmarks time their peers.

Why interleaved and best-of: on a shared machine a neighbour's burst slows whatever runs at that
moment; running every contender once per round spreads such bursts over all of them, and the best
round of each is the one least disturbed.  Written once so that every comparison is timed alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping


def best_of_rounds(
    runs: Mapping[str, Callable[[], object]], rounds: int, clock: Callable[[], float] = time.perf_counter
) -> dict[str, float]:
    """Each run's shortest time in seconds (by ``clock``) over ``rounds`` rounds of all runs in turn."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            started = clock()
            run()
            best[name] = min(best[name], clock() - started)
    return best
