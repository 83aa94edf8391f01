"""The invalid-request corpus and the by-value error judges: small fakes over real HTTP, and the reference.

Each defect of issue 10's classes 2-4 has a test that shows it failing: a required field missing
but answered 200, a bad-JSON 500 next to another defect (both reported), an error ``type`` outside
the documented values, a stack frame inside a JSON string, the API key echoed; the reference and
a correct fake pass every case.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from llmgw_conformance.checks import invalid_requests, schema_driven
from llmgw_conformance.embedded import EmbeddedReference
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Finding, Outcome
from tests.conformance.control.control_fake_server import outcomes, start_server
from tests.conformance.errors.openai_error_fake import make_app

KEY = "sk-fake-invalid-requests-0123456789"


def run_on_fake(function: Any, defects: set[str], **options: Any) -> list[Finding]:
    server, thread, url = start_server(make_app(frozenset(defects)))
    try:
        opts = SuiteOptions(profiles=("openai-chat",), read_timeout_s=10.0, **options)
        ctx, findings = make_context(url, KEY, function.__name__, opts)
        try:
            function(ctx)
        finally:
            ctx.close()
    finally:
        server.should_exit = True
        thread.join(timeout=5)
    return findings


def failed(findings: list[Finding], requirement: str) -> list[Finding]:
    return [f for f in findings if f.requirement_id == requirement and f.outcome == Outcome.FAILED]


def test_a_correct_fake_passes_every_case() -> None:
    findings = run_on_fake(invalid_requests.invalid_requests, set())
    bad = [f"{f.requirement_id}: {f.message[:300]}" for f in findings if f.outcome == Outcome.FAILED]
    assert not bad, bad
    verdicts = outcomes(findings)
    for req in ("RESP-NO-5XX-ON-BAD-INPUT", "OAI-RANGE-REJECT", "OAI-ERROR-SHAPE", "RESP-NO-TRACEBACK"):
        assert verdicts[req] == Outcome.PASSED


def test_a_required_field_missing_but_answered_200_fails() -> None:
    findings = run_on_fake(invalid_requests.invalid_requests, {"missing-messages-200"})
    [finding] = failed(findings, "RESP-NO-5XX-ON-BAD-INPUT")
    assert "required `messages` missing" in finding.message
    assert "accepted with 200" in finding.message


def test_a_bad_json_500_does_not_hide_another_negative_defect() -> None:
    findings = run_on_fake(invalid_requests.invalid_requests, {"bad-json-500", "missing-messages-200"})
    [finding] = failed(findings, "RESP-NO-5XX-ON-BAD-INPUT")  # one finding, every failing case listed
    lines = finding.message.splitlines()
    assert any(line.startswith("- answered 500") and "malformed JSON body" in line for line in lines), lines
    assert any(
        line.startswith("- accepted with 200") and "required `messages` missing" in line for line in lines
    )
    assert len(finding.exchanges) >= 3  # malformed JSON, empty body, missing messages
    assert all(ex.curl and "/v1/chat/completions" in ex.curl for ex in finding.exchanges)
    failing = int(finding.message.split(" of ")[0])
    reproductions = finding.message.split("Reproduce each case:\n")[1]
    assert reproductions.count("curl ") == failing  # each failing case with its own command
    assert "# chat" not in reproductions and "# createChatCompletion: malformed JSON body" in reproductions


def test_schema_driven_reports_every_distinct_failure_not_the_first() -> None:
    findings = run_on_fake(schema_driven.schema_driven, {"model-500", "accept-invalid"}, examples=25)
    messages = [f.message for f in failed(findings, "RESP-NO-5XX-ON-BAD-INPUT")]
    assert any("not_a_server_error" in m for m in messages), messages
    assert any("negative_data_rejection" in m for m in messages), messages


def test_an_error_type_outside_the_documented_values_fails() -> None:
    findings = run_on_fake(invalid_requests.invalid_requests, {"type-undocumented"})
    [finding] = failed(findings, "OAI-ERROR-SHAPE")
    assert "'bad_request' is not a value OpenAI documents for status 400" in finding.message
    assert "invalid_request_error" in finding.message


def test_a_stack_frame_inside_a_json_string_is_found() -> None:
    findings = run_on_fake(invalid_requests.invalid_requests, {"traceback-in-json"})
    [finding] = failed(findings, "RESP-NO-TRACEBACK")
    assert "Python traceback" in finding.message and "Python stack frame" in finding.message


def test_an_exception_class_name_in_a_message_breaks_the_should_not_the_must() -> None:
    findings = run_on_fake(invalid_requests.invalid_requests, {"exception-name"})
    [finding] = failed(findings, "RESP-NO-INTERNAL-TEXT")
    assert "exception class name" in finding.message
    assert outcomes(findings)["RESP-NO-TRACEBACK"] == Outcome.PASSED


def test_the_api_key_echoed_in_an_error_fails_without_showing_it() -> None:
    findings = run_on_fake(invalid_requests.invalid_requests, {"key-echo"})
    [finding] = failed(findings, "AUTH-NO-SECRET-ECHO")
    assert "the API key sent" in finding.message
    assert KEY not in finding.message and KEY not in (finding.received or "")


@pytest.fixture(scope="module")
def reference() -> Iterator[EmbeddedReference]:
    server = EmbeddedReference()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_the_reference_passes_every_case(reference: EmbeddedReference) -> None:
    profiles = ("tasks", "openai-chat", "generate", "embeddings", "rerank")
    options = SuiteOptions(profiles=profiles, read_timeout_s=15.0)
    ctx, findings = make_context(reference.base_url, reference.api_key, "invalid_requests", options)
    try:
        invalid_requests.invalid_requests(ctx)
    finally:
        ctx.close()
    bad = [f"{f.requirement_id}: {f.message[:400]}" for f in findings if f.outcome != Outcome.PASSED]
    assert not bad, bad
    assert set(outcomes(findings)) == set(invalid_requests.REQUIREMENTS)
