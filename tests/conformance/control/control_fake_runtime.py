"""The fake gateway's task runtime: placement, queue results, and the native event stream it replays.

Split from control_fake_data (the routes) so each module stays small; see control_fake_state for
why the fake exists and how its faults work.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response

from tests.conformance.control.control_fake_state import GatewayState, Task, error


def vector(text: str) -> list[float]:
    """A deterministic 4-dimensional embedding of ``text``."""
    digest = hashlib.sha256(text.encode()).digest()
    return [round((b - 128) / 128, 4) for b in digest[:4]]


def sse(event: str, data: dict[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()


def rank(query: str, documents: list[str], reverse: bool) -> list[tuple[int, float]]:
    """Documents by word overlap with the query (highest first unless ``reverse`` is False)."""
    words = set(query.lower().split())
    scored = [
        (i, round(len(words & set(d.lower().split())) + 1 / (i + 2), 4)) for i, d in enumerate(documents)
    ]
    return sorted(scored, key=lambda x: x[1], reverse=reverse)


def place(s: GatewayState, placement: dict[str, Any]) -> tuple[str | None, Response | None]:
    """The pool a task goes to, or the refusal (unknown pin 422, unready pin 503 unless fallback)."""
    avoid = set(placement.get("avoid_pools") or [])
    ready = [p for p in sorted(s.pools) if s.pool_status(p)["ready"] and p not in avoid]
    mode = placement.get("mode", "auto")
    if mode == "pin":
        pin = placement.get("pin_pool_id")
        if "pin-ignored" in s.faults:
            return None, None
        if pin not in s.pools:
            return None, error(422, "POOL_UNAVAILABLE", "no such pool", faults=s.faults)
        if not s.pool_status(pin)["ready"]:
            if placement.get("allow_fallback"):
                return (ready[0] if ready else None), None
            return None, error(
                503, "POOL_UNREADY", "pool has no ready worker", retry_after_ms=2000, faults=s.faults
            )
        return pin, None
    if mode == "prefer":
        preferred = [p for p in placement.get("prefer_pools") or [] if p in ready]
        if "prefer-ignored" in s.faults:
            return None, None
        return (preferred[0] if preferred else None), None
    if "avoid-ignored" in s.faults and placement.get("avoid_pools"):
        return placement["avoid_pools"][0], None
    return None, None


def finish_other(task: Task, short: int = 0) -> None:
    """Embedding and rerank tasks complete at once with their result (``short``: the task-result fault)."""
    inputs = task.body.get("inputs") or []
    task.state = "succeeded"
    if task.body["workload"] == "embedding":
        task.result = {"kind": "embedding", "embeddings": [vector(t) for t in inputs][: len(inputs) - short]}
    else:
        ranked = rank(task.body.get("prompt", ""), inputs, reverse=True)
        ranking = [{"index": i, "score": sc} for i, sc in ranked]
        task.result = {"kind": "rerank", "ranking": ranking + ranking[:short]}


async def run_stream(s: GatewayState, task: Task) -> AsyncIterator[bytes]:
    """Run (or replay) a completion task: started, tokens, metrics, then exactly one terminal event."""
    yield sse("started", {"queue_position": 0, "predicted_start_ms": 0, "task_id": task.body["task_id"]})
    if task.dropped:
        drop = {"code": "QUEUE_FULL_DROP_LRU", "message": "dropped for a newer task", "retriable": True}
        if "no-policy-label" not in s.faults:
            drop["policy_label"] = "drop-lru-batch"
        yield sse("error", drop)
        return
    if task.body["deadline_ms"] < 5:
        task.state = "succeeded"
        yield sse("end", {"tokens_out": 0, "decode_ms": 10, "finish_reason": "stop"})
        return
    session = s.session(task.body["session_id"], create=True) or {}
    limit = task.body["max_tokens"]
    if "tokens_budget" in session and "budget-unenforced" not in s.faults:
        limit = min(limit, session["tokens_budget"])
    n = 0 if task.state == "cancelled" else min(limit, 5)
    if task.state == "queued":
        task.state = "running"
        if "estimate-lie" in s.faults:
            await asyncio.sleep(1.2)
        for i in range(n):
            task.text += f"w{i} "
            yield sse("token", {"t": f"w{i} ", "i": i})
        task.tokens_out = n
        task.state = "succeeded"
        session["turns"] = session.get("turns", 0) + (0 if "turns-stuck" in s.faults else 1)
        if "tokens_budget" in session:
            session["tokens_budget"] = max(session["tokens_budget"] - n, 0) + (
                5 if "budget-grows" in s.faults else 0
            )
        if task.body.get("kv_hint") == "reuse" and "kv-cold" not in s.faults:
            session["kv_warmth"], session["kv_bytes"] = True, 4096
    else:
        for i in range(task.tokens_out):
            yield sse("token", {"t": f"w{i} ", "i": i})
    yield sse("metrics", {"queue_depth": len(s.queued())})
    finish = (
        "cancelled"
        if task.state == "cancelled"
        else ("length" if task.tokens_out == task.body["max_tokens"] else "stop")
    )
    yield sse("end", {"tokens_out": task.tokens_out, "decode_ms": 1, "finish_reason": finish})
    if "two-terminals" in s.faults:
        yield sse("end", {"tokens_out": task.tokens_out, "decode_ms": 1, "finish_reason": finish})
