"""Benchmarks 1b and 1c: what the gateway role costs over talking to the worker directly.

Why two real processes: `python -m llmgw_reference --role worker` generates, `--role gateway
--worker-url` admits, places and forwards the worker's native stream; the client sends the SAME
load (same seeds, so the same tokens) to each, in interleaved rounds, and each side keeps its best
round so a burst of load from other users of the machine hits both alike.

Two engine speeds: `paced` (a fixed token rate per stream, like a real accelerator, which the
gateway must keep up with) and `saturated` (no sleep between tokens: pure CPU cost, where the
gateway's forwarding competes with the worker for the same two cores). TTFT is measured on idle
paced servers with one request at a time, alternating between the two.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from tools.bench.chat_load import LoadResult, chat_body, new_client, one_stream, run_load
from tools.bench.servers import ReferenceProcess, reference_server


@dataclass
class ThroughputResult:
    """Tokens per second through each path, best round of several."""

    mode: str
    worker_tokens_per_s: float
    gateway_tokens_per_s: float
    ratio: float
    tokens_per_round: int
    lost: int
    #: Server CPU per 1,000 tokens over all of a side's rounds: "direct: worker", "via gateway: worker",
    #: "via gateway: gateway" (empty off Linux). What the gateway process itself costs per token.
    #: All rounds, not the last: the interleaved rounds then see the same mix of the machine's load
    #: (on a busy machine a process's CPU per token rises with the load: smaller batches per write).
    cpu_ms_per_1k_tokens: dict[str, float]
    config: dict[str, object]
    #: The gateway's CPU per 1,000 forwarded tokens over the worker's per 1,000 tokens served directly
    #: (generation and the chat stream): what forwarding costs next to doing the work (goal <= 0.5).
    #: None off Linux.
    cpu_ratio_gateway_worker: float | None = None


@dataclass
class TtftResult:
    """Time to first token, seconds, per path; the gateway's added time is the difference."""

    worker_median_s: float
    worker_p95_s: float
    gateway_median_s: float
    gateway_p95_s: float
    added_median_s: float
    added_p95_s: float
    samples: int


def pair_config(tokens_per_s: float, slots: int) -> dict[str, object]:
    """The config both processes of a pair read: room for the whole load, 20 ms synthetic TTFT."""
    return {
        "machine_profiles": {"l4": 1},
        "slots_per_worker": slots,
        "queue_capacity": 4 * slots,
        "ttft_ms": 20.0,
        "tokens_per_s": tokens_per_s,
    }


@contextmanager
def worker_and_gateway(config: dict[str, object]) -> Iterator[tuple[ReferenceProcess, ReferenceProcess]]:
    """A worker and a gateway in front of it; yields (worker, gateway)."""
    with (
        reference_server(config, "--role", "worker") as worker,
        reference_server(config, "--role", "gateway", "--worker-url", worker.url) as gateway,
    ):
        yield worker, gateway


def _cpu(procs: dict[str, ReferenceProcess]) -> dict[str, float]:
    return {name: cpu for name, p in procs.items() if (cpu := p.cpu_s()) is not None}


def measure_throughput(
    mode: str, tokens_per_s: float, concurrency: int, requests: int, rounds: int
) -> ThroughputResult:
    """Best-of-`rounds` tokens/s of the same load sent to the worker and to the gateway."""
    config = pair_config(tokens_per_s, slots=concurrency + 8)
    bodies = [chat_body(seed=i, max_tokens=48) for i in range(requests)]
    best = {"worker": 0.0, "gateway": 0.0}
    lost = 0
    lost_why: dict[str, int] = {}
    tokens = 0
    spent_s: dict[str, float] = {}  # CPU seconds per "path: process", summed over every round
    served: dict[str, int] = {}  # tokens per path, summed over every round
    with worker_and_gateway(config) as (worker, gateway):
        procs = {"worker": worker, "gateway": gateway}
        asyncio.run(run_load(gateway.url, bodies[:concurrency], concurrency))  # warm both processes
        for _ in range(rounds):
            for side, url in (("worker", worker.url), ("gateway", gateway.url)):
                before = _cpu(procs)
                load = asyncio.run(run_load(url, bodies, concurrency))
                after = _cpu(procs)
                lost += load.lost
                for why, count in _lost_reasons(load).items():
                    lost_why[f"{side}: {why}"] = lost_why.get(f"{side}: {why}", 0) + count
                tokens = load.tokens
                best[side] = max(best[side], load.tokens / load.wall_s)
                path = "direct" if side == "worker" else "via gateway"
                served[path] = served.get(path, 0) + load.tokens
                for name in ("worker", "gateway") if side == "gateway" else ("worker",):
                    if name in before and name in after:
                        key = f"{path}: {name}"
                        spent_s[key] = spent_s.get(key, 0.0) + after[name] - before[name]
    cpu_per_1k = {
        key: round(cpu * 1e6 / served[key.split(":")[0]], 1)
        for key, cpu in spent_s.items()
        if served.get(key.split(":")[0])
    }
    ratio = best["gateway"] / best["worker"] if best["worker"] else 0.0
    cpu_ratio = _cpu_ratio(cpu_per_1k)
    print(
        f"  {mode:9} worker {best['worker']:>9,.0f} tok/s  gateway {best['gateway']:>9,.0f} tok/s  "
        f"ratio {ratio:.2f} ({requests} streams, {concurrency} at once, lost {lost} {lost_why or ''}); "
        f"server CPU ms per 1k tokens {cpu_per_1k}, gateway/worker CPU {cpu_ratio}"
    )
    return ThroughputResult(
        mode, round(best["worker"], 1), round(best["gateway"], 1), round(ratio, 3), tokens, lost, cpu_per_1k,
        {**config, "concurrency": concurrency, "requests": requests, "rounds": rounds}, cpu_ratio,
    )  # fmt: skip


def _lost_reasons(load: LoadResult) -> dict[str, int]:
    """Why streams were lost: the client's error kind, else what the stream lacked (a lost stream
    is only the server's fault when the client saw an answer that broke the stream rules)."""
    reasons: dict[str, int] = {}
    for stream in load.streams:
        if not stream.intact:
            why = (stream.error or "").split(":", 1)[0] or (
                f"status {stream.status}" if stream.status != 200 else f"{stream.terminals} terminal events"
            )
            reasons[why] = reasons.get(why, 0) + 1
    return reasons


def _cpu_ratio(cpu_per_1k: dict[str, float]) -> float | None:
    gateway, worker = cpu_per_1k.get("via gateway: gateway"), cpu_per_1k.get("direct: worker")
    return round(gateway / worker, 3) if gateway is not None and worker else None


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


async def _ttft_samples(worker_url: str, gateway_url: str, samples: int) -> tuple[list[float], list[float]]:
    worker: list[float] = []
    gateway: list[float] = []
    async with new_client(4, timeout_s=30.0) as client:
        for i in range(samples + 2):
            for url, into in ((worker_url, worker), (gateway_url, gateway)):
                result = await one_stream(client, url, chat_body(seed=i, max_tokens=4))
                if not result.intact or result.ttft_s is None:
                    raise RuntimeError(f"TTFT request to {url} failed: {result}")
                if i >= 2:  # the first two warm connections and code paths
                    into.append(result.ttft_s)
    return worker, gateway


def measure_ttft(samples: int) -> TtftResult:
    """Median and p95 TTFT of `samples` sequential requests to each path, alternating."""
    with worker_and_gateway(pair_config(tokens_per_s=200.0, slots=16)) as (worker_proc, gateway_proc):
        worker, gateway = asyncio.run(_ttft_samples(worker_proc.url, gateway_proc.url, samples))
    w_med, g_med = statistics.median(worker), statistics.median(gateway)
    w_p95, g_p95 = _p95(worker), _p95(gateway)
    result = TtftResult(
        round(w_med, 5), round(w_p95, 5), round(g_med, 5), round(g_p95, 5),
        round(g_med - w_med, 5), round(g_p95 - w_p95, 5), samples,
    )  # fmt: skip
    print(
        f"  TTFT median worker {w_med * 1000:.1f} ms, gateway {g_med * 1000:.1f} ms "
        f"(+{result.added_median_s * 1000:.1f} ms); p95 {w_p95 * 1000:.1f} / {g_p95 * 1000:.1f} ms "
        f"(+{result.added_p95_s * 1000:.1f} ms); {samples} each"
    )
    return result


def as_dict(result: ThroughputResult | TtftResult) -> dict[str, object]:
    """JSON-ready form for reports/bench.json."""
    return asdict(result)
