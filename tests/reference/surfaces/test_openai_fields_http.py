"""The requests real OpenAI clients send, against the reference over real HTTP (issue 11).

Why: the contract's OpenAI surface now accepts what OpenAI's own description accepts (nulls, token
ids, replayed refusals and function results, the fields LangChain and the openai client send), and
each field the reference cannot honour is ignored or refused exactly as its ``x-if-not-honoured``
says.  Every answer here is also validated against the contract's own schema.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from llmgw_reference.surfaces.contract_schemas import validator_for

CHAT = "/v1/chat/completions"
EMBEDDINGS = "/v1/embeddings"
USER = [{"role": "user", "content": "Tell me about rivers."}]
WEATHER = {
    "name": "get_weather",
    "description": "Weather of a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}
#: What the openai Python client sends when a caller passes None for every optional number.
NULLS = {
    name: None
    for name in (
        "temperature",
        "top_p",
        "n",
        "max_tokens",
        "max_completion_tokens",
        "presence_penalty",
        "frequency_penalty",
        "logprobs",
        "top_logprobs",
        "seed",
        "stop",
        "logit_bias",
        "stream",
        "stream_options",
        "service_tier",
        "reasoning_effort",
        "verbosity",
        "store",
        "metadata",
        "safety_identifier",
        "prompt_cache_key",
        "modalities",
        "audio",
        "prediction",
        "moderation",
    )
}


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "synth-small", "messages": USER, "max_tokens": 8, **fields}


def completion(api: httpx.Client, request: dict[str, Any]) -> dict[str, Any]:
    response = api.post(CHAT, json=request)
    assert response.status_code == 200, response.text
    payload: dict[str, Any] = response.json()
    errors = [e.message for e in validator_for("ChatCompletion").iter_errors(payload)]
    assert not errors, errors
    return payload


def test_every_nullable_field_accepts_null(api: httpx.Client) -> None:
    payload = completion(api, {"model": "synth-small", "messages": USER, **NULLS})
    choice = payload["choices"][0]
    # Keys OpenAI always sends, possibly null.
    assert choice["logprobs"] is None and choice["message"]["refusal"] is None


@pytest.mark.parametrize(
    "fields",
    [
        {"service_tier": "auto", "store": True, "metadata": {"team": "a", "run": "7"}},
        {"reasoning_effort": "low", "verbosity": "high", "user": "u1", "safety_identifier": "s1"},
        {
            "prompt_cache_key": "k",
            "prompt_cache_retention": "24h",
            "prompt_cache_options": {"mode": "implicit"},
        },
        {"modalities": ["text"], "prediction": {"type": "content", "content": "rivers"}},
        {"stream": True, "stream_options": {"include_usage": True, "include_obfuscation": True}},
        {"tools": [{"type": "function", "function": WEATHER | {"strict": True}}], "tool_choice": "none"},
    ],
    ids=["storage", "hints", "cache", "prediction", "obfuscation", "strict-tool"],
)
def test_fields_that_may_be_ignored_are_accepted(api: httpx.Client, fields: dict[str, Any]) -> None:
    response = api.post(CHAT, json=body(**fields))
    assert response.status_code == 200, response.text


def test_replayed_history_with_refusal_function_and_name_is_accepted(api: httpx.Client) -> None:
    history = [
        {"role": "system", "content": "Be brief.", "name": "rules"},
        {"role": "user", "content": [{"type": "text", "text": "Weather in Paris?"}], "name": "ann"},
        {
            "role": "assistant",
            "content": None,
            "refusal": None,
            "function_call": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
        },
        {"role": "function", "name": "get_weather", "content": '{"temp": 21}'},
        {"role": "assistant", "content": [{"type": "refusal", "refusal": "I cannot say more."}]},
        {"role": "user", "content": "Thanks."},
    ]
    completion(api, body(messages=history))


def test_legacy_functions_answer_with_function_call(api: httpx.Client, read_stream: Any) -> None:
    forced = body(max_tokens=64, seed=3, functions=[WEATHER], function_call={"name": "get_weather"})
    choice = completion(api, forced)["choices"][0]
    assert choice["finish_reason"] == "function_call" and "tool_calls" not in choice["message"]
    call = choice["message"]["function_call"]
    assert call["name"] == "get_weather" and isinstance(json.loads(call["arguments"]), dict)
    stream = read_stream(api, CHAT, {**forced, "stream": True})
    deltas = [p["choices"][0] for p in stream.payloads if p["choices"]]
    assert [d["finish_reason"] for d in deltas if d["finish_reason"]] == ["function_call"]
    pieces = [d["delta"]["function_call"] for d in deltas if "function_call" in d["delta"]]
    assert pieces[0]["name"] == "get_weather"
    assert json.loads("".join(p.get("arguments", "") for p in pieces)) == json.loads(call["arguments"])
    auto = completion(api, body(functions=[WEATHER]))["choices"][0]  # no city named: no call
    assert auto["finish_reason"] in ("stop", "length") and "function_call" not in auto["message"]


@pytest.mark.parametrize(
    ("fields", "param"),
    [
        ({"modalities": ["text", "audio"]}, "modalities"),
        ({"audio": {"voice": "alloy", "format": "wav"}}, "audio"),
        ({"web_search_options": {}}, "web_search_options"),
        ({"moderation": {"model": "omni-moderation-latest"}}, "moderation"),
        ({"functions": [WEATHER], "tools": [{"type": "function", "function": WEATHER}]}, "functions"),
        (
            {
                "messages": [
                    {
                        "role": "user",
                        "content": [
                            {"type": "input_audio", "input_audio": {"data": "AA==", "format": "wav"}}
                        ],
                    }
                ]
            },
            "messages[0].content[0].type",
        ),
        (
            {"messages": [{"role": "assistant", "content": "hi", "audio": {"id": "a1"}}, *USER]},
            "messages[0].audio",
        ),
        ({"messages": [{"role": "function", "content": "x"}, *USER]}, "messages[0].name"),
    ],
    ids=[
        "audio-modality",
        "audio",
        "web-search",
        "moderation",
        "functions-and-tools",
        "audio-part",
        "audio-ref",
        "function-no-name",
    ],
)
def test_fields_that_cannot_be_honoured_are_refused_clearly(
    api: httpx.Client, fields: dict[str, Any], param: str
) -> None:
    response = api.post(CHAT, json=body(**fields))
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_request_error" and error["param"] == param


def test_unknown_model_uses_openais_code(api: httpx.Client) -> None:
    response = api.post(CHAT, json=body(model="no-such-model"))
    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == (
        "invalid_request_error",
        "model_not_found",
        "model",
    )


@pytest.mark.parametrize(
    ("value", "count"),
    [("one text", 1), (["a text", "another"], 2), ([15339, 1917], 1), ([[15339, 1917], [9906]], 2)],
    ids=["text", "texts", "token-ids", "token-id-lists"],
)
def test_embeddings_accept_every_input_form(api: httpx.Client, value: Any, count: int) -> None:
    response = api.post(EMBEDDINGS, json={"model": "synth-small", "input": value})
    assert response.status_code == 200, response.text
    payload = response.json()
    assert not [e.message for e in validator_for("EmbeddingsResponse").iter_errors(payload)]
    assert [e["index"] for e in payload["data"]] == list(range(count))
    if value == [[15339, 1917], [9906]]:
        assert payload["usage"]["prompt_tokens"] == 3  # one token per id


@pytest.mark.parametrize(
    "value", [[], [[]], [1, "a"], [True], [1.5]], ids=["empty", "empty-ids", "mixed", "bool", "float"]
)
def test_embeddings_refuse_malformed_input_with_400(api: httpx.Client, value: Any) -> None:
    response = api.post(EMBEDDINGS, json={"model": "synth-small", "input": value})
    assert response.status_code == 400, response.text
