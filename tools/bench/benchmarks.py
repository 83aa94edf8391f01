"""The benchmarks of `make bench`, in run order, each turned into summary figures with their goals.

Why the goals live here and not in each benchmark: a benchmark measures and returns what it saw;
which of its numbers the team promised, and what the promise is, is a separate decision kept in one
place (issue 4: the reference server; issue 5: the suite).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.bench import (
    concurrent_streams,
    gateway_overhead,
    judge_micro,
    reader_micro,
    suite_run,
    validation_throughput,
)
from tools.bench.sizes import Sizes
from tools.bench.summary import Figure

Result = tuple[list[Figure], dict[str, Any]]

#: Reference figures from a 2-core machine (issue 5), printed next to ours for scale.
REFERENCE_SUITE_CHUNKS_PER_S = 175_000
REFERENCE_OPENAI_CHUNKS_PER_S = 10_000
REFERENCE_RAW_BYTES_PER_S = 1_100_000


def bench_streams(sizes: Sizes) -> Result:
    """1a: concurrent SSE streams held with 0 lost terminal events."""
    r = concurrent_streams.run(
        sizes.stream_levels, sizes.stream_hold_ms, sizes.stream_tokens_per_s, budget_s=sizes.stream_budget_s
    )
    name = "1a streams"
    figures = [
        Figure(name, "max concurrent streams, 0 lost", r.max_n_zero_lost, "streams", 1000),
        Figure(name, "peak open at that level", r.peak_open_at_max, "streams"),
        Figure(name, "wall time of that level", r.wall_s_at_max, "s"),
    ]
    return figures, concurrent_streams.as_dict(r)


def bench_gateway(sizes: Sizes) -> Result:
    """1b and 1c: tokens/s through the gateway vs the worker directly, and the added TTFT."""
    paced = gateway_overhead.measure_throughput(
        "paced", sizes.paced_tokens_per_s, sizes.load_concurrency, sizes.load_requests, sizes.load_rounds
    )
    saturated = gateway_overhead.measure_throughput(
        "saturated", 0.0, sizes.load_concurrency, sizes.load_requests, sizes.load_rounds
    )
    ttft = gateway_overhead.measure_ttft(sizes.ttft_samples)
    figures = []
    for t in (paced, saturated):
        name = f"1b tok/s {t.mode}"
        figures += [
            Figure(name, "worker direct", t.worker_tokens_per_s, "tok/s"),
            Figure(name, "through gateway", t.gateway_tokens_per_s, "tok/s"),
            Figure(name, "ratio gateway/worker", t.ratio, "x", 0.95 if t.mode == "paced" else None),
        ]
        figures += [Figure(name, f"CPU {k}", v, "ms/1k tok") for k, v in t.cpu_ms_per_1k_tokens.items()]
        if t.cpu_ratio_gateway_worker is not None:  # issue 16: forwarding costs at most half the work
            cpu_ratio = t.cpu_ratio_gateway_worker
            figures.append(Figure(name, "CPU gateway/worker", cpu_ratio, "x", 0.5, higher_is_better=False))
    name = "1c TTFT"
    figures += [
        Figure(name, "worker median", ttft.worker_median_s * 1000, "ms"),
        Figure(name, "gateway median", ttft.gateway_median_s * 1000, "ms"),
        Figure(name, "added median", ttft.added_median_s * 1000, "ms"),
        Figure(name, "worker p95", ttft.worker_p95_s * 1000, "ms"),
        Figure(name, "gateway p95", ttft.gateway_p95_s * 1000, "ms"),
        Figure(name, "added p95", ttft.added_p95_s * 1000, "ms"),
    ]
    details = {
        "throughput": [gateway_overhead.as_dict(paced), gateway_overhead.as_dict(saturated)],
        "ttft": gateway_overhead.as_dict(ttft),
    }
    return figures, details


def bench_validation(sizes: Sizes) -> Result:
    """2a: suite stream validation vs httpx-sse + json.loads and vs the openai client."""
    r = validation_throughput.run(sizes.validation_chunks, sizes.validation_rounds)
    name = "2a validation"
    figures = [
        Figure(name, "suite (reader+judge+schema)", r.suite_chunks_per_s, "chunk/s"),
        Figure(name, "httpx-sse + json.loads", r.httpx_sse_chunks_per_s, "chunk/s"),
        Figure(name, "openai client Stream", r.openai_chunks_per_s, "chunk/s"),
        Figure(name, "ratio suite/httpx-sse", r.ratio_vs_httpx_sse, "x", 1.5),
        Figure(name, "ratio suite/openai", r.ratio_vs_openai, "x", 5.0),
        Figure(name, "suite bytes/s", r.suite_bytes_per_s, "B/s"),
        Figure(name, "raw fetch from reference", r.fetch_bytes_per_s, "B/s"),
    ]
    details = {
        **validation_throughput.as_dict(r),
        "reference_2core": {
            "suite_chunks_per_s": REFERENCE_SUITE_CHUNKS_PER_S,
            "openai_chunks_per_s": REFERENCE_OPENAI_CHUNKS_PER_S,
            "raw_bytes_per_s": REFERENCE_RAW_BYTES_PER_S,
        },
    }
    return figures, details


def bench_micro(sizes: Sizes) -> Result:
    """2a micro: the reader's and the judge's own micro-benchmarks on a synthetic chat stream.

    Why keep them next to 2a: they isolate the parser (no judge) and run on one long stream, so a
    regression shows whether it is in the reader or in the judging."""
    reader = reader_micro.run(sizes.micro_events, repeat=5)
    judge_ratio = judge_micro.run(sizes.micro_events, repeat=5)
    name = "2a micro"
    figures = [
        Figure(name, f"reader/httpx-sse, {chunking}", r["ratio_vs_httpx_sse"], "x")
        for chunking, r in reader.items()
    ]
    figures.append(Figure(name, "judged/httpx-sse, per-event chunks", judge_ratio, "x", 0.5))
    return figures, {"reader": reader, "judge_ratio_vs_httpx_sse": judge_ratio}


def bench_suite(sizes: Sizes) -> Result:
    """2b: wall time of the full default conformance run, and with other example counts."""
    runs = suite_run.run(sizes.suite_examples, sizes.suite_rounds, sizes.suite_args)
    name = "2b suite run"
    default = runs[0]
    figures = [Figure(name, "default run wall time", default.best_wall_s, "s", 120.0, higher_is_better=False)]
    figures += [Figure(name, f"{r.label} wall time", r.best_wall_s, "s") for r in runs[1:]]
    return figures, {"runs": [suite_run.as_dict(r) for r in runs]}


def bench_load(sizes: Sizes) -> Result:
    """Issue 13: judged streams under load, the judging generator against its reading peer, and the
    backpressure profile's time to judge every BP rule."""
    from tools.bench import load_mode
    from tools.bench.sizes import QUICK

    quick = sizes is QUICK
    load_sizes = load_mode.QUICK_LOAD if quick else load_mode.FULL_LOAD
    streams = load_mode.judged_streams(load_sizes)
    cost = load_mode.judging_cost(load_sizes)
    bp = load_mode.backpressure_profile(quick)
    name = "13 load"
    figures = [
        Figure(name, "concurrent judged streams", streams["peak_open_streams"], "streams", 2000),
        Figure(name, "of those judged to their end", streams["judged"], "streams", 2000),
        Figure(name, "lost terminal events", streams["lost_terminals"], "events", 1, higher_is_better=False),
        Figure(name, "judging/reading requests/s", cost["ratio"], "x", 0.5),
        Figure(name, "backpressure profile wall time", bp["wall_s"], "s", 60.0, higher_is_better=False),
        Figure(name, "BP rules skipped", len(bp["skipped"]), "rules", 1, higher_is_better=False),
    ]
    return figures, {"streams": streams, "judging_cost": cost, "backpressure": bp}


def bench_loop(sizes: Sizes) -> Result:
    """3: the project's own loop: the kill matrix's wall time (run here) and the last green `make test`."""
    from tools.bench import project_loop
    from tools.bench.sizes import QUICK

    matrix = project_loop.kill_matrix(quick=sizes is QUICK)
    name = "3 loop"
    figures = [
        Figure(name, "kill matrix wall time", matrix["wall_s"], "s", 240.0, higher_is_better=False),
        Figure(
            name,
            "kill matrix rows not ok",
            matrix["rows"] - matrix["rows_ok"],
            "rows",
            1,
            higher_is_better=False,
        ),
    ]
    make_test = project_loop.last_make_test()
    if make_test is not None:
        figures.append(
            Figure(
                name,
                "last green make test wall time",
                make_test["wall_s"] / 60,
                "min",
                15.0,
                higher_is_better=False,
            )
        )
    return figures, {"kill_matrix": matrix, "make_test": make_test}


BENCHMARKS: dict[str, Callable[[Sizes], Result]] = {
    "streams": bench_streams,
    "gateway": bench_gateway,
    "validation": bench_validation,
    "micro": bench_micro,
    "suite": bench_suite,
    "load": bench_load,
    "loop": bench_loop,
}
