"""Native task streams: the grammar of ``GET /v1/tasks/{id}/events`` and its agreement with ``getTask``.

Tasks are built by the one task builder with the target's model and engine, a context size within the
smallest ``ctx_max`` of its engines and ``max_tokens`` from the options, and run (submitted, streamed,
judged) by :mod:`llmgw_conformance.probes.native_tasks`, which the determinism, cancellation and deadline
checks use too.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.native_tasks import (
    LONG_PROMPT,
    SHORT_PROMPT,
    NativeRun,
    run_task,
    smallest_ctx_max,
    task_status,
    unusable,
)
from llmgw_conformance.probes.stream_findings import FRAMING_REQUIREMENTS
from llmgw_conformance.probes.target_claims import new_uuid
from llmgw_conformance.probes.task_requests import task_body
from llmgw_conformance.probes.token_limits import RERUN_EXTRA_TOKENS, judge_stop_at_limit
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

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
TERMINAL_STATES: Final = frozenset({"succeeded", "failed", "cancelled"})


def _agreement(ctx: CheckContext, verdicts: Verdicts, run: NativeRun) -> None:
    """TASK-STATUS: after the terminal event, getTask is terminal and its result matches the stream."""
    assert run.judgement is not None and run.result is not None
    summary = run.judgement.summary
    if summary.get("terminal") is None:
        verdicts.skip("TASK-STATUS", "the stream showed no terminal event to compare getTask with")
        return
    response, doc = task_status(ctx, run.task_id)
    evidence = [run.result.exchange, response.exchange]
    if doc is None:
        verdicts.fail(
            "TASK-STATUS",
            f"getTask answered {response.status} after the terminal event",
            expected="200 TaskStatus",
            received=response.text[:300],
            exchanges=evidence,
        )
        return
    state = doc.get("state")
    if not isinstance(state, str) or state not in TERMINAL_STATES:  # a hostile state may be a list
        verdicts.fail(
            "TASK-STATUS",
            "getTask is not terminal after the stream's terminal event",
            expected=" or ".join(sorted(TERMINAL_STATES)),
            received=repr(state),
            exchanges=evidence,
        )
        return
    end = summary.get("end")
    if state != "succeeded" or not isinstance(end, dict):
        verdicts.passed("TASK-STATUS", f"terminal state {state}", exchanges=evidence)
        return
    found = doc.get("result")
    result: dict[str, Any] = found if isinstance(found, dict) else {}
    problems = []
    if result.get("text") != summary.get("text"):
        problems.append(("result.text", summary.get("text"), result.get("text")))
    if result.get("tokens_out") != end.get("tokens_out"):
        problems.append(("result.tokens_out", end.get("tokens_out"), result.get("tokens_out")))
    for name, expected, received in problems:
        verdicts.fail(
            "TASK-STATUS",
            f"getTask {name} disagrees with the stream",
            expected=repr(expected)[:300],
            received=repr(received)[:300],
            exchanges=evidence,
        )
    if not problems:
        verdicts.passed("TASK-STATUS", "result text and tokens_out equal the stream's", exchanges=evidence)


@check("native-stream-grammar", requirements=GRAMMAR_REQUIREMENTS, profiles=["tasks"])
def native_stream_grammar(ctx: CheckContext) -> None:
    """Native task streams (a natural stop and a max_tokens-limited one) follow the native-task grammar."""
    variants = [
        (
            "native task",
            task_body(ctx, prompt=SHORT_PROMPT, ctx_ceiling=smallest_ctx_max(ctx), seed=ctx.options.seed),
        ),
        (
            "native task limited to 2 tokens",
            task_body(
                ctx,
                prompt=LONG_PROMPT,
                max_tokens=2,
                ctx_ceiling=smallest_ctx_max(ctx),
                seed=ctx.options.seed,
                determinism="strict",
            ),
        ),
    ]
    in_streams = [r for r in GRAMMAR_REQUIREMENTS if r != "TASK-STATUS"]
    with Verdicts(ctx, GRAMMAR_REQUIREMENTS, judged_in_streams=in_streams) as verdicts:
        runs = []
        for label, body in variants:
            run = run_task(ctx, body)
            if unusable(verdicts, run, GRAMMAR_REQUIREMENTS):
                return
            assert run.judgement is not None and run.result is not None
            verdicts.stream(label, run.judgement, run.result.exchange)
            runs.append(run)
        _stopped_by_limit(ctx, verdicts, runs[1])
        for run in runs:
            _agreement(ctx, verdicts, run)


def _stopped_by_limit(ctx: CheckContext, verdicts: Verdicts, run: NativeRun) -> None:
    """NAT-MAX-TOKENS' second half, by differential: a run that used exactly ``max_tokens`` and says
    ``stop`` is rerun (same strict seed) with a higher limit; more tokens then means the limit, not a
    natural stop, ended the first run, so its finish reason must have been ``length``.

    Why not judge it from one stream: a model may emit its end-of-sequence token as the last allowed
    token, and servers count it, so "exactly the limit with stop" alone is not a deviation."""
    assert run.judgement is not None
    summary, limit = run.judgement.summary, int(run.body["max_tokens"])
    if summary.get("finish_reason") != "stop" or summary.get("tokens") != limit:
        return
    rerun = run_task(ctx, dict(run.body, task_id=new_uuid(), max_tokens=limit + RERUN_EXTRA_TOKENS))
    more = rerun.judgement.summary.get("tokens") if rerun.judgement is not None else None
    evidence = [r.exchange for r in (run.result, rerun.result) if r is not None]
    judge_stop_at_limit(
        verdicts, "NAT-MAX-TOKENS", f"a task cut by max_tokens {limit}", limit, more, evidence
    )
