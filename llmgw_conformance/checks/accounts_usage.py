"""Usage and credits of the run key's account (profile accounts-usage): the log matches what the
answers reported, the statistics add up, the history pages are stable, the charge is consistent.

Why a few billed requests of its own: any profile's requests are billed, so comparing "before"
and "after" around requests this check sends, matched by their X-Request-Id, judges the
accounting without changing anything a user relies on.
"""

from __future__ import annotations

from typing import Any

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.accounts_calls import (
    CHAT_PATH,
    LOGS_PATH,
    balance,
    body_of,
    chat_body,
    header,
    log_entries,
    stream_usage,
    usage_of,
)
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

MAX_PAGES = 50


def _entry_tokens(entry: Any) -> tuple[Any, Any, Any]:
    if not isinstance(entry, dict):
        return None, None, None
    return entry.get("prompt_tokens"), entry.get("completion_tokens"), entry.get("total_tokens")


@check("usage-logged", requirements=["USAGE-LOGGED"], profiles=["accounts-usage"], needs=["usage"])
def usage_logged(ctx: CheckContext) -> None:
    """Each billed request (JSON and streamed) has one log entry with the tokens its answer reported."""
    req = "USAGE-LOGGED"
    with Verdicts(ctx, [req]) as verdicts:
        seen: list[tuple[str, tuple[int, int, int] | None, Any]] = []
        for _ in range(2):
            answer = ctx.request("POST", CHAT_PATH, json=chat_body(ctx))
            seen.append(
                (header(answer.headers, "x-request-id") or "", usage_of(body_of(answer)), answer.exchange)
            )
        streamed = ctx.stream("POST", CHAT_PATH, json=chat_body(ctx, stream=True))
        seen.append(
            (header(streamed.headers, "x-request-id") or "", stream_usage(streamed), streamed.exchange)
        )
        for request_id, reported, exchange in seen:
            if not request_id or reported is None:
                verdicts.skip(req, "an answer had no X-Request-Id or no usage to compare with")
                continue
            entries, response = log_entries(ctx, request_id)
            if response.status in (401, 403):
                verdicts.not_supported(req, f"the run key cannot read usage logs ({response.status})")
                break
            logged = [
                _entry_tokens(e) for e in entries if isinstance(e, dict) and e.get("request_id") == request_id
            ]
            verdicts.expect(
                req,
                logged == [reported],
                f"request {request_id}: the answer reported {reported}, the log holds {logged}",
                expected="one entry with the reported tokens",
                exchanges=[exchange, response.exchange],
            )


def _stats(ctx: CheckContext) -> dict[str, Any]:
    return body_of(ctx.request("GET", "/v1/usage/stats", params={"period": "day"}))


@check("usage-stats-total", requirements=["USAGE-STATS-TOTAL"], profiles=["accounts-usage"], needs=["usage"])
def usage_stats_total(ctx: CheckContext) -> None:
    """The day's statistics grow by exactly the requests sent and the tokens/credits their entries hold."""
    req = "USAGE-STATS-TOTAL"
    with Verdicts(ctx, [req]) as verdicts:
        before = _stats(ctx)
        ids = []
        for _ in range(2):
            answer = ctx.request("POST", CHAT_PATH, json=chat_body(ctx))
            ids.append(header(answer.headers, "x-request-id") or "")
        after = _stats(ctx)
        entries = [e for rid in ids for e in log_entries(ctx, rid)[0] if isinstance(e, dict)]
        keys = ("total_requests", "total_tokens", "total_credits_used")
        if not all(
            isinstance(before.get(k), int | float) and isinstance(after.get(k), int | float) for k in keys
        ):
            verdicts.skip(req, "the statistics could not be read")
        else:
            want = (
                len(ids),
                sum(e.get("total_tokens") or 0 for e in entries),
                sum(e.get("credits_charged") or 0 for e in entries),
            )
            got = tuple(after[k] - before[k] for k in keys)
            verdicts.expect(
                req,
                got == want,
                f"the statistics grew by {dict(zip(keys, got, strict=True))} over "
                f"{len(ids)} requests whose entries sum to {dict(zip(keys, want, strict=True))}",
            )


@check("usage-pagination", requirements=["USAGE-PAGINATION"], profiles=["accounts-usage"], needs=["usage"])
def usage_pagination(ctx: CheckContext) -> None:
    """Pages with until_id visit every entry once; total and has_more agree with what was visited."""
    req = "USAGE-PAGINATION"
    with Verdicts(ctx, [req]) as verdicts:
        for _ in range(3):  # at least a few entries, on any target
            ctx.request("POST", CHAT_PATH, json=chat_body(ctx, max_tokens=2))
        first = ctx.request("GET", LOGS_PATH, params={"page": 1, "limit": 2})
        page = body_of(first)
        data, total = page.get("data"), page.get("total")
        if first.status != 200 or not isinstance(data, list) or not data or not isinstance(total, int):
            verdicts.skip(req, f"the first page could not be read ({first.status})")
            return
        until = data[0].get("id") if isinstance(data[0], dict) else None
        visited: list[Any] = []
        number = 1
        while number <= MAX_PAGES:
            response = ctx.request("GET", LOGS_PATH, params={"page": number, "limit": 2, "until_id": until})
            body = body_of(response)
            visited += [e.get("id") for e in body.get("data") or [] if isinstance(e, dict)]
            if not body.get("has_more"):
                break
            number += 1
        problems = []
        if len(visited) != len(set(visited)):
            problems.append("an entry appeared on two pages")
        if number <= MAX_PAGES and len(visited) != total:
            problems.append(f"{len(visited)} entries visited, total says {total}")
        verdicts.expect(req, not problems, "; ".join(problems), exchanges=[first.exchange])


@check(
    "credits-charge", requirements=["CREDITS-CHARGE"], profiles=["accounts-usage"], needs=["credits", "usage"]
)
def credits_charge(ctx: CheckContext) -> None:
    """X-Credits-Used equals the logged charge and the balance's fall; X-Credits-Remaining the balance."""
    req = "CREDITS-CHARGE"
    with Verdicts(ctx, [req]) as verdicts:
        before, _ = balance(ctx)
        answer = ctx.request("POST", CHAT_PATH, json=chat_body(ctx))
        after, read = balance(ctx)
        used, remaining = (
            header(answer.headers, "x-credits-used"),
            header(answer.headers, "x-credits-remaining"),
        )
        entries, _ = log_entries(ctx, header(answer.headers, "x-request-id") or "")
        if before is None or after is None or used is None or remaining is None or len(entries) != 1:
            verdicts.skip(req, "the balance, the charge headers or the log entry could not be read")
        else:
            charged = entries[0].get("credits_charged") if isinstance(entries[0], dict) else None
            facts = {
                "X-Credits-Used": float(used),
                "logged": charged,
                "balance fall": before - after,
                "X-Credits-Remaining": float(remaining),
                "balance after": after,
            }
            verdicts.expect(
                req,
                float(used) == charged == before - after and float(remaining) == after,
                f"the charge does not add up: {facts}",
                exchanges=[read.exchange, answer.exchange],
            )
