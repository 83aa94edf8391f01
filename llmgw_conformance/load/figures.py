"""The figures of a load run as one JSON document: ``report.json``'s ``load`` section.

Why computed once here: the JSON report, the HTML plots and the bench read the same numbers, so
they can never disagree. Latency is given as p50/p95/p99 of time to first token, time between
tokens, whole-stream time and tokens per second; the timeline is per second from the start.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from llmgw_conformance.load.session import LoadRun
from llmgw_conformance.load.tally import FIGURES, percentile


def latency(samples: dict[str, list[float]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name in FIGURES:
        values = samples.get(name, [])
        out[name] = {
            "n": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "p99": percentile(values, 99),
        }
    return out


def timeline(run: LoadRun) -> list[dict[str, Any]]:
    """One row per second of the run: users, requests started, streams completed, refusals,
    answers with a violation, and the mean time to first token of that second."""
    buckets = run.tally.doc["timeline"]
    if not buckets:
        return []
    start = int(run.started)
    rows = []
    for second in range(start, max(int(s) for s in buckets) + 1):
        b = buckets.get(str(second), {})
        n = b.get("ttft_n", 0)
        rows.append(
            {
                "t": second - start,
                "users": b.get("users", 0),
                "requests": b.get("requests", 0),
                "completed": b.get("completed", 0),
                "refused": b.get("refused", 0),
                "violations": b.get("violations", 0),
                "tokens": b.get("tokens", 0),
                "ttft_ms": round(b["ttft_sum"] / n, 3) if n else None,
            }
        )
    return rows


def load_document(run: LoadRun) -> dict[str, Any]:
    """Everything report.json says about the load beyond the verdicts."""
    doc = run.tally.doc
    return {
        "plan": asdict(run.plan),
        "duration_s": run.duration_s,
        "workers": run.workers,
        "highest_users": run.highest_users,
        "steps": run.steps,
        "refusals_began": run.refusals_began,
        "streams": doc["streams"],
        "judged": run.tally.judged(),
        "refusal_codes": doc["refusal_codes"],
        "transport_failures": doc["transport"],
        "timing_not_judged": doc["timing_discounted"],
        "latency": latency(doc["samples"]),
        "timeline": timeline(run),
        "recovery": run.recovery,
        "locust": run.locust_stats,
    }
