"""Usage logs, statistics and the billing transaction.

Why billing and logging are one transaction: the issue's rule is "a request is billed and
answered or neither"; the log entry and the balance change commit together or not at all, and
the caller answers only after the commit (JSON) or ends the stream with an error event instead
of ``[DONE]`` when it fails.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from llmgw_reference.accounts.store import Store, now_iso, parse_iso
from llmgw_reference.errors import bad_request
from llmgw_reference.faults.accounts import adjusted
from llmgw_reference.faults.base import FaultSet

PERIODS = {"day": timedelta(days=1), "week": timedelta(weeks=1), "month": timedelta(days=30)}
FILTERS = ("model", "endpoint", "request_id")


@dataclass(frozen=True)
class UsageEntry:
    """What one billable request did, as logged."""

    account_id: str
    request_id: str
    key_prefix: str | None
    endpoint: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    credits: int = 0
    latency_ms: int | None = None
    status: str = "SUCCESS"
    error_code: str | None = None


def log_view(row: sqlite3.Row) -> dict[str, Any]:
    view = {k: row[k] for k in row.keys() if k not in ("seq", "account_id", "credits_charged")}  # noqa: SIM118
    view["credits_charged"] = row["credits_charged"]
    if view.get("api_key_prefix") is None:
        view.pop("api_key_prefix", None)
    return view


class Ledger:
    """Usage logs and balances of one store."""

    def __init__(self, store: Store, faults: FaultSet | None) -> None:
        self.store = store
        self.faults = faults

    def bill(self, entry: UsageEntry) -> int:
        """Logs ``entry`` and takes its credits from the balance, atomically; the balance after."""
        taken = entry.credits + (int(adjusted(self.faults, "extra-charge", 0)) if entry.credits else 0)
        with self.store.transaction() as db:
            row = db.execute(
                "SELECT credits_balance FROM accounts WHERE id=?", (entry.account_id,)
            ).fetchone()
            balance = int(row["credits_balance"]) if row else 0
            if taken > balance and adjusted(self.faults, "credits-check", True):
                taken = balance  # never below zero (the admission estimate makes this unreachable)
            db.execute(
                "UPDATE accounts SET credits_balance = credits_balance - ? WHERE id=?",
                (taken, entry.account_id),
            )
            db.execute(
                "INSERT INTO usage_logs (id, account_id, request_id, api_key_prefix, endpoint, model,"
                " prompt_tokens, completion_tokens, total_tokens, credits_charged, latency_ms, status,"
                " error_code, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (f"log_{secrets.token_hex(8)}", entry.account_id, entry.request_id, entry.key_prefix,
                 entry.endpoint, entry.model, entry.prompt_tokens, entry.completion_tokens,
                 entry.prompt_tokens + entry.completion_tokens, entry.credits, entry.latency_ms,
                 entry.status, entry.error_code, now_iso()),
            )  # fmt: skip
        return balance - taken

    def stats(self, account_id: str, period: str) -> dict[str, Any]:
        if period not in PERIODS:
            raise bad_request(f"period must be one of {list(PERIODS)}", param="period")
        end = datetime.now(UTC)
        start = end - PERIODS[period]
        start_iso = start.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        column = "prompt_tokens" if adjusted(self.faults, "stats-prompt-only", False) else "total_tokens"
        rows = self.store.query(
            f"SELECT COUNT(*) AS n, COALESCE(SUM({column}),0) AS t, COALESCE(SUM(credits_charged),0) AS c"
            " FROM usage_logs WHERE account_id=? AND created_at>=?",
            (account_id, start_iso),
        )
        n = int(rows[0]["n"])
        return {
            "total_requests": n,
            "total_tokens": int(rows[0]["t"]),
            "total_credits_used": int(rows[0]["c"]),
            "period_start": start_iso,
            "period_end": end.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }

    def page(self, account_id: str, params: dict[str, str]) -> dict[str, Any]:
        page = _int_param(params, "page", 1, 1, None)
        limit = _int_param(params, "limit", 20, 1, 100)
        where, args = ["account_id=?"], [account_id]
        for name in FILTERS:
            if params.get(name):
                where.append(f"{name}=?")
                args.append(params[name])
        for name, op in (("start_date", ">="), ("end_date", "<=")):
            if params.get(name):
                try:
                    when = parse_iso(params[name]).astimezone(UTC)
                except ValueError:
                    raise bad_request(f"{name} is not an RFC 3339 date-time", param=name) from None
                where.append(f"created_at{op}?")
                args.append(when.isoformat(timespec="milliseconds").replace("+00:00", "Z"))
        if params.get("until_id"):
            where.append("seq <= COALESCE((SELECT seq FROM usage_logs WHERE id=?), -1)")
            args.append(params["until_id"])
        clause = " AND ".join(where)
        (total,) = self.store.query(f"SELECT COUNT(*) FROM usage_logs WHERE {clause}", tuple(args))[0]
        offset = max(
            0, (page - 1) * limit - (int(adjusted(self.faults, "page-overlap", 0)) if page > 1 else 0)
        )
        rows = self.store.query(
            f"SELECT * FROM usage_logs WHERE {clause} ORDER BY seq DESC LIMIT ? OFFSET ?",
            # Any page number is valid; one past SQLite's 64-bit OFFSET is past every entry anyway.
            (*args, limit, min(offset, _SQLITE_MAX_INT)),
        )
        return {
            "data": [log_view(r) for r in rows],
            "page": page,
            "limit": limit,
            "total": int(total),
            "has_more": page * limit < int(total),
        }


_SQLITE_MAX_INT = 2**63 - 1


def _int_param(params: dict[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        bound = f"{low} to {high}" if high is not None else f"at least {low}"
        raise bad_request(f"{name} must be an integer, {bound}", param=name)
    return int(raw)
