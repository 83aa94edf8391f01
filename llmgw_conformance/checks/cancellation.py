"""Cancellation: a client disconnect and an explicit ``cancelTask`` stop generation within the budget.

The budget is ``capabilities.limits.cancel_budget_ms`` capped at the contract's 100 ms. What the suite
measures adds its own delays, so a verdict allows :data:`POLL_TOLERANCE_S` on top: one poll interval
(:data:`POLL_INTERVAL_S`), the round trip of the ``getTask`` request that observes the state, and the
server noticing a closed socket (which it usually does on its next write, one token later). A target
that never stops fails no matter the tolerance; one that stops a little late may pass within it, and
the report says how long it took.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.native_tasks import (
    LONG_PROMPT,
    SHORT_PROMPT,
    run_task,
    smallest_ctx_max,
    task_status,
    unusable,
)
from llmgw_conformance.probes.stream_findings import limits
from llmgw_conformance.probes.task_requests import task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check
from llmgw_conformance.sse import Event

CONTRACT_BUDGET_S: Final = 0.100
POLL_INTERVAL_S: Final = 0.02
POLL_TOLERANCE_S: Final = 0.25
#: Long enough that a cancel, not the limit, ends the task on any target that streams a token at a time.
CANCEL_MAX_TOKENS: Final = 256
#: Tasks tried (each with another seed) before a rule that needs a still-running task is skipped.
ATTEMPTS: Final = 3


def cancel_budget_s(ctx: CheckContext) -> float:
    """The target's cancel budget (``limits.cancel_budget_ms``), never above the contract's 100 ms."""
    declared = limits(ctx).get("cancel_budget_ms")
    if isinstance(declared, int) and not isinstance(declared, bool) and declared > 0:
        return min(declared / 1000, CONTRACT_BUDGET_S)
    return CONTRACT_BUDGET_S


def _active_tasks(ctx: CheckContext) -> int | None:
    response = ctx.request("GET", "/v1/capacity")
    try:
        value = response.json().get("active_tasks") if response.status == 200 else None
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


@check("cancel-disconnect", requirements=["CANCEL-DISCONNECT"], profiles=["tasks"], needs=["cancel"])
def cancel_disconnect(ctx: CheckContext) -> None:
    """Disconnecting after the first token cancels the task and frees its slot within the budget."""
    baseline = _active_tasks(ctx)
    with Verdicts(ctx, ["CANCEL-DISCONNECT"]) as verdicts:
        _with_retries(verdicts, "CANCEL-DISCONNECT", lambda: _disconnect_once(ctx, verdicts, baseline))


class _Unobservable(Exception):
    """This attempt could not show the rule (the task ended too soon); another seed may."""


def _with_retries(verdicts: Verdicts, rid: str, attempt: Callable[[], None]) -> None:
    """Run ``attempt`` until it records a verdict, at most ATTEMPTS times; else skip with the reason."""
    reason = ""
    for _ in range(ATTEMPTS):
        try:
            attempt()
            return
        except _Unobservable as exc:
            reason = str(exc)
    verdicts.skip(rid, f"{reason} ({ATTEMPTS} attempts, each with another seed)")


def _long_task(ctx: CheckContext) -> dict[str, Any]:
    return task_body(
        ctx,
        prompt=LONG_PROMPT,
        max_tokens=max(ctx.options.max_tokens, CANCEL_MAX_TOKENS),
        ctx_ceiling=smallest_ctx_max(ctx),
        seed=ctx.rng.randrange(2**31),
    )


def _disconnect_once(ctx: CheckContext, verdicts: Verdicts, baseline: int | None) -> None:
    rid = "CANCEL-DISCONNECT"
    body = _long_task(ctx)
    run = run_task(ctx, body, stop_when=lambda event: event.event == "token")
    left_at = time.monotonic()
    if unusable(verdicts, run, (rid,)):
        return
    assert run.result is not None and run.judgement is not None
    if run.result.termination != "closed_by_client":
        raise _Unobservable(
            f"the stream ended ({run.result.termination}) before a first token to disconnect after"
        )
    allowed = cancel_budget_s(ctx) + POLL_TOLERANCE_S
    evidence = [run.result.exchange]
    state: Any = None
    tokens: Any = None
    seen_running = False
    while True:
        response, doc = task_status(ctx, run.task_id)
        waited = time.monotonic() - left_at
        state, tokens = (doc or {}).get("state"), (doc or {}).get("tokens_out")
        if state in ("cancelled", "succeeded", "failed") or waited > allowed:
            evidence.append(response.exchange)
            break
        seen_running = seen_running or state in ("queued", "running")
        time.sleep(POLL_INTERVAL_S)
    if state in ("succeeded", "failed") and seen_running:
        verdicts.fail(
            rid,
            f"generation went on after the client disconnected: the task, still running "
            f"after the disconnect, then ended {state} ({tokens!r} tokens)",
            expected="state cancelled",
            received=f"state {state!r}",
            exchanges=evidence,
        )
        return
    if state in ("succeeded", "failed"):
        # Its first status after the disconnect was already final: it may have finished before it.
        raise _Unobservable(f"the task ended {state} before the disconnect could be observed")
    if state != "cancelled":
        verdicts.fail(
            rid,
            f"{waited:.3f}s after the client disconnected, the task is still {state!r}",
            expected=f"state cancelled within {allowed:.3f}s (budget + polling tolerance)",
            received=f"state {state!r}, tokens_out {tokens!r}",
            exchanges=evidence,
        )
        return
    time.sleep(POLL_INTERVAL_S * 5)
    response, doc = task_status(ctx, run.task_id)
    evidence.append(response.exchange)
    later = (doc or {}).get("tokens_out")
    if isinstance(tokens, int) and isinstance(later, int) and later > tokens:
        verdicts.fail(
            rid,
            "tokens_out kept growing after the task was reported cancelled",
            expected=str(tokens),
            received=str(later),
            exchanges=evidence,
        )
        return
    after = _active_tasks(ctx)
    if baseline is not None and after is not None and after > baseline:
        verdicts.fail(
            rid,
            "capacity did not get the slot back after the cancel",
            expected=f"active_tasks at most {baseline}",
            received=str(after),
            exchanges=evidence,
        )
        return
    verdicts.passed(
        rid, f"cancelled {waited:.3f}s after the disconnect (allowed {allowed:.3f}s)", exchanges=evidence
    )


@check("cancel-explicit", requirements=["CANCEL-EXPLICIT"], profiles=["tasks"], needs=["cancel"])
def cancel_explicit(ctx: CheckContext) -> None:
    """cancelTask ends a running stream with `end` cancelled in budget, and leaves a finished task alone."""
    with Verdicts(ctx, ["CANCEL-EXPLICIT"]) as verdicts:
        _with_retries(verdicts, "CANCEL-EXPLICIT", lambda: _cancel_once(ctx, verdicts))


def _cancel_once(ctx: CheckContext, verdicts: Verdicts) -> None:
    rid = "CANCEL-EXPLICIT"
    allowed = cancel_budget_s(ctx) + POLL_TOLERANCE_S
    sent: dict[str, Any] = {}
    body = _long_task(ctx)

    def on_event(event: Event) -> bool:
        if "at" not in sent and event.event == "token":
            sent["response"] = ctx.request("POST", f"/v1/tasks/{body['task_id']}/cancel")
            sent["at"] = time.monotonic()
        # Stop reading once the stream has had its budget (plus a second) to end after the cancel.
        return "at" in sent and time.monotonic() - sent["at"] > allowed + 1.0

    run = run_task(ctx, body, stop_when=on_event)
    if unusable(verdicts, run, (rid,)):
        return
    assert run.result is not None and run.judgement is not None
    if "at" not in sent:
        raise _Unobservable("the stream ended before a first token to cancel after")
    evidence = [run.result.exchange, sent["response"].exchange]
    if sent["response"].status != 200:
        verdicts.fail(
            rid,
            f"cancelTask on a running task answered {sent['response'].status}",
            expected="200",
            received=sent["response"].text[:300],
            exchanges=evidence,
        )
        return
    summary = run.judgement.summary
    terminal = run.judgement.terminal_index
    ended = run.result.transcript.events[terminal].t_last - sent["at"] if terminal is not None else None
    if summary.get("terminal") != "end" or summary.get("finish_reason") != "cancelled":
        verdicts.fail(
            rid,
            "the stream of a cancelled task did not end with `end` finish_reason cancelled",
            expected="end, finish_reason cancelled",
            received=f"{summary.get('terminal')}, finish_reason {summary.get('finish_reason')!r}",
            exchanges=evidence,
        )
        return
    if ended is not None and ended > allowed:
        verdicts.fail(
            rid,
            f"the stream ended {ended:.3f}s after cancelTask",
            expected=f"within {allowed:.3f}s",
            received=f"{ended:.3f}s",
            exchanges=evidence,
        )
        return
    _cancel_finished(ctx, verdicts, evidence)


def _cancel_finished(ctx: CheckContext, verdicts: Verdicts, evidence: list[Any]) -> None:
    """cancelTask on a task that already succeeded answers 200 and leaves it as it was."""
    rid = "CANCEL-EXPLICIT"
    run = run_task(ctx, task_body(ctx, prompt=SHORT_PROMPT, max_tokens=2, ctx_ceiling=smallest_ctx_max(ctx)))
    if unusable(verdicts, run, (rid,)):
        return
    before_response, before = task_status(ctx, run.task_id, wait_ms=2000)
    response = ctx.request("POST", f"/v1/tasks/{run.task_id}/cancel")
    after_response, after = task_status(ctx, run.task_id)
    evidence = [*evidence, before_response.exchange, response.exchange, after_response.exchange]
    if before is None or before.get("state") not in ("succeeded", "failed"):
        verdicts.skip(rid, "the short task was not finished, so cancelling a finished task was not tried")
        return
    if (
        response.status != 200
        or after is None
        or after.get("state") != before.get("state")
        or (after.get("result") != before.get("result"))
    ):
        verdicts.fail(
            rid,
            "cancelTask on a finished task changed it or was refused",
            expected=f"200 and state {before.get('state')!r}, result unchanged",
            received=f"{response.status}, state {(after or {}).get('state')!r}",
            exchanges=evidence,
        )
        return
    verdicts.passed(
        rid, "cancel ended the stream in budget; a finished task was left unchanged", exchanges=evidence
    )
