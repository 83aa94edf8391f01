"""The OpenAI-surface checks over real HTTP: each passes on the correct fake and fails on a broken one."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fake_target import FakeTarget, MakeContext, outcomes  # type: ignore[import-not-found]

from llmgw_conformance.checks import answer_schemas as schemas
from llmgw_conformance.checks import determinism as det
from llmgw_conformance.checks import openai_extended as ext
from llmgw_conformance.checks import openai_honoured as honoured
from llmgw_conformance.checks import openai_load as load
from llmgw_conformance.checks import openai_surface as surface
from llmgw_conformance.context import CheckContext
from llmgw_conformance.outcomes import Outcome

Check = Callable[[CheckContext], None]
CASES: list[tuple[str, Check, str, str]] = [
    ("oai-error-shape", surface.oai_error_shape, "integer-error-code", "OAI-ERROR-SHAPE"),
    ("oai-unknown-field", surface.oai_unknown_field, "ignore-unknown-field", "OAI-UNKNOWN-FIELD"),
    ("oai-unknown-model", surface.oai_unknown_model, "unknown-model-400", "OAI-UNKNOWN-MODEL"),
    ("oai-range-boundary", surface.oai_range_boundary, "reject-boundary", "OAI-RANGE-BOUNDARY"),
    ("oai-range-reject", surface.oai_range_reject, "accept-out-of-range", "OAI-RANGE-REJECT"),
    ("oai-developer-role", surface.oai_developer_role, "reject-developer", "OAI-DEVELOPER-ROLE"),
    ("oai-developer-role", surface.oai_developer_role, "developer-ignored", "OAI-DEVELOPER-ROLE"),
    ("oai-image-part", surface.oai_image_part, "image-500", "OAI-IMAGE-PART"),
    ("oai-image-part", surface.oai_image_part, "image-ignored", "OAI-IMAGE-PART"),
    ("oai-models-list", surface.oai_models_list, "models-bad-shape", "OAI-MODELS-LIST"),
    ("oai-models-list", surface.oai_models_list, "models-ghost", "OAI-MODELS-LIST"),
    ("oai-n", ext.oai_n, "n-wrong-count", "CHAT-N-CHOICES"),
    ("oai-n", ext.oai_n, "n-usage-one-choice", "OAI-N-USAGE"),
    ("oai-n", ext.oai_n, "n-stream-constant-index", "OAI-N-STREAM"),
    ("oai-n", ext.oai_n, "n-stream-finish-twice", "OAI-N-STREAM"),
    ("oai-n", ext.oai_n, "n-stream-usage-per-choice", "OAI-N-USAGE"),
    ("chat-logprobs", ext.chat_logprobs, "logprobs-positive", "CHAT-LOGPROBS"),
    ("chat-logprobs", ext.chat_logprobs, "logprobs-too-many", "CHAT-LOGPROBS"),
    (
        "chat-delta-incremental",
        det.chat_delta_incremental,
        "chat-cumulative-deltas",
        "CHAT-DELTA-INCREMENTAL",
    ),
    ("chat-logprobs", ext.chat_logprobs, "logit-bias-500", "CHAT-LOGPROBS"),
    ("oai-unknown-lora", ext.oai_unknown_lora, "accept-unknown-lora", "OAI-UNKNOWN-LORA"),
    ("chat-tool-calls", ext.chat_tool_calls, "tools-finish-stop", "CHAT-TOOL-FINISH"),
    ("chat-tool-calls", ext.chat_tool_calls, "tools-delta-no-id", "CHAT-TOOL-DELTA-INDEX"),
    ("chat-stop", honoured.chat_stop, "stop-ignored", "CHAT-STOP-HONOURED"),
    ("chat-stop", honoured.chat_stop, "stop-finish-length", "CHAT-STOP-HONOURED"),
    ("chat-json-mode", honoured.chat_json_mode, "json-mode-ignored", "CHAT-JSON-MODE"),
    ("answer-schemas", schemas.answer_schemas, "json-keys-missing", "RESP-SCHEMA"),
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


def test_retry_after_under_a_burst(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("oai-retry-after-burst")
    load.oai_retry_after_burst(ctx)
    assert outcomes(findings) == {"OAI-RETRY-AFTER": Outcome.SKIPPED}  # never busy: nothing to judge
    fake.faults = {"retry-after-ok"}
    ctx, findings = context("oai-retry-after-burst")
    load.oai_retry_after_burst(ctx)
    assert outcomes(findings) == {"OAI-RETRY-AFTER": Outcome.PASSED}
    fake.faults = {"retry-after-missing"}
    ctx, findings = context("oai-retry-after-burst")
    load.oai_retry_after_burst(ctx)
    assert outcomes(findings) == {"OAI-RETRY-AFTER": Outcome.FAILED}


def test_tool_call_stream_deltas_are_judged(fake: FakeTarget, context: MakeContext) -> None:
    ctx, findings = context("chat-tool-calls")
    ext.chat_tool_calls(ctx)
    assert outcomes(findings) == {
        "CHAT-TOOL-DELTA-INDEX": Outcome.PASSED,
        "CHAT-TOOL-FINISH": Outcome.PASSED,
        "CHAT-TOOL-CHOICE-HONOURED": Outcome.PASSED,
    }


@pytest.mark.parametrize(
    ("check", "function", "requirement"),
    [
        ("oai-range-boundary", surface.oai_range_boundary, "OAI-RANGE-BOUNDARY"),
        ("oai-developer-role", surface.oai_developer_role, "OAI-DEVELOPER-ROLE"),
        ("oai-image-part", surface.oai_image_part, "OAI-IMAGE-PART"),
    ],
)
def test_a_completion_missing_a_required_key_is_still_accepted(
    fake: FakeTarget, context: MakeContext, check: str, function: Check, requirement: str
) -> None:
    """A 200 completion without ``choices[].logprobs`` / ``message.refusal`` (what llama-server, LiteLLM
    and transformers serve send) was accepted: the missing key is RESP-SCHEMA's defect, not also a
    refusal of the boundary value, the developer role or the image part."""
    fake.faults = {"json-keys-missing"}
    ctx, findings = context(check)
    function(ctx)
    assert outcomes(findings)[requirement] is Outcome.PASSED


def test_n_usage_skipped_with_both_reasons_when_plain_unjudgeable_and_stream_refused(
    fake: FakeTarget, context: MakeContext
) -> None:
    """n-wrong-count leaves the plain answer no evidence and the fake refuses n=2 streams with 400:
    OAI-N-USAGE is then skipped, saying why, never passed by the empty set of judged streams."""
    fake.faults = {"n-wrong-count"}
    ctx, findings = context("oai-n")
    ext.oai_n(ctx)
    assert outcomes(findings)["OAI-N-STREAM"] is Outcome.PASSED  # the refusal itself is fine
    assert outcomes(findings)["OAI-N-USAGE"] is Outcome.SKIPPED, [f.message for f in findings]
    (usage,) = [f for f in findings if f.requirement_id == "OAI-N-USAGE"]
    assert "choices" in usage.message and "refused 400" in usage.message, usage.message
