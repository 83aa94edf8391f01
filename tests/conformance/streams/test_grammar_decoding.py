"""The judges decode event data with msgspec, but the verdict on what msgspec refuses is json.loads'."""

from __future__ import annotations

import json

from llmgw_conformance.grammar import ChatRequest, GenerateRequest, StreamMeta, judge_chat, judge_generate
from llmgw_conformance.sse import parse_bytes

META = StreamMeta(status=200, content_type="text/event-stream")
CHUNK = (
    '{"id":"c","object":"chat.completion.chunk","created":%s,"model":"m",'
    '"choices":[{"index":0,"delta":{"role":"assistant","content":"%s"},"finish_reason":"stop"}]}'
)


def chat(*datas: str) -> list[tuple[str, str]]:
    body = "".join(f"data: {d}\n\n" for d in (*datas, "[DONE]")).encode()
    verdict = judge_chat(parse_bytes(body), ChatRequest(), META)
    return [(v.requirement_id, v.rule) for v in verdict.violations]


def test_a_clean_chunk_decodes_and_passes() -> None:
    assert chat(CHUNK % ("1700000000", "hi")) == []


def test_a_number_msgspec_refuses_is_judged_by_the_schema_as_json_loads_would() -> None:
    # json.loads reads 1e400 as inf (a number that is no integer): the schema rule, not "not JSON".
    assert chat(CHUNK % ("1e400", "hi")) == [("SSE-DATA-JSON", "payload-schema:ChatCompletionChunk")]


def test_a_lone_surrogate_escape_is_json_as_json_loads_says() -> None:
    assert chat(CHUNK % ("1700000000", "\\ud800")) == []


def test_nan_is_accepted_as_json_loads_accepts_it_and_the_schema_refuses_it() -> None:
    assert chat(CHUNK % ("NaN", "hi")) == [("SSE-DATA-JSON", "payload-schema:ChatCompletionChunk")]


def test_data_that_is_not_json_is_reported_as_such() -> None:
    assert chat("{not json") == [("SSE-DATA-JSON", "data-is-json")]


def test_a_json_null_chunk_is_judged_not_skipped() -> None:
    assert ("SSE-DATA-JSON", "payload-schema:ChatCompletionChunk") in chat("null", CHUNK % ("1", "x"))


def test_integers_beyond_64_bits_stay_integers() -> None:
    chunk = {"seq": 0, "request_id": "r", "text_delta": str(2**70), "done": True, "finish_reason": "stop"}
    chunk["usage"] = {"prompt_tokens": 2**70, "completion_tokens": 1, "total_tokens": 2**70 + 1}
    body = f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n".encode()
    verdict = judge_generate(parse_bytes(body), GenerateRequest(), META)
    usage = verdict.summary["usage"]
    assert isinstance(usage, dict) and usage["prompt_tokens"] == 2**70
