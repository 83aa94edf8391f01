"""Benchmark 1a: how many chat streams the reference holds open at once with no lost terminal event.

Why this shape: the synthetic engine waits `ttft_ms` before the first token, so a long TTFT keeps
every stream of a level open while the rest are still being opened, and a slow token rate then
makes them overlap while they deliver. The server gets enough slots and queue for the largest level
(admission control is not what is measured here). Levels grow until one loses a stream or the time
budget is spent; the answer is the largest level with 0 lost, with its wall time and the most
streams the client saw open at the same moment.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, dataclass

from tools.bench.chat_load import LoadResult, chat_body, run_load
from tools.bench.servers import reference_server
from tools.bench.sizes import FULL


@dataclass
class Level:
    """One level of the sweep."""

    n: int
    lost: int
    peak_open: int
    wall_s: float
    errors: dict[str, int]


@dataclass
class ConcurrentStreamsResult:
    """The sweep and its answer."""

    levels: list[Level]
    max_n_zero_lost: int
    wall_s_at_max: float
    peak_open_at_max: int
    config: dict[str, object]


def server_config(max_n: int, hold_ms: float, tokens_per_s: float) -> dict[str, object]:
    """One worker with a slot per stream and a queue that never fills at `max_n`."""
    return {
        "machine_profiles": {"l4": 1},
        "slots_per_worker": max_n + 16,
        "queue_capacity": max_n + 16,
        "ttft_ms": hold_ms,
        "tokens_per_s": tokens_per_s,
    }


def _level(n: int, load: LoadResult) -> Level:
    return Level(n, load.lost, load.peak_open, round(load.wall_s, 3), load.errors)


def run(
    levels: tuple[int, ...] = FULL.stream_levels,
    hold_ms: float = FULL.stream_hold_ms,
    tokens_per_s: float = FULL.stream_tokens_per_s,
    max_tokens: int = 12,
    budget_s: float = FULL.stream_budget_s,
) -> ConcurrentStreamsResult:
    """Sweep the levels against one reference server; print one line per level."""
    config = server_config(max(levels), hold_ms, tokens_per_s)
    done: list[Level] = []
    started = time.monotonic()
    with reference_server(config) as ref:
        for n in levels:
            bodies = [chat_body(seed=i, max_tokens=max_tokens) for i in range(n)]
            load = asyncio.run(run_load(ref.url, bodies, concurrency=n))
            level = _level(n, load)
            done.append(level)
            print(
                f"  {n:>5} streams: lost {level.lost}, peak open {level.peak_open}, "
                f"{level.wall_s:.1f} s{', errors ' + str(level.errors) if level.errors else ''}"
            )
            if level.lost or time.monotonic() - started > budget_s:
                break
    best = max((lv for lv in done if lv.lost == 0), key=lambda lv: lv.n, default=None)
    return ConcurrentStreamsResult(
        levels=done,
        max_n_zero_lost=best.n if best else 0,
        wall_s_at_max=best.wall_s if best else 0.0,
        peak_open_at_max=best.peak_open if best else 0,
        config={**config, "max_tokens": max_tokens},
    )


def as_dict(result: ConcurrentStreamsResult) -> dict[str, object]:
    """JSON-ready form for reports/bench.json."""
    return asdict(result)
