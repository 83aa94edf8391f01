"""The accounts checks against the real reference: every one passes on it, and each fault of
``llmgw_reference/faults/accounts.py`` tried here fails exactly the requirement it names.

Why the real reference over HTTP: these rules are about state kept across requests (a revoked key,
a balance, a usage log); only a real server with its database shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from llmgw_conformance.checks import accounts_images, accounts_keys, accounts_tokens, accounts_usage
from llmgw_conformance.embedded import EmbeddedReference
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import outcomes

PROFILES = ("accounts-keys", "accounts-usage", "images")

ALL_CHECKS: list[tuple[Callable[[Any], None], list[str]]] = [
    (accounts_keys.key_secret_once, ["KEY-SECRET-ONCE"]),
    (accounts_keys.key_lifecycle, ["KEY-LIFECYCLE", "KEY-REVOKED-REFUSED"]),
    (accounts_keys.key_suspended, ["KEY-SUSPENDED-REFUSED"]),
    (accounts_keys.key_expired, ["KEY-EXPIRED-REFUSED"]),
    (accounts_keys.key_restrictions, ["KEY-RESTRICTIONS"]),
    (accounts_keys.key_invalid_input, ["KEY-INVALID-INPUT"]),
    (accounts_keys.key_limit, ["KEY-LIMIT"]),
    (accounts_tokens.token_login, ["TOKEN-LOGIN"]),
    (accounts_tokens.token_expiry, ["TOKEN-EXPIRY"]),
    (accounts_tokens.credits_402, ["CREDITS-402"]),
    (accounts_usage.usage_logged, ["USAGE-LOGGED"]),
    (accounts_usage.usage_stats_total, ["USAGE-STATS-TOTAL"]),
    (accounts_usage.usage_pagination, ["USAGE-PAGINATION"]),
    (accounts_usage.credits_charge, ["CREDITS-CHARGE"]),
    (accounts_images.images_shape, ["IMG-SHAPE"]),
]

FAULT_CASES: list[tuple[str, Callable[[Any], None], str]] = [
    ("key-secret-shown-again", accounts_keys.key_secret_once, "KEY-SECRET-ONCE"),
    ("key-revoked-accepted", accounts_keys.key_lifecycle, "KEY-REVOKED-REFUSED"),
    ("key-restrictions-ignored", accounts_keys.key_restrictions, "KEY-RESTRICTIONS"),
    ("key-limit-off-by-one", accounts_keys.key_limit, "KEY-LIMIT"),
    ("login-tells-unknown-account", accounts_tokens.token_login, "TOKEN-LOGIN"),
    ("usage-stream-unlogged", accounts_usage.usage_logged, "USAGE-LOGGED"),
    ("usage-pages-overlap", accounts_usage.usage_pagination, "USAGE-PAGINATION"),
    ("credits-charge-mismatch", accounts_usage.credits_charge, "CREDITS-CHARGE"),
    ("images-one-short", accounts_images.images_shape, "IMG-SHAPE"),
]


class FaultyReference(EmbeddedReference):
    """The reference started with ``--fault NAME``."""

    def __init__(self, fault: str) -> None:
        super().__init__()
        self.fault = fault

    @property
    def command(self) -> list[str]:
        return [*super().command, "--fault", self.fault]


def _run(server: EmbeddedReference, function: Callable[[Any], None]) -> dict[str, Outcome]:
    ctx, findings = make_context(
        server.base_url, server.api_key, function.__name__, SuiteOptions(profiles=PROFILES)
    )
    try:
        function(ctx)
    finally:
        ctx.close()
    found: dict[str, Outcome] = outcomes(findings)
    return found


@pytest.fixture(scope="module")
def clean_reference() -> Iterator[EmbeddedReference]:
    server = EmbeddedReference()
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize(("function", "requirements"), ALL_CHECKS, ids=[f.__name__ for f, _ in ALL_CHECKS])
def test_check_passes_on_the_reference(
    clean_reference: EmbeddedReference, function: Callable[[Any], None], requirements: list[str]
) -> None:
    found = _run(clean_reference, function)
    assert {req: found.get(req) for req in requirements} == dict.fromkeys(requirements, Outcome.PASSED)


@pytest.mark.parametrize(("fault", "function", "requirement"), FAULT_CASES, ids=[c[0] for c in FAULT_CASES])
def test_fault_fails_its_requirement(fault: str, function: Callable[[Any], None], requirement: str) -> None:
    server = FaultyReference(fault)
    server.start()
    try:
        found = _run(server, function)
    finally:
        server.stop()
    assert found[requirement] == Outcome.FAILED
