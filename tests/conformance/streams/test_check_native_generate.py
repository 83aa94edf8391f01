"""The native and generate stream checks over real HTTP: pass when correct, fail on each broken rule."""

from __future__ import annotations

import pytest
from fake_target import FakeTarget, MakeContext, outcomes  # type: ignore[import-not-found]

from llmgw_conformance.checks.streams_generate import generate_errors_before_stream, generate_stream_grammar
from llmgw_conformance.checks.streams_native import native_stream_grammar
from llmgw_conformance.outcomes import Outcome


def test_native_grammar_passes_on_a_correct_target(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("native-stream-grammar")
    native_stream_grammar(ctx)
    got = outcomes(findings)
    assert set(got.values()) == {Outcome.PASSED}, got
    assert "TASK-STATUS" in got and "NAT-MAX-TOKENS" in got


@pytest.mark.parametrize(
    ("fault", "requirement"),
    [
        ("nat-index-gap", "NAT-TOKEN-INDEX"),
        ("nat-no-terminal", "NAT-TERMINAL-ONCE"),
        ("nat-tokens-out", "NAT-END-TOKENS-OUT"),
        ("nat-no-started", "NAT-FIRST-STARTED"),
        ("nat-result-text", "TASK-STATUS"),
        ("nat-stop-at-limit", "NAT-MAX-TOKENS"),
    ],
)
def test_native_grammar_fails_on_each_broken_rule(
    fake: FakeTarget, context: MakeContext, fault: str, requirement: str
) -> None:
    fake.faults = {fault}
    ctx, findings = context("native-stream-grammar")
    native_stream_grammar(ctx)
    assert outcomes(findings)[requirement] is Outcome.FAILED


def test_generate_grammar_passes_on_a_correct_target(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("generate-stream-grammar")
    generate_stream_grammar(ctx)
    got = outcomes(findings)
    assert "GEN-ERROR-CHUNK" not in got  # no error happened; generate-midstream-error provokes one
    assert set(got.values()) == {Outcome.PASSED}, got


@pytest.mark.parametrize(
    ("fault", "requirement"),
    [
        ("gen-seq-gap", "GEN-SEQ"),
        ("gen-no-sentinel", "GEN-DONE-SENTINEL"),
        ("gen-no-usage", "GEN-TERMINAL-FIELDS"),
        ("gen-stop-at-limit", "GEN-MAX-NEW-TOKENS"),
    ],
)
def test_generate_grammar_fails_on_each_broken_rule(
    fake: FakeTarget, context: MakeContext, fault: str, requirement: str
) -> None:
    fake.faults = {fault}
    ctx, findings = context("generate-stream-grammar")
    generate_stream_grammar(ctx)
    assert outcomes(findings)[requirement] is Outcome.FAILED


def test_generate_errors_before_stream(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("generate-errors-before-stream")
    generate_errors_before_stream(ctx)
    assert outcomes(findings) == {"GEN-ERRORS-BEFORE-STREAM": Outcome.PASSED}
    fake.faults = {"gen-200-on-bad-stream"}
    ctx, findings = context("generate-errors-before-stream")
    generate_errors_before_stream(ctx)
    assert outcomes(findings) == {"GEN-ERRORS-BEFORE-STREAM": Outcome.FAILED}
