"""Pure parts of issue 10's classes 2-4: leak patterns, the OpenAI error judge, the corpus builder.

Leak cases come from what real servers sent (LiteLLM, llama.cpp) and what they must not be confused
with (ordinary validation messages, generated text quoting code in a 2xx answer).
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest

from llmgw_conformance.contract import load_contract
from llmgw_conformance.leaks import find_leaks, find_traceback
from llmgw_conformance.probes.invalid_targets import _cases, _request_schema
from llmgw_conformance.probes.openai_error_rules import (
    allowed_types,
    openai_error_problems,
    openai_error_value_problems,
)

CONTRACT = load_contract()
CTX: Any = SimpleNamespace(contract=CONTRACT)


def _json(message: str) -> str:
    return json.dumps(
        {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}}
    )


@pytest.mark.parametrize(
    "message",
    [
        "litellm.APIConnectionError: x\nTraceback (most recent call last):\n"
        '  File "/venv/lib/python3.11/site-packages/litellm/main.py", line 444, in rerank',
        "Router.acompletion() missing 1 required positional argument: 'messages'",
        "Authentication Error, 'list' object has no attribute 'get'",
        "argument of type 'int' is not iterable",
        "litellm.BadRequestError: OpenAIException - All non-assistant messages must contain 'content'.",
        "KeyError: 'messages'",
        "java.lang.NullPointerException at Handler",
        "Field 'seed': [json.exception.type_error.302] type must be number, but is string",
        "cannot open /home/runner/app/config.yaml",
        "goroutine 17 [running]:\nmain.handler()",
    ],
)
def test_a_leak_inside_a_json_string_is_found(message: str) -> None:
    assert find_leaks(_json(message), error_answer=True), message


def test_the_raw_text_scan_alone_missed_the_escaped_frame() -> None:
    body = _json('Traceback (most recent call last):\n  File "/srv/app.py", line 3, in f')
    assert "\\n" in body and '\\"' in body  # escaped in the raw text the old check read
    assert find_traceback(body) is not None


@pytest.mark.parametrize(
    "message",
    [
        "Field 'temperature' must be at most 2",
        "Input should be a valid integer, unable to parse string as an integer",
        "Additional properties are not allowed ('foo' was unexpected)",
        "The model `gpt-5` does not exist or you do not have access to it.",
        "Invalid value for 'messages': expected an array of objects.",
        "Error: the request body is not valid JSON",
        "We could not parse the JSON body of your request.",
        "Incorrect API key provided: sk-proj-****abcd.",
    ],
)
def test_ordinary_messages_are_not_leaks(message: str) -> None:
    assert find_leaks(_json(message), error_answer=True, secrets=["sk-the-key-sent-0000"]) == []


def test_generated_text_of_a_success_may_quote_exception_names() -> None:
    body = json.dumps({"choices": [{"message": {"content": "A KeyError: 'x' means the key is missing."}}]})
    assert find_leaks(body, error_answer=False) == []


def test_the_key_sent_is_found_and_not_repeated() -> None:
    key = "sk-secret-value-123456"
    [leak] = find_leaks(_json(f"bad key {key}"), error_answer=True, secrets=[key])
    assert leak.secret and key not in leak.excerpt


def _answer(status: int, body: Any, content_type: str = "application/json") -> Any:
    text = body if isinstance(body, str) else json.dumps(body)
    return SimpleNamespace(status=status, headers={"content-type": content_type}, text=text)


def test_every_problem_of_an_openai_error_body_is_listed() -> None:
    body = {"error": {"code": 500, "message": "parse error", "type": "server_error"}}  # llama-server's
    problems = openai_error_problems(CTX, _answer(400, body))
    assert len(problems) == 3, problems
    text = " ".join(problems)
    assert "'server_error' is not a value OpenAI documents for status 400" in text
    assert "`error.param` is missing" in text and "`error.code` must be a string or null" in text


def test_serialised_nulls_and_null_types_are_problems() -> None:
    body = {"error": {"message": "m", "type": None, "param": "None", "code": "400"}}  # LiteLLM's
    problems = openai_error_problems(CTX, _answer(400, body))
    assert any("`error.type` must be a string" in p for p in problems)
    assert any("'None', a serialised null" in p for p in problems)


def test_documented_types_come_from_the_contract() -> None:
    assert allowed_types(CTX, 400) == ["invalid_request_error"]
    assert "server_error" in allowed_types(CTX, 503)
    assert "rate_limit_error" in allowed_types(CTX, 429)


def test_the_chat_corpus_has_every_kind_and_only_invalid_bodies() -> None:
    op = CONTRACT.operation("createChatCompletion")
    name, schema = _request_schema(CTX, op)
    assert name == "data.yaml:ChatCompletionRequest"
    base = {"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1}
    cases = _cases(CTX, op, name, schema, base)
    kinds = {c.kind for c in cases}
    assert kinds == {
        "missing",
        "wrong-type",
        "enum",
        "range",
        "items",
        "malformed-json",
        "empty-body",
        "root-type",
        "content-type",
        "method",
    }
    for case in cases:
        if case.content is None:
            assert CONTRACT.schema_errors(name, case.body), case.name
    names = {c.name for c in cases}
    assert "required `messages` missing" in names and "`temperature` 2.02 above its maximum 2" in names
    lenient = {c.field for c in cases if not c.must_refuse and c.field}
    assert {"top_k", "user", "audio"} <= lenient  # extension / x-if-not-honoured: a server may not know them
    assert all(c.must_refuse for c in cases if c.field in ("model", "messages", "temperature", "n"))


def test_a_status_echoed_as_code_and_a_dict_repr_as_message_are_value_problems() -> None:
    litellm = {
        "error": {
            "message": "{'error': 'Invalid model name'}",
            "type": "None",
            "param": "None",
            "code": "400",
        }
    }
    problems = openai_error_value_problems(_answer(400, litellm))
    assert problems is not None and len(problems) == 2, problems
    openai = {
        "error": {"message": "Unrecognized request argument supplied: x", "type": "invalid_request_error"}
    }
    assert (
        openai_error_value_problems(_answer(400, {"error": openai["error"] | {"param": None, "code": None}}))
        == []
    )
    assert openai_error_value_problems(_answer(422, {"detail": "x"})) is None  # OAI-ERROR-SHAPE's finding
