"""Ending a resource the contract lets a client delete: the delete answers 204, a get after it 404.

Why here: pools and sessions are ended the same way and judged by the same two answers; one place
keeps the requests, the rule and its message identical for both.
"""

from __future__ import annotations

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.verdicts import Verdicts


def judge_deleted(ctx: CheckContext, verdicts: Verdicts, requirement_id: str, path: str) -> bool:
    """DELETE ``path``, then GET it; ``requirement_id`` holds when they answer 204, then 404.

    Returns whether it held, so a check can go on to what a deleted resource must refuse.
    """
    deleted = ctx.request("DELETE", path)
    after = ctx.request("GET", path)
    return verdicts.expect(
        requirement_id,
        deleted.status == 204 and after.status == 404,
        f"delete answered {deleted.status}, then get {after.status}",
        expected="204, then 404",
        exchanges=[deleted.exchange, after.exchange],
    )
