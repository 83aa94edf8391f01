"""Deadlines: a task still generating at its deadline ends with an ``error`` event DEADLINE_UNMET.

``deadline_ms`` counts from the target's receipt of the task, which the suite cannot see; it can only
see when it sent the task. The receipt is after the send and at most one admission round trip later,
so the allowed arrival of the error event, counted from the send, is the deadline plus the contract's
250 ms plus the admission's round trip.
"""

from __future__ import annotations

import time
from typing import Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.native_tasks import (
    LONG_PROMPT,
    NativeRun,
    longest_seed,
    run_task,
    smallest_ctx_max,
    unusable,
)
from llmgw_conformance.probes.task_requests import task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check
from llmgw_conformance.sse import Event

GRACE_S: Final = 0.250
#: Tokens asked for: enough that the deadline, set to half of a measured run, falls mid-generation.
DEADLINE_MAX_TOKENS: Final = 64
REQUIREMENTS: Final = ("DL-FIRES", "ERR-MIDSTREAM-EVENT")


@check("deadline-fires", requirements=REQUIREMENTS, profiles=["tasks"], needs=["deadlines"])
def deadline_fires(ctx: CheckContext) -> None:
    """A task still generating at its deadline ends with `error` DEADLINE_UNMET within 250 ms of it.

    The deadline is half the measured duration of the same strictly seeded task (the longest of a few
    seeds), so the task is sure to be generating when it passes, on a fast target or a slow one.
    """
    with Verdicts(ctx, REQUIREMENTS) as verdicts:
        probe = longest_seed(ctx, LONG_PROMPT, DEADLINE_MAX_TOKENS)
        if probe is None:
            for rid in REQUIREMENTS:
                verdicts.skip(rid, "no probe task ran to a terminal event, so no deadline could be placed")
            return
        deadline_ms = max(1, int(probe.duration_s * 1000 / 2))
        body = task_body(
            ctx,
            prompt=LONG_PROMPT,
            max_tokens=DEADLINE_MAX_TOKENS,
            deadline_ms=deadline_ms,
            ctx_ceiling=smallest_ctx_max(ctx),
            seed=probe.seed,
            determinism="strict",
        )
        sent_at = time.monotonic()
        stop_after = deadline_ms / 1000 + GRACE_S + 2.0

        def past_due(event: Event) -> bool:
            return time.monotonic() - sent_at > stop_after

        run = run_task(ctx, body, stop_when=past_due)
        if run.admission.status == 504:
            for rid in REQUIREMENTS:
                verdicts.skip(
                    rid,
                    f"the task with deadline {deadline_ms} ms was refused 504 before starting "
                    "(DL-UNMET-REJECT's case)",
                )
            return
        if unusable(verdicts, run, REQUIREMENTS):
            return
        _judge(verdicts, run, sent_at, deadline_ms)


def _judge(verdicts: Verdicts, run: NativeRun, sent_at: float, deadline_ms: int) -> None:
    assert run.result is not None and run.judgement is not None
    summary, terminal = run.judgement.summary, run.judgement.terminal_index
    deadline_s = deadline_ms / 1000
    allowed = deadline_s + GRACE_S + run.admission.exchange.elapsed_s
    evidence = [run.admission.exchange, run.result.exchange]
    at = run.result.transcript.events[terminal].t_last - sent_at if terminal is not None else None
    error = summary.get("error")
    if summary.get("terminal") == "end" and at is not None and at <= deadline_s:
        for rid in REQUIREMENTS:
            verdicts.skip(rid, f"the task finished at {at:.3f}s, before its {deadline_ms} ms deadline")
        return
    if (
        summary.get("terminal") != "error"
        or not isinstance(error, dict)
        or error.get("code") != "DEADLINE_UNMET"
    ):
        shown = f"{summary.get('terminal')} {error.get('code') if isinstance(error, dict) else ''}".strip()
        when = f" at {at:.3f}s" if at is not None else f" ({run.result.termination})"
        verdicts.fail(
            "DL-FIRES",
            f"a task past its {deadline_ms} ms deadline did not end with error DEADLINE_UNMET",
            expected="error event DEADLINE_UNMET",
            received=f"{shown or 'no terminal event'}{when}",
            exchanges=evidence,
        )
        verdicts.skip("ERR-MIDSTREAM-EVENT", "no error event to judge")
        return
    assert at is not None
    if at > allowed:
        verdicts.fail(
            "DL-FIRES",
            f"DEADLINE_UNMET came {at:.3f}s after the task was sent",
            expected=f"within {allowed:.3f}s (deadline + 250 ms + admission round trip)",
            received=f"{at:.3f}s",
            exchanges=evidence,
        )
    else:
        verdicts.passed(
            "DL-FIRES",
            f"DEADLINE_UNMET at {at:.3f}s for a {deadline_ms} ms deadline (allowed {allowed:.3f}s)",
            exchanges=evidence,
        )
    # An event after the error event makes it not the terminal one, which ERR-MIDSTREAM-EVENT forbids.
    broken = [
        *run.judgement.for_requirement("ERR-MIDSTREAM-EVENT"),
        *run.judgement.for_requirement("NAT-NOTHING-AFTER-TERMINAL"),
        *run.judgement.for_requirement("NAT-TERMINAL-ONCE"),
    ]
    if broken:
        verdicts.fail(
            "ERR-MIDSTREAM-EVENT",
            broken[0].headline(),
            expected=broken[0].expected,
            received=f"{broken[0].received}\nbytes: {broken[0].raw}",
            exchanges=evidence,
        )
    else:
        verdicts.passed(
            "ERR-MIDSTREAM-EVENT",
            "the mid-stream error was a valid, terminal SSEError event",
            exchanges=evidence,
        )
