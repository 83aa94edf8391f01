"""Native tasks for the stream checks: submit one, read and judge its event stream, find a long-running seed.

Why here: the native stream grammar, determinism, cancellation and deadline checks all run tasks this
way; the task itself is built by the one builder, :func:`llmgw_conformance.probes.task_requests.task_body`,
and submitted by its :func:`~llmgw_conformance.probes.task_requests.submit`. Task ids are fresh random
UUIDs, not from the seeded generator: a target keeps task ids (60 s at least) and refuses a reused one
with 409, so a second run with the same seed must not repeat them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response, StreamResult
from llmgw_conformance.grammar import Judgement, NativeRequest, judge_native
from llmgw_conformance.probes.stream_findings import is_stream, judge_contract, not_a_stream, stream_meta
from llmgw_conformance.probes.task_requests import submit, task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.sse import Event

#: The native stream checks' prompt for a short, natural stop.
SHORT_PROMPT: Final = "Say hello."
#: Invites a long generation, so limits, deadlines and cancels act before a natural stop.
LONG_PROMPT: Final = "Write a long story about a lighthouse keeper, in as many words as you can."


def smallest_ctx_max(ctx: CheckContext) -> int:
    """The smallest ``ctx_max`` among the target's engines (4096 when it declares none).

    The native stream checks size their tasks' ``ctx`` under this (``task_body(ctx_ceiling=...)``), so a
    task fits whichever engine the target routes it to.
    """
    caps = ctx.target.capabilities or {}
    found = [e.get("ctx_max") for e in caps.get("engines") or [] if isinstance(e, Mapping)]
    sizes = [s for s in found if isinstance(s, int) and s > 0]
    return min(sizes) if sizes else 4096


@dataclass
class NativeRun:
    """One submitted task and what its stream showed."""

    body: dict[str, Any]
    admission: Response
    result: StreamResult | None = None
    judgement: Judgement | None = None

    @property
    def task_id(self) -> str:
        return str(self.body["task_id"])


def run_task(
    ctx: CheckContext,
    body: dict[str, Any],
    *,
    stop_when: Callable[[Event], bool] | None = None,
) -> NativeRun:
    """Submit ``body`` and read its event stream (judged when it is one)."""
    run = NativeRun(body=body, admission=submit(ctx, body))
    if run.admission.status != 202:
        return run
    run.result = ctx.stream("GET", f"/v1/tasks/{run.task_id}/events", stop_when=stop_when)
    if is_stream(run.result):
        request = NativeRequest(max_tokens=body.get("max_tokens"))
        run.judgement = judge_native(
            run.result.transcript, request, stream_meta(ctx, run.result), **judge_contract(ctx, "native-task")
        )
    return run


def task_status(ctx: CheckContext, task_id: str, wait_ms: int = 0) -> tuple[Response, dict[str, Any] | None]:
    """GET /v1/tasks/{id} (long-polling ``wait_ms``); the JSON object or None."""
    params = {"wait_ms": wait_ms} if wait_ms else None
    response = ctx.request("GET", f"/v1/tasks/{task_id}", params=params)
    try:
        doc = response.json()
    except ValueError:
        return response, None
    return response, doc if isinstance(doc, dict) and response.status == 200 else None


@dataclass(frozen=True)
class LongRun:
    """The seed whose strictly seeded task ran longest among a few tried, and how long it ran."""

    seed: int
    tokens: int
    #: Seconds from sending the task to its terminal event.
    duration_s: float


def longest_seed(ctx: CheckContext, prompt: str, max_tokens: int, tries: int = 3) -> LongRun | None:
    """Try ``tries`` strictly seeded tasks and keep the seed that generated longest.

    Why: the timing checks (cancel, deadline) need a task that is still generating when they act, and
    generation length depends on model, prompt and seed; a strict seed replays the same length. None
    when no try gave a stream with a terminal event.
    """
    best: LongRun | None = None
    for _ in range(tries):
        seed = ctx.rng.randrange(2**31)
        sent = time.monotonic()
        run = run_task(
            ctx,
            task_body(
                ctx,
                prompt=prompt,
                max_tokens=max_tokens,
                ctx_ceiling=smallest_ctx_max(ctx),
                seed=seed,
                determinism="strict",
            ),
        )
        judgement, result = run.judgement, run.result
        if judgement is None or result is None or judgement.terminal_index is None:
            continue
        ended = result.transcript.events[judgement.terminal_index].t_last - sent
        tokens = int(str(judgement.summary.get("tokens") or 0))
        if best is None or tokens > best.tokens:
            best = LongRun(seed=seed, tokens=tokens, duration_s=ended)
    return best


def unusable(verdicts: Verdicts, run: NativeRun, requirements: tuple[str, ...]) -> bool:
    """True (after skipping ``requirements``) when the task was refused or its answer was no stream."""
    if run.admission.status != 202:
        for requirement_id in requirements:
            verdicts.skip(
                requirement_id,
                f"a valid task was not admitted: {run.admission.status} {run.admission.text[:200]}",
            )
        return True
    if run.result is None or run.judgement is None:
        assert run.result is not None
        not_a_stream(verdicts, "native task stream", run.result, requirements)
        return True
    return False
