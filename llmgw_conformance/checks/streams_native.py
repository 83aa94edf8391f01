"""Native task streams: the grammar of ``GET /v1/tasks/{id}/events`` and its agreement with ``getTask``.

Tasks are submitted with ids drawn from the check's seeded generator (so a run replays), the target's
model and engine, a context size within the engine's ``ctx_max`` and ``max_tokens`` from the options.
The helpers here are shared by the determinism, cancellation and deadline checks.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response, StreamResult
from llmgw_conformance.grammar import Judgement, NativeRequest, judge_native
from llmgw_conformance.probes.stream_findings import (
    FRAMING_REQUIREMENTS,
    StreamVerdicts,
    is_stream,
    judge_contract,
    not_a_stream,
    stream_meta,
)
from llmgw_conformance.registry import check
from llmgw_conformance.sse import Event

GRAMMAR_REQUIREMENTS: Final = (
    *FRAMING_REQUIREMENTS,
    "NAT-FIRST-STARTED",
    "NAT-STARTED-ONCE",
    "NAT-EVENT-NAMES",
    "NAT-TOKEN-INDEX",
    "NAT-TERMINAL-ONCE",
    "NAT-NOTHING-AFTER-TERMINAL",
    "NAT-END-TOKENS-OUT",
    "NAT-MAX-TOKENS",
    "NAT-METRICS",
    "TASK-STATUS",
)
# ERR-MIDSTREAM-EVENT is judged where an error is provoked (deadlines.py): declared here too, it would be
# "skipped" on every healthy target, and a skip outranks the deadline check's pass in the aggregate.
SHORT_PROMPT: Final = "Say hello."
#: Invites a long generation, so limits, deadlines and cancels act before a natural stop.
LONG_PROMPT: Final = "Write a long story about a lighthouse keeper, in as many words as you can."
TERMINAL_STATES: Final = frozenset({"succeeded", "failed", "cancelled"})


def new_id(ctx: CheckContext) -> str:
    """A fresh random UUID. Not from the seeded generator on purpose: a target keeps task ids (60 s at
    least) and refuses a reused one with 409, so a second run with the same seed must not repeat them."""
    return str(uuid.uuid4())


def ctx_max(ctx: CheckContext) -> int:
    """The smallest ``ctx_max`` among the target's engines (4096 when it declares none)."""
    caps = ctx.target.capabilities or {}
    found = [e.get("ctx_max") for e in caps.get("engines") or [] if isinstance(e, Mapping)]
    sizes = [s for s in found if isinstance(s, int) and s > 0]
    return min(sizes) if sizes else 4096


def task_body(
    ctx: CheckContext, *, prompt: str = SHORT_PROMPT, max_tokens: int | None = None, **extra: Any
) -> dict[str, Any]:
    """A valid completion task for the target's model and engine."""
    limit = max_tokens if max_tokens is not None else ctx.options.max_tokens
    body: dict[str, Any] = {
        "task_id": new_id(ctx),
        "session_id": new_id(ctx),
        "workload": "completion",
        "model_ref": ctx.target.model,
        "engine": ctx.target.engine or "vllm",
        "ctx": min(ctx_max(ctx), 256 + limit),
        "priority": "interactive",
        "prompt": prompt,
        "max_tokens": limit,
        "deadline_ms": 60_000,
    }
    body.update(extra)
    return body


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


def submit(ctx: CheckContext, body: dict[str, Any]) -> NativeRun:
    """POST /v1/tasks; the run's ``admission`` says whether it was admitted (202)."""
    return NativeRun(body=body, admission=ctx.request("POST", "/v1/tasks", json=body))


def run_task(
    ctx: CheckContext,
    body: dict[str, Any],
    *,
    stop_when: Callable[[Event], bool] | None = None,
) -> NativeRun:
    """Submit ``body`` and read its event stream (judged when it is one)."""
    run = submit(ctx, body)
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
            ctx, task_body(ctx, prompt=prompt, max_tokens=max_tokens, seed=seed, determinism="strict")
        )
        judgement, result = run.judgement, run.result
        if judgement is None or result is None or judgement.terminal_index is None:
            continue
        ended = result.transcript.events[judgement.terminal_index].t_last - sent
        tokens = int(str(judgement.summary.get("tokens") or 0))
        if best is None or tokens > best.tokens:
            best = LongRun(seed=seed, tokens=tokens, duration_s=ended)
    return best


def unusable(ctx: CheckContext, run: NativeRun, requirements: tuple[str, ...]) -> bool:
    """True (after skipping ``requirements``) when the task was refused or its answer was no stream."""
    if run.admission.status != 202:
        for requirement_id in requirements:
            ctx.skipped(
                requirement_id,
                f"a valid task was not admitted: {run.admission.status} {run.admission.text[:200]}",
            )
        return True
    if run.result is None or run.judgement is None:
        assert run.result is not None
        not_a_stream(ctx, "native task stream", run.result, requirements)
        return True
    return False


def _agreement(ctx: CheckContext, run: NativeRun) -> None:
    """TASK-STATUS: after the terminal event, getTask is terminal and its result matches the stream."""
    assert run.judgement is not None and run.result is not None
    summary = run.judgement.summary
    if summary.get("terminal") is None:
        ctx.skipped("TASK-STATUS", "the stream showed no terminal event to compare getTask with")
        return
    response, doc = task_status(ctx, run.task_id)
    evidence = [run.result.exchange, response.exchange]
    if doc is None:
        ctx.failed(
            "TASK-STATUS",
            f"getTask answered {response.status} after the terminal event",
            expected="200 TaskStatus",
            received=response.text[:300],
            exchanges=evidence,
        )
        return
    state = doc.get("state")
    if state not in TERMINAL_STATES:
        ctx.failed(
            "TASK-STATUS",
            "getTask is not terminal after the stream's terminal event",
            expected=" or ".join(sorted(TERMINAL_STATES)),
            received=repr(state),
            exchanges=evidence,
        )
        return
    end = summary.get("end")
    if state != "succeeded" or not isinstance(end, dict):
        ctx.passed("TASK-STATUS", f"terminal state {state}", exchanges=evidence)
        return
    found = doc.get("result")
    result: dict[str, Any] = found if isinstance(found, dict) else {}
    problems = []
    if result.get("text") != summary.get("text"):
        problems.append(("result.text", summary.get("text"), result.get("text")))
    if result.get("tokens_out") != end.get("tokens_out"):
        problems.append(("result.tokens_out", end.get("tokens_out"), result.get("tokens_out")))
    for name, expected, received in problems:
        ctx.failed(
            "TASK-STATUS",
            f"getTask {name} disagrees with the stream",
            expected=repr(expected)[:300],
            received=repr(received)[:300],
            exchanges=evidence,
        )
    if not problems:
        ctx.passed("TASK-STATUS", "result text and tokens_out equal the stream's", exchanges=evidence)


@check("native-stream-grammar", requirements=GRAMMAR_REQUIREMENTS, profiles=["tasks"])
def native_stream_grammar(ctx: CheckContext) -> None:
    """Native task streams (a natural stop and a max_tokens-limited one) follow the native-task grammar."""
    verdicts = StreamVerdicts()
    variants = [
        ("native task", task_body(ctx, seed=ctx.options.seed)),
        (
            "native task limited to 2 tokens",
            task_body(ctx, prompt=LONG_PROMPT, max_tokens=2, seed=ctx.options.seed, determinism="strict"),
        ),
    ]
    runs = []
    for label, body in variants:
        run = run_task(ctx, body)
        if unusable(ctx, run, GRAMMAR_REQUIREMENTS):
            return
        assert run.judgement is not None and run.result is not None
        verdicts.add(label, run.judgement, run.result.exchange)
        runs.append(run)
    verdicts.report(ctx, [r for r in GRAMMAR_REQUIREMENTS if r != "TASK-STATUS"])
    _stopped_by_limit(ctx, runs[1])
    for run in runs:
        _agreement(ctx, run)


#: How many more tokens the differential rerun allows than the run it checks.
RERUN_EXTRA_TOKENS: Final = 8


def _stopped_by_limit(ctx: CheckContext, run: NativeRun) -> None:
    """NAT-MAX-TOKENS' second half, by differential: a run that used exactly ``max_tokens`` and says
    ``stop`` is rerun (same strict seed) with a higher limit; more tokens then means the limit, not a
    natural stop, ended the first run, so its finish reason must have been ``length``.

    Why not judge it from one stream: a model may emit its end-of-sequence token as the last allowed
    token, and servers count it, so "exactly the limit with stop" alone is not a deviation."""
    assert run.judgement is not None
    summary, limit = run.judgement.summary, int(run.body["max_tokens"])
    if summary.get("finish_reason") != "stop" or summary.get("tokens") != limit:
        return
    rerun = run_task(ctx, dict(run.body, task_id=new_id(ctx), max_tokens=limit + RERUN_EXTRA_TOKENS))
    more = rerun.judgement.summary.get("tokens") if rerun.judgement is not None else None
    if isinstance(more, int) and more > limit:
        evidence = [e for e in (run.result, rerun.result) if e is not None]
        ctx.failed(
            "NAT-MAX-TOKENS",
            f"a task cut by max_tokens {limit} ended with finish_reason stop: the same "
            f"seeded task with a higher limit produced {more} tokens",
            expected="length",
            received="stop",
            exchanges=[r.exchange for r in evidence],
        )
