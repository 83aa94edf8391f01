"""Determinism, cancellation and deadline checks over real HTTP, each shown failing on a broken target."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fake_target import FakeTarget, MakeContext, outcomes  # type: ignore[import-not-found]

from llmgw_conformance.checks.cancellation import cancel_disconnect, cancel_explicit
from llmgw_conformance.checks.deadlines import deadline_fires
from llmgw_conformance.checks.determinism import (
    chat_stream_equals_json,
    det_oai_seed,
    det_strict_native,
    gen_stream_equals_json,
)
from llmgw_conformance.context import CheckContext
from llmgw_conformance.outcomes import Outcome

Check = Callable[[CheckContext], None]
CASES: list[tuple[str, Check, str, str]] = [
    ("det-strict-native", det_strict_native, "strict-nondeterministic", "DET-STRICT"),
    ("det-strict-native", det_strict_native, "fake-stop", "ERR-NO-FAKE-STOP"),
    ("det-oai-seed", det_oai_seed, "chat-seed-ignored", "DET-OAI-SEED"),
    (
        "chat-stream-equals-json",
        chat_stream_equals_json,
        "chat-stream-text-differs",
        "CHAT-STREAM-EQUALS-JSON",
    ),
    ("gen-stream-equals-json", gen_stream_equals_json, "gen-text-differs", "GEN-STREAM-EQUALS-JSON"),
    ("cancel-disconnect", cancel_disconnect, "ignore-disconnect", "CANCEL-DISCONNECT"),
    ("cancel-disconnect", cancel_disconnect, "disconnect-continues", "CANCEL-DISCONNECT"),
    ("cancel-explicit", cancel_explicit, "ignore-cancel", "CANCEL-EXPLICIT"),
    ("cancel-explicit", cancel_explicit, "cancel-changes-finished", "CANCEL-EXPLICIT"),
    ("deadline-fires", deadline_fires, "deadline-late", "DL-FIRES"),
    ("deadline-fires", deadline_fires, "deadline-ignored", "DL-FIRES"),
]


@pytest.mark.parametrize(("name", "function", "fault", "requirement"), CASES, ids=[c[2] for c in CASES])
def test_passes_when_correct_and_fails_when_broken(
    fake: FakeTarget, context: MakeContext, name: str, function: Check, fault: str, requirement: str
) -> None:
    ctx, findings = context(name)
    function(ctx)
    assert outcomes(findings)[requirement] is Outcome.PASSED, [f.message for f in findings]
    fake.faults = {fault}
    ctx, findings = context(name)
    function(ctx)
    assert outcomes(findings)[requirement] is Outcome.FAILED, [f.message for f in findings]


def test_deadline_check_judges_the_error_event(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("deadline-fires")
    deadline_fires(ctx)
    assert outcomes(findings) == {"DL-FIRES": Outcome.PASSED, "ERR-MIDSTREAM-EVENT": Outcome.PASSED}
