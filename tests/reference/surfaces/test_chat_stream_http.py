"""The chat chunk stream over real HTTP: grammar, usage chunk, equality with JSON, tools, errors."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]

from llmgw_generated.models.common import ErrorKind
from llmgw_reference.surfaces.contract_schemas import validator_for

CHAT = "/v1/chat/completions"
# With seed 9 the USER prompt runs 48 tokens: at 20 tokens/s a test has over 2 s to act mid-stream.
USER = [{"role": "user", "content": "Tell me about rivers."}]
WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "days": {"type": "integer", "minimum": 1, "maximum": 5},
            },
            "required": ["city"],
        },
    },
}
TIME = {
    "type": "function",
    "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}},
}


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "synth-small", "messages": USER, **fields}


def assert_chunk_grammar(stream: Any, *, include_usage: bool) -> list[dict[str, Any]]:
    """The chat-chunks grammar of data.yaml; returns the chunks that carry choices."""
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    assert stream.done_count == 1 and stream.after_done == 0 and not stream.event_fields
    validator = validator_for("ChatCompletionChunk")
    for chunk in stream.payloads:
        assert not list(validator.iter_errors(chunk)), chunk
    assert len({(c["id"], c["created"], c["model"], c["object"]) for c in stream.payloads}) == 1
    usage_chunks = [c for c in stream.payloads if c.get("usage") is not None]
    if include_usage:
        assert len(usage_chunks) == 1 and usage_chunks[0] is stream.payloads[-1]
        assert usage_chunks[0]["choices"] == []
    else:
        assert not usage_chunks
    with_choices = [c for c in stream.payloads if c["choices"]]
    deltas = [c["choices"][0] for c in with_choices]
    assert deltas[0]["delta"].get("role") == "assistant"
    assert all("role" not in d["delta"] for d in deltas[1:])
    finishes = [d["finish_reason"] for d in deltas]
    assert all(f is None for f in finishes[:-1]) and finishes[-1] in ("stop", "length", "tool_calls")
    return with_choices


def streamed_text(chunks: list[dict[str, Any]]) -> str:
    return "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks)


def test_stream_grammar_with_usage_equals_json(api: httpx.Client, read_stream: Any) -> None:
    request = body(seed=21, max_tokens=30)
    stream = read_stream(api, CHAT, {**request, "stream": True, "stream_options": {"include_usage": True}})
    chunks = assert_chunk_grammar(stream, include_usage=True)
    answer = api.post(CHAT, json=request).json()
    assert streamed_text(chunks) == answer["choices"][0]["message"]["content"]
    assert stream.payloads[-1]["usage"] == answer["usage"]
    assert chunks[-1]["choices"][0]["finish_reason"] == answer["choices"][0]["finish_reason"]
    pieces = [c["choices"][0]["delta"].get("content") for c in chunks[1:-1]]
    assert all(pieces) and len(pieces) == answer["usage"]["completion_tokens"]  # one delta per token


def test_stream_without_usage_and_with_length_limit(api: httpx.Client, read_stream: Any) -> None:
    stream = read_stream(api, CHAT, body(seed=4, max_completion_tokens=2, stream=True))
    chunks = assert_chunk_grammar(stream, include_usage=False)
    assert chunks[-1]["choices"][0]["finish_reason"] == "length"
    usage_off = read_stream(api, CHAT, body(stream=True, stream_options={"include_usage": False}))
    assert_chunk_grammar(usage_off, include_usage=False)


def test_stream_stop_string_and_logprobs_match_json(api: httpx.Client, read_stream: Any) -> None:
    full = api.post(CHAT, json=body(seed=9)).json()["choices"][0]["message"]["content"]
    stop = " " + full.split(" ")[2]
    request = body(seed=9, stop=stop, logprobs=True, top_logprobs=2)
    chunks = assert_chunk_grammar(read_stream(api, CHAT, {**request, "stream": True}), include_usage=False)
    answer = api.post(CHAT, json=request).json()["choices"][0]
    assert streamed_text(chunks) == answer["message"]["content"] == full[: full.index(stop)]
    streamed_logprobs = [
        e for c in chunks for e in ((c["choices"][0].get("logprobs") or {}).get("content") or [])
    ]
    assert streamed_logprobs == answer["logprobs"]["content"]
    assert all(len(e["top_logprobs"]) == 2 for e in streamed_logprobs)


def test_errors_before_the_stream_are_json(api: httpx.Client, read_stream: Any) -> None:
    for fields in ({"n": 2}, {"foo": True}, {"model": "nope"}, {"temperature": -1}):
        stream = read_stream(api, CHAT, body(stream=True, **fields))
        assert stream.status in (400, 404) and stream.content_type.startswith("application/json")
        assert set(json.loads(stream.body)["error"]) >= {"message", "type", "param", "code"}


def test_tool_calls_json(api: httpx.Client) -> None:
    messages = [{"role": "user", "content": "Use get_weather and get_time please."}]
    payload = api.post(CHAT, json=body(messages=messages, tools=[WEATHER, TIME], seed=3)).json()
    choice = payload["choices"][0]
    assert choice["finish_reason"] == "tool_calls" and choice["message"]["content"] is None
    calls = choice["message"]["tool_calls"]
    assert [c["function"]["name"] for c in calls] == ["get_weather", "get_time"]
    assert len({c["id"] for c in calls}) == 2
    args = json.loads(calls[0]["function"]["arguments"])
    assert isinstance(args["city"], str) and 1 <= args["days"] <= 5
    again = api.post(CHAT, json=body(messages=messages, tools=[WEATHER, TIME], seed=3)).json()
    assert again["choices"][0]["message"]["tool_calls"][0]["function"] == calls[0]["function"]
    named = {"type": "function", "function": {"name": "get_time"}}
    one = api.post(CHAT, json=body(tools=[WEATHER, TIME], tool_choice=named)).json()["choices"][0]
    assert [c["function"]["name"] for c in one["message"]["tool_calls"]] == ["get_time"]
    plain = api.post(CHAT, json=body(tools=[WEATHER], tool_choice="none")).json()["choices"][0]
    assert plain["finish_reason"] == "stop" and "tool_calls" not in plain["message"]


def test_tool_call_deltas(api: httpx.Client, read_stream: Any) -> None:
    messages = [{"role": "user", "content": "Use get_weather and get_time please."}]
    request = body(messages=messages, tools=[WEATHER, TIME], tool_choice="required", seed=3)
    chunks = assert_chunk_grammar(read_stream(api, CHAT, {**request, "stream": True}), include_usage=False)
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    calls: dict[int, dict[str, Any]] = {}
    fragments: dict[int, int] = {}
    for chunk in chunks:
        for delta in chunk["choices"][0]["delta"].get("tool_calls") or []:
            assert isinstance(delta["index"], int)
            if delta["index"] not in calls:
                assert delta["id"] and delta["type"] == "function" and delta["function"]["name"]
                calls[delta["index"]] = {
                    "id": delta["id"],
                    "name": delta["function"]["name"],
                    "arguments": "",
                }
            calls[delta["index"]]["arguments"] += delta["function"].get("arguments", "")
            fragments[delta["index"]] = fragments.get(delta["index"], 0) + 1
    assert sorted(calls) == [0, 1] and fragments[0] > 2  # get_weather's arguments arrive in pieces
    answer = api.post(CHAT, json=request).json()["choices"][0]["message"]["tool_calls"]
    for index, call in enumerate(answer):
        assert json.loads(calls[index]["arguments"]) == json.loads(call["function"]["arguments"])
        assert calls[index]["name"] == call["function"]["name"]


def test_mid_stream_error_is_an_error_event_then_done(start_reference: Any, read_stream: Any) -> None:
    server = start_reference(tokens_per_s=20)
    result: dict[str, Any] = {}

    def consume() -> None:
        with server.client(timeout=30.0) as client:
            result["stream"] = read_stream(client, CHAT, body(stream=True, max_tokens=48, seed=9))

    reader = threading.Thread(target=consume)
    reader.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not [r for r in server.runtime.tasks.values() if r.tokens]:
        time.sleep(0.02)
    running = [task_id for task_id, r in server.runtime.tasks.items() if r.tokens]
    assert running
    with server.client() as client:
        assert client.post(f"/v1/tasks/{running[0]}/cancel").status_code == 200
    reader.join(timeout=20)
    stream = result["stream"]
    assert stream.status == 200 and stream.done_count == 1 and stream.after_done == 0
    errors = [p for p in stream.payloads if "error" in p]
    assert len(errors) == 1 and errors[0] is stream.payloads[-1]
    assert set(errors[0]["error"]) >= {"message", "type", "param", "code"}
    assert errors[0]["error"]["type"] == "server_error" and errors[0]["error"]["kind"] == "INTERNAL"
    assert all(c["choices"][0]["finish_reason"] is None for c in stream.payloads[:-1] if c.get("choices"))


def test_client_disconnect_cancels_the_task(start_reference: Any) -> None:
    server = start_reference(tokens_per_s=20)
    with (
        server.client() as client,
        client.stream("POST", CHAT, json=body(stream=True, max_tokens=48, seed=9)) as response,
    ):
        assert response.status_code == 200
        next(response.iter_lines())
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(not r.terminal for r in server.runtime.tasks.values()):
        time.sleep(0.02)
    states = [r.state.value for r in server.runtime.tasks.values()]
    assert states == ["cancelled"]


def test_worker_failure_mid_stream_is_a_retriable_error_event(
    start_reference: Any, read_stream: Any, fail_task: Any
) -> None:
    server = start_reference(tokens_per_s=20)
    result: dict[str, Any] = {}

    def consume() -> None:
        with server.client(timeout=30.0) as client:
            result["stream"] = read_stream(client, CHAT, body(stream=True, max_tokens=48, seed=9))

    reader = threading.Thread(target=consume)
    reader.start()
    fail_task(server, ErrorKind.WORKER_RESET)
    reader.join(timeout=20)
    stream = result["stream"]
    assert stream.status == 200 and stream.done_count == 1 and stream.after_done == 0
    error = stream.payloads[-1]["error"]
    assert (
        error["kind"] == "WORKER_RESET"
        and error["code"] == "worker_reset"
        and error["type"] == "server_error"
    )
    assert error["retriable"] is True and error["retry_after_ms"] >= 0 and error["param"] is None
    assert not any("error" in p for p in stream.payloads[:-1])
    texts = [c["choices"][0]["delta"].get("content") for c in stream.payloads[1:-1]]
    assert all(texts)  # the generated text before the failure, never the error as content


def test_worker_failure_before_a_json_answer_is_a_502(start_reference: Any, fail_task: Any) -> None:
    server = start_reference(tokens_per_s=20)
    result: dict[str, httpx.Response] = {}

    def call() -> None:
        with server.client(timeout=30.0) as client:
            result["response"] = client.post(CHAT, json=body(max_tokens=48, seed=9))

    caller = threading.Thread(target=call)
    caller.start()
    fail_task(server, ErrorKind.WORKER_RESET)
    caller.join(timeout=20)
    response = result["response"]
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "worker_reset" and error["retriable"] is True
    assert int(response.headers["retry-after"]) >= 1


def test_response_format_json_object_and_schema(api: httpx.Client, read_stream: Any) -> None:
    as_object = api.post(CHAT, json=body(seed=5, response_format={"type": "json_object"})).json()
    assert isinstance(json.loads(as_object["choices"][0]["message"]["content"])["text"], str)
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "score": {"type": "integer", "minimum": 0, "maximum": 9}},
        "required": ["name", "score"],
    }
    request = body(
        seed=5, response_format={"type": "json_schema", "json_schema": {"name": "r", "schema": schema}}
    )
    answer = api.post(CHAT, json=request).json()["choices"][0]
    value = json.loads(answer["message"]["content"])
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(value))
    chunks = assert_chunk_grammar(read_stream(api, CHAT, {**request, "stream": True}), include_usage=False)
    assert streamed_text(chunks) == answer["message"]["content"]
    assert len([c for c in chunks if c["choices"][0]["delta"].get("content")]) > 1  # sent in pieces
    bare = body(
        seed=5,
        response_format={
            "type": "json_schema",
            "json_schema": {"type": "array", "items": {"type": "boolean"}},
        },
    )
    refused = api.post(CHAT, json=bare)  # OpenAI's shape is {name, schema}: a bare schema has no name
    assert refused.status_code == 400 and refused.json()["error"]["param"] == "response_format.json_schema"
    plain = api.post(CHAT, json=body(seed=5, response_format={"type": "text"})).json()["choices"][0]
    assert (
        plain["message"]["content"]
        == api.post(CHAT, json=body(seed=5)).json()["choices"][0]["message"]["content"]
    )
