"""The chat stream checks over real HTTP: pass on the correct fake target, fail on each broken rule."""

from __future__ import annotations

import re

import pytest
from fake_target import FakeTarget, MakeContext, outcomes  # type: ignore[import-not-found]

from llmgw_conformance.checks.streams_chat import chat_errors_before_stream, chat_stream_grammar, chat_usage
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.probes.created_stamps import CreatedProbe, crossed_a_second

GRAMMAR_PASS = {
    "SSE-CONTENT-TYPE",
    "SSE-FRAMING-VALID",
    "SSE-DATA-JSON",
    "SSE-NO-UNKNOWN-FIELDS",
    "SSE-NO-EMPTY-DATA",
    "SSE-HEADERS-PROMPT",
    "SSE-NO-STALL",
    "SSE-STREAM-ENDS",
    "CHAT-DONE-SENTINEL",
    "CHAT-NOTHING-AFTER-DONE",
    "CHAT-CHUNK-ID-STABLE",
    "CHAT-ROLE-FIRST",
    "CHAT-FINISH-ONCE",
    "CHAT-FINISH-VALUE",
    "CHAT-USAGE-CHUNK",
    "CHAT-USAGE-ABSENT",
}


def test_grammar_passes_on_a_correct_target(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("chat-stream-grammar")
    chat_stream_grammar(ctx)
    got = outcomes(findings)
    assert {r for r, o in got.items() if o is Outcome.PASSED} == GRAMMAR_PASS
    # No mid-stream error happened: nothing is said about it here (never a silent pass, and no skip that
    # would outrank chat-midstream-error, which provokes one).
    assert "CHAT-ERROR-EVENT" not in got


@pytest.mark.parametrize(
    ("fault", "requirement"),
    [
        ("chat-no-done", "CHAT-DONE-SENTINEL"),
        ("chat-error-field", "SSE-NO-UNKNOWN-FIELDS"),
        ("chat-role-every", "CHAT-ROLE-FIRST"),
        ("chat-finish-empty", "CHAT-FINISH-VALUE"),
        ("chat-usage-every-chunk", "CHAT-USAGE-ABSENT"),
        ("slow-headers", "SSE-HEADERS-PROMPT"),
    ],
)
def test_grammar_fails_on_each_broken_rule(
    fake: FakeTarget, context: MakeContext, fault: str, requirement: str
) -> None:
    fake.faults = {fault}
    ctx, findings = context("chat-stream-grammar", header_budget_s=0.3)
    chat_stream_grammar(ctx)
    assert outcomes(findings)[requirement] is Outcome.FAILED
    failure = next(f for f in findings if f.requirement_id == requirement and f.outcome is Outcome.FAILED)
    assert failure.exchanges and failure.message


def test_json_instead_of_a_stream_fails_content_type_only(fake: FakeTarget, context: MakeContext) -> None:
    fake.faults = {"chat-json-content-type"}
    ctx, findings = context("chat-stream-grammar")
    chat_stream_grammar(ctx)
    got = outcomes(findings)
    assert got.pop("SSE-CONTENT-TYPE") is Outcome.FAILED
    assert set(got.values()) == {Outcome.SKIPPED}


def test_usage_passes_on_a_correct_target(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("chat-usage")
    chat_usage(ctx)
    assert outcomes(findings) == {
        r: Outcome.PASSED for r in ("CHAT-USAGE-TOTAL", "CHAT-USAGE-EQUAL", "CHAT-MAX-TOKENS")
    }


@pytest.mark.parametrize(
    ("fault", "requirement"),
    [
        ("chat-usage-differs", "CHAT-USAGE-EQUAL"),
        ("chat-usage-total", "CHAT-USAGE-TOTAL"),
        ("chat-over-limit", "CHAT-MAX-TOKENS"),
        ("chat-stop-at-limit", "CHAT-MAX-TOKENS"),
    ],
)
def test_usage_fails_on_each_broken_rule(
    fake: FakeTarget, context: MakeContext, fault: str, requirement: str
) -> None:
    fake.faults = {fault}
    ctx, findings = context("chat-usage")
    chat_usage(ctx)
    assert outcomes(findings)[requirement] is Outcome.FAILED


def test_errors_before_stream(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("chat-errors-before-stream")
    chat_errors_before_stream(ctx)
    assert outcomes(findings) == {"CHAT-ERRORS-BEFORE-STREAM": Outcome.PASSED}
    fake.faults = {"chat-200-on-bad-stream"}
    ctx, findings = context("chat-errors-before-stream")
    chat_errors_before_stream(ctx)
    assert outcomes(findings) == {"CHAT-ERRORS-BEFORE-STREAM": Outcome.FAILED}


def test_errors_before_stream_counts_an_accepted_input_once(fake: FakeTarget, context: MakeContext) -> None:
    """A target that accepts out-of-range values and unknown fields without streaming too has one
    defect per input, judged by OAI-RANGE-REJECT / OAI-UNKNOWN-FIELD; its 200 streams for the same
    bodies are not a second failure here (llama-server's verdict repeated them)."""
    fake.faults = {"accept-out-of-range", "ignore-unknown-field"}
    ctx, findings = context("chat-errors-before-stream")
    chat_errors_before_stream(ctx)
    assert outcomes(findings) == {"CHAT-ERRORS-BEFORE-STREAM": Outcome.PASSED}
    passed = [f for f in findings if f.requirement_id == "CHAT-ERRORS-BEFORE-STREAM"]
    assert "accepted without streaming too" in passed[0].message
    # The refusals that remain are still judged: a 200 stream for them fails.
    fake.faults = {"accept-out-of-range", "ignore-unknown-field", "chat-200-on-bad-stream"}
    ctx, findings = context("chat-errors-before-stream")
    chat_errors_before_stream(ctx)
    assert outcomes(findings) == {"CHAT-ERRORS-BEFORE-STREAM": Outcome.FAILED}


def test_created_restamped_by_the_wall_clock_fails(fake: FakeTarget, context: MakeContext) -> None:
    """A target that stamps each chunk with the wall clock (as llama-server does) fails, whether a
    grammar stream happened to cross a second or only the probe's long stream did."""
    fake.faults = {"chat-created-clock"}
    ctx, findings = context("chat-stream-grammar")
    chat_stream_grammar(ctx)
    found = outcomes(findings)
    assert found["CHAT-CHUNK-ID-STABLE"] is Outcome.FAILED
    assert found["CHAT-DONE-SENTINEL"] is Outcome.PASSED  # the cut probe is judged for created only
    failure = next(f for f in findings if f.requirement_id == "CHAT-CHUNK-ID-STABLE")
    assert re.search(r"created`? changed", failure.message), failure.message


def test_created_kept_across_a_second_passes(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("chat-stream-grammar")
    chat_stream_grammar(ctx)
    assert outcomes(findings)["CHAT-CHUNK-ID-STABLE"] is Outcome.PASSED


@pytest.mark.parametrize("now", [100.0, 100.3, 100.93, 100.99])
def test_the_next_stream_is_timed_so_its_middle_falls_on_a_whole_second(now: float) -> None:
    last = CreatedProbe((1,), False, None, lead_s=0.04, span_s=0.1)  # first chunk after 40 ms, 100 ms long
    start = last.start_for_a_boundary(now)
    middle = start + 0.04 + 0.05
    assert start >= now
    assert middle == pytest.approx(round(middle))
    assert crossed_a_second(start + 0.04, start + 0.14)


@pytest.mark.parametrize(
    ("first", "last", "crossed"),
    [
        (10.05, 10.95, False),  # inside one second
        (10.5, 11.01, False),  # the boundary, but the last chunk within the margin of it
        (10.99, 11.5, False),  # the first chunk within the margin of the boundary
        (10.95, 11.05, True),  # a 0.1 s stream (a fast engine) around the boundary
        (10.0, 11.95, True),
    ],
)
def test_a_stream_crossed_a_second_only_with_the_margin_on_both_sides(
    first: float, last: float, crossed: bool
) -> None:
    assert crossed_a_second(first, last) is crossed


def test_nothing_after_done_is_not_passed_when_done_never_came(
    fake: FakeTarget, context: MakeContext
) -> None:
    """transformers serve ends its streams without [DONE]: CHAT-DONE-SENTINEL fails, and
    CHAT-NOTHING-AFTER-DONE is not observed (skipped), never a vacuous pass."""
    fake.faults = {"chat-no-done"}
    ctx, findings = context("chat-stream-grammar")
    chat_stream_grammar(ctx)
    found = outcomes(findings)
    assert found["CHAT-DONE-SENTINEL"] is Outcome.FAILED
    assert found["CHAT-NOTHING-AFTER-DONE"] is Outcome.SKIPPED
