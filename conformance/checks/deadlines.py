"""Deadlines: a task still generating at its deadline ends with an ``error`` event DEADLINE_UNMET.

``deadline_ms`` counts from the target's receipt of the task, which the suite cannot see; it can only
see when it sent the task. The receipt is after the send and at most one admission round trip later,
so the allowed arrival of the error event, counted from the send, is the deadline plus the contract's
250 ms plus the admission's round trip.
"""

from __future__ import annotations

import time
from typing import Final

from conformance.checks.streams_native import LONG_PROMPT, NativeRun, run_task, task_body, unusable
from conformance.context import CheckContext
from conformance.registry import check
from conformance.sse import Event

DEADLINE_MS: Final = 300
GRACE_S: Final = 0.250
#: Tokens asked for: far more than any target generates in DEADLINE_MS.
DEADLINE_MAX_TOKENS: Final = 2048


@check(
    "deadline-fires",
    requirements=["DL-FIRES", "ERR-MIDSTREAM-EVENT"],
    profiles=["tasks"],
    needs=["deadlines"],
)
def deadline_fires(ctx: CheckContext) -> None:
    """A task still generating at its deadline ends with `error` DEADLINE_UNMET within 250 ms of it."""
    body = task_body(ctx, prompt=LONG_PROMPT, max_tokens=DEADLINE_MAX_TOKENS, deadline_ms=DEADLINE_MS)
    sent_at = time.monotonic()
    stop_after = DEADLINE_MS / 1000 + GRACE_S + 2.0

    def past_due(event: Event) -> bool:
        return time.monotonic() - sent_at > stop_after

    run = run_task(ctx, body, stop_when=past_due)
    if run.admission.status == 504:
        for rid in ("DL-FIRES", "ERR-MIDSTREAM-EVENT"):
            ctx.skipped(
                rid, "the task was refused 504 before starting (DL-UNMET-REJECT's case), never generating"
            )
        return
    if unusable(ctx, run, ("DL-FIRES", "ERR-MIDSTREAM-EVENT")):
        return
    _judge(ctx, run, sent_at)


def _judge(ctx: CheckContext, run: NativeRun, sent_at: float) -> None:
    assert run.result is not None and run.judgement is not None
    summary, terminal = run.judgement.summary, run.judgement.terminal_index
    allowed = DEADLINE_MS / 1000 + GRACE_S + run.admission.exchange.elapsed_s
    evidence = [run.admission.exchange, run.result.exchange]
    at = run.result.transcript.events[terminal].t_last - sent_at if terminal is not None else None
    error = summary.get("error")
    if summary.get("terminal") == "end" and at is not None and at <= DEADLINE_MS / 1000:
        for rid in ("DL-FIRES", "ERR-MIDSTREAM-EVENT"):
            ctx.skipped(rid, f"the task finished at {at:.3f}s, before its {DEADLINE_MS} ms deadline")
        return
    if (
        summary.get("terminal") != "error"
        or not isinstance(error, dict)
        or error.get("code") != "DEADLINE_UNMET"
    ):
        shown = f"{summary.get('terminal')} {error.get('code') if isinstance(error, dict) else ''}".strip()
        ctx.failed(
            "DL-FIRES",
            f"a task past its {DEADLINE_MS} ms deadline did not end with error DEADLINE_UNMET",
            expected="error event DEADLINE_UNMET",
            received=f"{shown or 'no terminal event'}"
            + (f" at {at:.3f}s" if at is not None else f" ({run.result.termination})"),
            exchanges=evidence,
        )
        ctx.skipped("ERR-MIDSTREAM-EVENT", "no error event to judge")
        return
    assert at is not None
    if at > allowed:
        ctx.failed(
            "DL-FIRES",
            f"DEADLINE_UNMET came {at:.3f}s after the task was sent",
            expected=f"within {allowed:.3f}s (deadline + 250 ms + admission round trip)",
            received=f"{at:.3f}s",
            exchanges=evidence,
        )
    else:
        ctx.passed("DL-FIRES", f"DEADLINE_UNMET at {at:.3f}s (allowed {allowed:.3f}s)", exchanges=evidence)
    broken = run.judgement.for_requirement("ERR-MIDSTREAM-EVENT")
    if broken:
        ctx.failed(
            "ERR-MIDSTREAM-EVENT",
            broken[0].headline(),
            expected=broken[0].expected,
            received=f"{broken[0].received}\nbytes: {broken[0].raw}",
            exchanges=evidence,
        )
    else:
        ctx.passed(
            "ERR-MIDSTREAM-EVENT",
            "the mid-stream error was a valid, terminal SSEError event",
            exchanges=evidence,
        )
