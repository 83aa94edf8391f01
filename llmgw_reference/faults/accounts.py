"""Faults of the accounts side (contract 1.2, issue 17): each breaks one KEY-, TOKEN-, USAGE-,
CREDITS- or IMG- rule, so the kill matrix proves the suite's accounts checks catch it.

Why one generic ``adjust(point, value)`` hook instead of new FaultSet hooks: the accounts code asks
the active faults about a handful of named decision points (``adjusted``); adding a method per
point to ``faults/base.py`` would touch the shared hook list for every accounts rule.
"""

from __future__ import annotations

from typing import Any

from llmgw_reference.faults.base import Fault, FaultSet, fault


class AccountsFault(Fault):
    """A fault of the accounts side: changes the value of one named decision point."""

    point = ""

    def adjust(self, point: str, value: Any) -> Any:
        return self.change(value) if point == self.point else value

    def change(self, value: Any) -> Any:
        return value


def adjusted(faults: FaultSet | None, point: str, value: Any) -> Any:
    """``value`` as the active accounts faults change it at decision point ``point``."""
    for active in getattr(faults, "faults", None) or ():
        if isinstance(active, AccountsFault):
            value = active.adjust(point, value)
    return value


def _register(name: str, breaks: list[str], description: str, point: str, value: Any) -> None:
    """One fault class that answers ``value`` at ``point`` (a constant, or a callable of the old value)."""

    def change(self: AccountsFault, old: Any) -> Any:
        return value(old) if callable(value) else value

    cls = type(name.title().replace("-", ""), (AccountsFault,), {"point": point, "change": change})
    fault(name, breaks=breaks, description=description)(cls)


_register(
    "key-secret-shown-again",
    ["KEY-SECRET-ONCE"],
    "Shows the secret of a key again in list and retrieve answers.",
    "key-view-secret",
    True,
)
_register(
    "key-revoked-update-allowed",
    ["KEY-LIFECYCLE"],
    "Accepts updates of a revoked key (200 instead of 409).",
    "revoked-update-allowed",
    True,
)
_register(
    "key-revoked-accepted", ["KEY-REVOKED-REFUSED"], "Keeps accepting a revoked key.", "accept-REVOKED", True
)
_register(
    "key-suspended-accepted",
    ["KEY-SUSPENDED-REFUSED"],
    "Keeps accepting a suspended key.",
    "accept-SUSPENDED",
    True,
)
_register(
    "key-expiry-ignored",
    ["KEY-EXPIRED-REFUSED"],
    "Never expires a key past its expires_at.",
    "expiry-enforced",
    False,
)
_register(
    "key-restrictions-ignored",
    ["KEY-RESTRICTIONS"],
    "Ignores allowed_ips and allowed_endpoints.",
    "restrictions-enforced",
    False,
)
_register(
    "key-malformed-restrictions-accepted",
    ["KEY-INVALID-INPUT"],
    "Stores malformed allowed_ips and allowed_endpoints entries as sent.",
    "validate-restrictions",
    False,
)
_register(
    "login-tells-unknown-account",
    ["TOKEN-LOGIN"],
    "Answers a login for an unknown email differently from a wrong password.",
    "login-tells-unknown",
    True,
)
_register(
    "token-expiry-ignored",
    ["TOKEN-EXPIRY"],
    "Keeps accepting access tokens past their expiry.",
    "token-expiry-enforced",
    False,
)
_register(
    "credits-overdraft",
    ["CREDITS-402"],
    "Never refuses with 402: runs requests the balance cannot pay and lets it go below zero.",
    "credits-check",
    False,
)
_register(
    "usage-stream-unlogged",
    ["USAGE-LOGGED"],
    "Logs streamed requests with zero completion tokens.",
    "stream-completion-tokens",
    0,
)
_register(
    "usage-stats-prompt-only",
    ["USAGE-STATS-TOTAL"],
    "Sums only the prompt tokens into the statistics' total_tokens.",
    "stats-prompt-only",
    True,
)
_register(
    "usage-pages-overlap",
    ["USAGE-PAGINATION"],
    "Repeats the last entry of a page as the first of the next.",
    "page-overlap",
    1,
)
_register(
    "credits-charge-mismatch",
    ["CREDITS-CHARGE"],
    "Takes one credit more from the balance than the answer's X-Credits-Used says.",
    "extra-charge",
    1,
)
_register(
    "images-one-short",
    ["IMG-SHAPE"],
    "Answers one image fewer than n asked for (at least one).",
    "image-count",
    lambda n: max(1, int(n) - 1),
)
_register(
    "key-limit-off-by-one",
    ["KEY-LIMIT"],
    "Lets an account hold one key more than limits.max_api_keys (the check is > instead of >=).",
    "key-limit",
    lambda limit: int(limit) + 1,
)
