"""Sessions (control-admin, feature ``sessions``): turns, budgets, TTL, KV warmth, end.

Why: session budgets are how a gateway bills and caps agents that loop; a budget that is not
decremented, that grows back by itself, or that is not enforced turns a runaway agent into an
unbounded bill. Sessions the suite opens use fresh UUIDs and are ended at the end.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import ErrorExpectation, as_int, judge_native_error
from llmgw_conformance.probes.resource_deletion import judge_deleted
from llmgw_conformance.probes.session_calls import get_session, put_session, run_in_session
from llmgw_conformance.probes.target_claims import new_uuid
from llmgw_conformance.probes.task_requests import submit, task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

SESSION_REQS = ["SESS-TURNS", "SESS-BUDGET-DECREASE", "SESS-BUDGET-ENFORCED", "SESS-TTL-EXPIRES", "SESS-END"]
#: TTL used to watch a session expire (short, so the check stays fast).
SHORT_TTL_MS = 300


@check("sessions", requirements=SESSION_REQS, profiles=["control-admin"], needs=["sessions"])
def sessions(ctx: CheckContext) -> None:
    """Turns grow per task, budgets decrease by tokens_out and are enforced, TTL expires, delete ends."""
    with Verdicts(ctx, SESSION_REQS) as verdicts:
        sid = new_uuid()
        tokens = min(4, ctx.options.max_tokens)
        budget = 3 * tokens
        opened = put_session(ctx, sid, ttl_ms=60_000, tokens_budget=budget)
        _, before = get_session(ctx, sid)
        if opened.status not in (200, 201) or before is None:
            for req in SESSION_REQS:
                verdicts.skip(req, f"the session could not be opened ({opened.status})")
            return
        previous = before
        for _ in range(2):
            admitted, used = run_in_session(ctx, sid, tokens)
            answer, now = get_session(ctx, sid)
            if admitted.status != 202 or used is None or now is None:
                verdicts.skip("SESS-TURNS", f"a session task did not run to its end ({admitted.status})")
                break
            _judge_step(verdicts, previous, now, used, answer)
            previous = now
        _judge_enforced(ctx, verdicts)
        short = new_uuid()
        put_session(ctx, short, ttl_ms=SHORT_TTL_MS)
        time.sleep(SHORT_TTL_MS / 1000 * 3)
        expired, _ = get_session(ctx, short)
        verdicts.expect_status("SESS-TTL-EXPIRES", expired, 404, "a session idle for 3x its TTL")
        judge_deleted(ctx, verdicts, "SESS-END", f"/v1/sessions/{sid}")


def _judge_step(
    verdicts: Verdicts, before: Mapping[str, Any], now: Mapping[str, Any], used: int, answer: Response
) -> None:
    ex = answer.exchange
    turns = as_int(before.get("turns", 0)) + 1
    verdicts.expect(
        "SESS-TURNS",
        now.get("turns") == turns,
        f"turns went {before.get('turns')} -> {now.get('turns')} after one task",
        expected=str(turns),
        received=str(now.get("turns")),
        exchanges=[ex],
    )
    left_before, left_now = before.get("tokens_budget_remaining"), now.get("tokens_budget_remaining")
    if not isinstance(left_before, int) or not isinstance(left_now, int):
        verdicts.fail(
            "SESS-BUDGET-DECREASE",
            "a session with a tokens budget reports no tokens_budget_remaining",
            received=str(now)[:200],
            exchanges=[ex],
        )
        return
    left = max(left_before - used, 0)
    verdicts.expect(
        "SESS-BUDGET-DECREASE",
        left_now == left,
        f"tokens left went {left_before} -> {left_now} after {used} tokens",
        expected=str(left),
        received=str(left_now),
        exchanges=[ex],
    )


def _judge_enforced(ctx: CheckContext, verdicts: Verdicts) -> None:
    req = "SESS-BUDGET-ENFORCED"
    small = new_uuid()
    put_session(ctx, small, ttl_ms=60_000, tokens_budget=2)
    admitted, used = run_in_session(ctx, small, max(ctx.options.max_tokens, 8))
    if admitted.status == 202:
        verdicts.expect(
            req,
            used is None or used <= 2,
            f"a session with a budget of 2 tokens produced {used}",
            expected="at most 2",
            received=str(used),
            exchanges=[admitted.exchange],
        )
    spent = new_uuid()
    put_session(ctx, spent, ttl_ms=60_000, tokens_budget=0)
    refused = submit(ctx, task_body(ctx, session_id=spent))
    judge_native_error(
        ctx,
        verdicts,
        refused,
        ErrorExpectation(status=429, code="ADMISSION_REJECT", reason="BUDGET_EXHAUSTED", requirement=req),
    )
    for sid in (small, spent):
        ctx.request("DELETE", f"/v1/sessions/{sid}")


@check(
    "session-kv-warmth",
    requirements=["SESS-KV-WARMTH"],
    profiles=["control-admin"],
    needs=["sessions", "kv-reuse"],
)
def session_kv_warmth(ctx: CheckContext) -> None:
    """After a task with kv_hint reuse, the session reports kv_warmth true and kv_bytes above 0."""
    req = "SESS-KV-WARMTH"
    with Verdicts(ctx, [req]) as verdicts:
        sid = new_uuid()
        put_session(ctx, sid, ttl_ms=60_000)
        admitted, used = run_in_session(ctx, sid, min(4, ctx.options.max_tokens), kv_hint="reuse")
        answer, info = get_session(ctx, sid)
        if admitted.status != 202 or used is None or info is None:
            verdicts.skip(req, f"the reuse task did not run to its end ({admitted.status})")
        else:
            kv_bytes = info.get("kv_bytes")
            verdicts.expect(
                req,
                info.get("kv_warmth") is True and isinstance(kv_bytes, int) and kv_bytes > 0,
                "after a kv_hint reuse task the session is not warm",
                expected="kv_warmth true, kv_bytes > 0",
                received=str(info)[:200],
                exchanges=[answer.exchange],
            )
        ctx.request("DELETE", f"/v1/sessions/{sid}")
