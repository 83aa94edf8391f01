"""Control-plane checks on the reference in its own fault modes: each fault breaking their rules is caught.

The reference's fault catalogue (``--fault NAME``) names the requirements each fault breaks; this
proves these checks kill the faults in their area on the real implementation, not only on the fake.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from llmgw_conformance.checks import auth, backpressure
from llmgw_conformance.embedded import EmbeddedReference
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import outcomes


class FaultyReference(EmbeddedReference):
    """The reference started with ``--fault NAME``."""

    def __init__(self, fault: str, extra: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.fault = fault
        self.extra = extra

    @property
    def command(self) -> list[str]:
        return [*super().command, "--fault", self.fault, *self.extra]


#: Reference flags per fault: the burst must be refused to show ERR-RETRY-AFTER, and with the default
#: drop-LRU policy and fast slots a loaded CI machine let every burst through for the whole budget.
#: A short queue that refuses, and slow first tokens that keep the slots busy, refuse at once.
EXTRA: dict[str, tuple[str, ...]] = {
    "error-missing-retry-after": (
        "--admission-policy",
        "reject",
        "--queue-capacity",
        "4",
        "--ttft-ms",
        "500",
    ),
}


CASES: list[tuple[str, Callable[[Any], None], str]] = [
    ("auth-ignored", auth.auth_required, "AUTH-REQUIRED"),
    ("auth-ignored", auth.auth_scope, "AUTH-SCOPE"),
    ("error-missing-retry-after", backpressure.backpressure_burst, "ERR-RETRY-AFTER"),
]


@pytest.mark.parametrize(("fault", "function", "requirement"), CASES, ids=[f"{f}-{r}" for f, _, r in CASES])
def test_reference_fault_is_caught(fault: str, function: Any, requirement: str) -> None:
    server = FaultyReference(fault, EXTRA.get(fault, ()))
    server.start()
    try:
        ctx, findings = make_context(
            server.base_url,
            server.api_key,
            function.__name__,
            SuiteOptions(profiles=("auth", "backpressure")),
            restricted_api_key=server.restricted_api_key,
        )
        try:
            function(ctx)
        finally:
            ctx.close()
    finally:
        server.stop()
    assert outcomes(findings)[requirement] == Outcome.FAILED
