"""Unit tests of the surfaces' pure logic: request planning, stop strings, tool arguments, wire objects.

These run without a server; every rule here is also exercised over real HTTP in the other files.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from llmgw_generated.models.data import ChatCompletion, ChatCompletionChunk, ChatCompletionRequest
from llmgw_reference.engine.synthetic import GeneratedToken
from llmgw_reference.errors import ApiError
from llmgw_reference.surfaces import chat_chunks
from llmgw_reference.surfaces.chat_execution import Candidate, pick_best, token_limit
from llmgw_reference.surfaces.chat_fields import find_unreadable_part
from llmgw_reference.surfaces.chat_plan import plan_chat, render_prompt
from llmgw_reference.surfaces.chat_tools import build_arguments, split_fragments
from llmgw_reference.surfaces.contract_schemas import first_violation, validator_for
from llmgw_reference.surfaces.stop_strings import StopMatcher

USER = [{"role": "user", "content": "hello there"}]


def chat(**fields: Any) -> ChatCompletionRequest:
    return ChatCompletionRequest.model_validate({"model": "synth-small", "messages": USER, **fields})


def plan_error(**fields: Any) -> ApiError:
    with pytest.raises(ApiError) as caught:
        plan_chat(chat(**fields), ["synth-lora-a"])
    assert caught.value.status == 400
    return caught.value


def test_schema_accepts_integral_float_and_rejects_string_for_integer() -> None:
    base = {"model": "m", "messages": USER}
    assert first_violation("ChatCompletionRequest", {**base, "max_tokens": 61.0}) is None
    found = first_violation("ChatCompletionRequest", {**base, "max_tokens": "5"})
    assert found is not None and found.param == "max_tokens" and not found.unknown_field
    found = first_violation("ChatCompletionRequest", {**base, "max_tokens": True})
    assert found is not None and found.param == "max_tokens"


def test_schema_names_unknown_fields_first() -> None:
    found = first_violation(
        "ChatCompletionRequest", {"model": "m", "messages": USER, "temperature": 9, "foo": 1}
    )
    assert found is not None and found.unknown_field and found.param == "foo"
    nested = first_violation("ChatCompletionRequest", {"model": "m", "messages": [{"role": "user", "x": 1}]})
    assert nested is not None and nested.unknown_field and nested.param == "messages[0].x"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", 0),
        ("temperature", 2),
        ("top_p", 0),
        ("top_p", 1),
        ("frequency_penalty", -2),
        ("presence_penalty", 2),
        ("top_logprobs", 20),
        ("n", 128),
    ],
)
def test_schema_accepts_range_boundaries(field: str, value: float) -> None:
    assert first_violation("ChatCompletionRequest", {"model": "m", "messages": USER, field: value}) is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", 2.01),
        ("top_p", 1.5),
        ("frequency_penalty", -2.5),
        ("top_logprobs", 21),
        ("n", 129),
        ("repetition_penalty", 0),
        ("logit_bias", {"12": 101}),
    ],
)
def test_schema_rejects_out_of_range(field: str, value: Any) -> None:
    found = first_violation("ChatCompletionRequest", {"model": "m", "messages": USER, field: value})
    assert found is not None and found.param is not None and found.param.startswith(field)


def test_unreadable_parts_are_found_with_their_path() -> None:
    body = {"messages": [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "image_url"}]}]}
    assert find_unreadable_part(body) == "messages[0].content[1].type"
    assert find_unreadable_part({"messages": USER}) is None
    refusal = {"messages": [{"role": "assistant", "content": [{"type": "refusal", "refusal": "no"}]}]}
    assert find_unreadable_part(refusal) is None


def test_developer_renders_exactly_like_system() -> None:
    dev = chat(messages=[{"role": "developer", "content": "be brief"}, *USER])
    sys = chat(messages=[{"role": "system", "content": "be brief"}, *USER])
    assert render_prompt(dev.messages) == render_prompt(sys.messages)
    assert "<|system|>be brief" in render_prompt(dev.messages)


def test_text_parts_are_concatenated() -> None:
    parts = chat(
        messages=[
            {"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "input_text", "text": "b"}]}
        ]
    )
    assert "<|user|>ab" in render_prompt(parts.messages)


def test_plan_rules() -> None:
    assert plan_error(n=2, stream=True).param == "n"
    assert plan_error(n=3, best_of=2).param == "best_of"
    assert plan_error(best_of=2, stream=True).param == "best_of"
    assert plan_error(top_logprobs=3, logprobs=False).param == "top_logprobs"
    assert plan_error(stream_options={"include_usage": True}).param == "stream_options"
    unknown = plan_error(lora_adapter="nope")
    assert unknown.param == "lora_adapter" and unknown.openai_body().error.code == "unknown_lora"
    assert plan_error(messages=[{"role": "tool", "content": "x"}]).param == "messages[0].tool_call_id"


def test_plan_values() -> None:
    plan = plan_chat(chat(max_tokens=9, max_completion_tokens=5, n=2, best_of=4, seed=-1, top_logprobs=2), [])
    assert plan.max_tokens == 5 and plan.n == 2 and plan.best_of == 4
    assert plan.seeds == (2**64 - 1, 0, 1, 2)
    assert plan.logprobs and plan.top_logprobs == 2
    greedy = plan_chat(chat(temperature=0), [])
    assert greedy.seeds == (0,)
    assert plan_chat(chat(), []).seeds == (None,)
    streaming = plan_chat(chat(stream=True, stream_options={"include_usage": True}, stop="x"), [])
    assert streaming.include_usage and streaming.stop == ("x",)
    assert plan_chat(chat(lora_adapter="synth-lora-a"), ["synth-lora-a"]).lora_adapter == "synth-lora-a"


TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_time",
            "parameters": {"type": "object", "properties": {"tz": {"enum": ["utc"]}}},
        },
    },
]


def test_tool_plan() -> None:
    assert plan_chat(chat(tools=TOOLS), []).tool_calls == ()
    assert plan_chat(chat(tools=TOOLS, tool_choice="required"), []).tool_calls == ("get_weather",)
    named = {"type": "function", "function": {"name": "get_time"}}
    assert plan_chat(chat(tools=TOOLS, tool_choice=named), []).tool_calls == ("get_time",)
    both = [{"role": "user", "content": "use get_time and get_weather"}]
    assert plan_chat(chat(tools=TOOLS, messages=both), []).tool_calls == ("get_weather", "get_time")
    assert plan_chat(chat(tools=TOOLS, messages=both, parallel_tool_calls=False), []).tool_calls == (
        "get_weather",
    )
    assert plan_chat(chat(tools=TOOLS, messages=both, tool_choice="none"), []).tool_calls == ()
    assert plan_error(tool_choice="required").param == "tool_choice"
    missing = {"type": "function", "function": {"name": "nope"}}
    assert plan_error(tools=TOOLS, tool_choice=missing).param == "tool_choice.function.name"


def test_tool_arguments_follow_the_schema_and_are_deterministic() -> None:
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
            "unit": {"enum": ["c", "f"]},
            "flags": {"type": "array", "items": {"type": "boolean"}, "minItems": 2},
            "nested": {"type": "object", "properties": {"x": {"type": "number", "maximum": 1e400}}},
        },
    }
    text = build_arguments("f", schema, "alpha beta")
    assert text == build_arguments("f", schema, "alpha beta")
    args = json.loads(text)
    assert isinstance(args["city"], str) and 1 <= args["days"] <= 7 and args["unit"] in ("c", "f")
    assert len(args["flags"]) == 2 and isinstance(args["nested"]["x"], float)
    for hostile in ({"type": 5, "properties": "x"}, {"properties": {"a": {"type": ["null"]}}}, "nope"):
        json.loads(build_arguments("f", hostile, ""))
    assert "".join(split_fragments(text)) == text and len(split_fragments(text)) > 2


def test_stop_matcher_holds_back_across_tokens() -> None:
    matcher = StopMatcher(["END"])
    emitted = [matcher.feed(t) for t in ["ab", "cE", "Nq", "zEN", "Dz"]]
    assert "".join(emitted) == "abcENqz" and matcher.stopped and matcher.flush() == ""
    plain = StopMatcher([])
    assert [plain.feed(t) for t in ["a", "b"]] == ["a", "b"] and plain.flush() == ""
    waiting = StopMatcher(["xyz"])
    assert waiting.feed("abx") == "a" and waiting.flush() == "bx" and not waiting.stopped


def test_token_limit() -> None:
    assert (
        token_limit(requested=None, requested_param="max_tokens", prompt_tokens=10, ctx_max=100, limit=4096)
        == 90
    )
    assert (
        token_limit(requested=5, requested_param="max_tokens", prompt_tokens=10, ctx_max=100, limit=4096) == 5
    )
    for kwargs, param in [
        ({"requested": 5000, "prompt_tokens": 1, "ctx_max": 9000}, "max_tokens"),
        ({"requested": 95, "prompt_tokens": 10, "ctx_max": 100}, "max_tokens"),
        ({"requested": None, "prompt_tokens": 100, "ctx_max": 100}, "messages"),
    ]:
        with pytest.raises(ApiError) as caught:
            token_limit(requested_param="max_tokens", limit=4096, **kwargs)  # type: ignore[arg-type]
        assert caught.value.status == 400 and caught.value.param == param


def _token(logprob: float) -> GeneratedToken:
    return GeneratedToken(index=0, text="a", logprob=logprob, top=(("a", logprob), ("b", logprob - 1)))


def test_best_of_picks_highest_cumulative_logprob() -> None:
    cands = [
        Candidate("a", tokens=[_token(-3.0)]),
        Candidate("b", tokens=[_token(-0.5)]),
        Candidate("c", tokens=[_token(-1.0)]),
    ]
    assert [c.task_id for c in pick_best(cands, 2)] == ["b", "c"]
    assert pick_best(cands, 3) == cands


def test_wire_objects_match_the_contract() -> None:
    header = chat_chunks.ChunkHeader("chatcmpl-1", 1700000000, "synth-small")
    first = header.chunk([chat_chunks.chunk_choice(0, {"role": "assistant", "content": ""})])
    assert first["choices"][0]["finish_reason"] is None and "usage" not in first
    logprob = chat_chunks.token_logprob(_token(-0.25), 1)
    middle = header.chunk([chat_chunks.chunk_choice(0, {"content": "a"}, logprobs=[logprob])])
    tool = header.chunk(
        [chat_chunks.chunk_choice(0, {"tool_calls": chat_chunks.tool_call_deltas(0, "call_1", "f", ["{}"])})]
    )
    last = header.chunk([chat_chunks.chunk_choice(0, {}, "stop")])
    usage_chunk = header.chunk([], chat_chunks.usage(3, 4))
    for body in (first, middle, tool, last, usage_chunk):
        ChatCompletionChunk.model_validate(body)
        assert not list(validator_for("ChatCompletionChunk").iter_errors(body))
    assert usage_chunk["usage"]["total_tokens"] == 7 and len(logprob["top_logprobs"]) == 1
    call = chat_chunks.ToolCallOut("call_1", "f", "{}")
    done = chat_chunks.completion(
        header,
        [
            chat_chunks.completion_choice(0, "hi", "stop"),
            chat_chunks.completion_choice(1, "", "tool_calls", [call]),
        ],
        chat_chunks.usage(1, 2),
    )
    ChatCompletion.model_validate(done)
    assert not list(validator_for("ChatCompletion").iter_errors(done))
    assert done["choices"][1]["message"]["content"] is None
    assert base64.b64encode(b"").decode() == ""


def test_logprobs_are_refused_where_unavailable() -> None:
    for fields in ({"logprobs": True}, {"top_logprobs": 1}, {"best_of": 2}):
        with pytest.raises(ApiError) as caught:
            plan_chat(chat(**fields), [], logprobs_available=False)
        assert caught.value.openai_body().error.code == "unsupported_field"
    assert plan_chat(chat(best_of=1, logprobs=False), [], logprobs_available=False).best_of == 1
