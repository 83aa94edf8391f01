"""``deadline_ms`` on chat and generate over real HTTP: the task's deadline, mid-stream and up front.

The servers run at 20 tokens/s, so the seeded requests below (48 and 45 tokens) generate for over
2 s: a deadline of 600 ms is sure to pass mid-generation, and one of 1 ms cannot even be met by
the first token (the runtime predicts 20 ms), so it is refused before any stream byte.
"""

from __future__ import annotations

import json
import time
from typing import Any

from llmgw_reference.surfaces.contract_schemas import validator_for

CHAT = "/v1/chat/completions"
GEN = "/v1/generate/synth-small"
MID_DEADLINE_MS = 600
#: A bound for "the answer came at the deadline, not never": generous for a busy machine. That the answer
#: came before the completion's natural end is asserted from what was sent (fewer than 48 tokens).
BOUND_S = 10.0
# With seed 9 this chat prompt runs 48 tokens; with seed 6 the generate prompt "p" runs 45.
CHAT_LONG = {
    "model": "synth-small",
    "messages": [{"role": "user", "content": "Tell me about rivers."}],
    "max_tokens": 48,
    "seed": 9,
}
GEN_LONG = {"prompt": "p", "max_new_tokens": 45, "seed": 6}


def timed_stream(read_stream: Any, client: Any, path: str, body: dict[str, Any]) -> tuple[Any, float]:
    started = time.monotonic()
    stream = read_stream(client, path, body)
    return stream, time.monotonic() - started


def test_chat_stream_past_its_deadline_ends_with_the_error_event(
    start_reference: Any, read_stream: Any
) -> None:
    server = start_reference(tokens_per_s=20)
    with server.client(timeout=30.0) as client:
        request = {**CHAT_LONG, "stream": True, "deadline_ms": MID_DEADLINE_MS}
        stream, took = timed_stream(read_stream, client, CHAT, request)
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    assert stream.done_count == 1 and stream.after_done == 0 and not stream.event_fields
    *chunks, last = stream.payloads
    assert set(last) == {"error"}, last
    error = last["error"]
    assert error["code"] == "deadline_unmet" and error["type"] == "server_error"
    assert isinstance(error["message"], str) and error["message"] and error["param"] is None
    chunk_validator = validator_for("ChatCompletionChunk")
    for chunk in chunks:
        assert not list(chunk_validator.iter_errors(chunk)), chunk
        assert chunk["choices"][0]["finish_reason"] is None  # never a fake finish before the error
    contents = [c["choices"][0]["delta"].get("content") for c in chunks[1:]]
    assert contents and all(contents)  # tokens came before the deadline; the error is never content
    assert len(contents) < 48
    assert MID_DEADLINE_MS / 1000 <= took < BOUND_S


def test_chat_stream_that_cannot_start_in_time_is_a_504_before_the_stream(
    start_reference: Any, read_stream: Any
) -> None:
    server = start_reference(tokens_per_s=20)
    with server.client(timeout=30.0) as client:
        stream = read_stream(client, CHAT, {**CHAT_LONG, "stream": True, "deadline_ms": 1})
    assert stream.status == 504 and stream.content_type.startswith("application/json")
    error = json.loads(stream.body)["error"]
    assert error["code"] == "deadline_unmet" and error["type"] == "server_error"
    assert set(error) >= {"message", "type", "param", "code"}
    assert server.runtime.tasks == {}  # refused at admission: no task was ever created


def test_chat_json_past_its_deadline_is_a_504(start_reference: Any) -> None:
    server = start_reference(tokens_per_s=20)
    with server.client(timeout=30.0) as client:
        started = time.monotonic()
        response = client.post(CHAT, json={**CHAT_LONG, "deadline_ms": MID_DEADLINE_MS})
        took = time.monotonic() - started
    assert response.status_code == 504, response.text
    assert response.json()["error"]["code"] == "deadline_unmet"
    assert took < BOUND_S
    assert [r.state.value for r in server.runtime.tasks.values()] == ["failed"]
    assert [len(r.tokens) < 48 for r in server.runtime.tasks.values()] == [True]  # cut, not finished


def test_a_generous_deadline_changes_nothing(api: Any, read_stream: Any) -> None:
    request = {**CHAT_LONG, "max_tokens": 8}
    plain = api.post(CHAT, json=request).json()["choices"][0]
    bounded = api.post(CHAT, json={**request, "deadline_ms": 60_000}).json()["choices"][0]
    assert bounded == plain and plain["finish_reason"] == "length"
    generated = api.post(GEN, json={**GEN_LONG, "max_new_tokens": 8}).json()
    with_deadline = api.post(GEN, json={**GEN_LONG, "max_new_tokens": 8, "deadline_ms": 60_000}).json()
    assert with_deadline["text"] == generated["text"] and with_deadline["finish_reason"] == "length"


def test_generate_stream_past_its_deadline_ends_with_the_error_chunk(
    start_reference: Any, read_stream: Any
) -> None:
    server = start_reference(tokens_per_s=20)
    with server.client(timeout=30.0) as client:
        request = {**GEN_LONG, "stream": True, "deadline_ms": MID_DEADLINE_MS}
        stream, took = timed_stream(read_stream, client, GEN, request)
    assert stream.status == 200 and stream.done_count == 1 and stream.after_done == 0
    validator = validator_for("GenerateChunk")
    for chunk in stream.payloads:
        assert not list(validator.iter_errors(chunk)), chunk
    *texts, last = stream.payloads
    assert [c["seq"] for c in stream.payloads] == list(range(len(stream.payloads)))
    assert texts and all(not c["done"] and c["text_delta"] for c in texts)
    assert last["done"] is True and last["finish_reason"] == "error"
    assert last["error"]["code"] == "DEADLINE_UNMET" and last["error"]["message"]
    usage = last["usage"]
    assert usage["completion_tokens"] < 45
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert MID_DEADLINE_MS / 1000 <= took < BOUND_S


def test_generate_that_cannot_start_in_time_is_a_504_envelope(start_reference: Any, read_stream: Any) -> None:
    server = start_reference(tokens_per_s=20)
    with server.client(timeout=30.0) as client:
        stream = read_stream(client, GEN, {**GEN_LONG, "stream": True, "deadline_ms": 1})
        answer = client.post(GEN, json={**GEN_LONG, "deadline_ms": 1})
    assert stream.status == 504 and stream.content_type.startswith("application/json")
    assert b"data:" not in stream.body
    for body in (json.loads(stream.body), answer.json()):
        assert body["code"] == "DEADLINE_UNMET" and body["message"] and body["request_id"], body
        assert "error" not in body  # the native envelope, not the OpenAI shape
    assert answer.status_code == 504


def test_generate_json_past_its_deadline_is_a_504(start_reference: Any) -> None:
    server = start_reference(tokens_per_s=20)
    with server.client(timeout=30.0) as client:
        response = client.post(GEN, json={**GEN_LONG, "deadline_ms": MID_DEADLINE_MS})
    assert response.status_code == 504, response.text
    assert response.json()["code"] == "DEADLINE_UNMET"


def test_a_deadline_below_one_is_a_400_naming_it(api: Any) -> None:
    chat = api.post(CHAT, json={**CHAT_LONG, "deadline_ms": 0})
    assert chat.status_code == 400 and chat.json()["error"]["param"] == "deadline_ms"
    generated = api.post(GEN, json={**GEN_LONG, "deadline_ms": "soon"})
    assert generated.status_code == 400 and generated.json().get("param") == "deadline_ms"
