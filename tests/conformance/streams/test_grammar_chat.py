"""Each chat chunk grammar rule on hand-written bytes: broken -> exactly its requirement, at its event."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from llmgw_conformance.grammar import ChatRequest, Judgement, StreamMeta, judge_chat
from llmgw_conformance.grammar.schemas import grammar
from llmgw_conformance.sse import parse_bytes

META = StreamMeta(status=200, content_type="text/event-stream")


def chunk(
    delta: dict[str, Any] | None = None, finish: Any = None, index: int = 0, **over: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "m",
        "choices": [{"index": index, "delta": delta if delta is not None else {}, "finish_reason": finish}],
    }
    doc.update(over)
    return doc


def usage_chunk(
    p: int = 5, c: int = 2, t: int | None = None, choices: list[Any] | None = None
) -> dict[str, Any]:
    total = p + c if t is None else t
    return chunk(
        choices=choices or [], usage={"prompt_tokens": p, "completion_tokens": c, "total_tokens": total}
    )


FIRST = chunk({"role": "assistant", "content": ""})
HI = chunk({"content": "Hi"})
THERE = chunk({"content": " there"})
STOP = chunk({}, "stop")


def render(*items: Any) -> bytes:
    out = []
    for item in items:
        data = item if isinstance(item, str) else json.dumps(item)
        out.append(f"data: {data}\n\n")
    return "".join(out).encode()


def judge(*items: Any, request: ChatRequest | None = None) -> Judgement:
    return judge_chat(parse_bytes(render(*items)), request or ChatRequest(max_tokens=16), META)


def test_correct_stream_and_summary() -> None:
    verdict = judge(FIRST, HI, THERE, STOP, "[DONE]")
    assert verdict.violations == []
    assert verdict.summary["content"] == {0: "Hi there"}
    assert verdict.summary["finish"] == {0: "stop"}
    assert verdict.terminal_index == 4


def test_correct_stream_with_usage() -> None:
    verdict = judge(
        FIRST, HI, STOP, usage_chunk(), "[DONE]", request=ChatRequest(include_usage=True, max_tokens=4)
    )
    assert verdict.violations == []
    assert verdict.summary["usage"] == {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}


def test_usage_null_on_other_chunks_is_fine() -> None:
    nulls = [dict(c, usage=None) for c in (FIRST, HI, STOP)]
    verdict = judge(*nulls, usage_chunk(), "[DONE]", request=ChatRequest(include_usage=True))
    assert verdict.violations == []


def test_error_event_then_done_is_accepted() -> None:
    err = {"error": {"message": "worker lost", "type": "server_error", "param": None, "code": "worker_reset"}}
    verdict = judge(FIRST, HI, err, "[DONE]")
    assert verdict.violations == []
    assert verdict.summary["error"] == err


def test_n_choices_interleaved() -> None:
    items = [chunk({"role": "assistant"}, index=i) for i in (0, 1)]
    items += [chunk({"content": "a"}, index=1), chunk({}, "stop", index=0), chunk({}, "length", index=1)]
    verdict = judge(*items, "[DONE]", request=ChatRequest(n=2))
    assert verdict.violations == []


def test_tool_call_stream_is_accepted() -> None:
    first = {"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": '{"a"'}}
    items = [
        FIRST,
        chunk({"tool_calls": [first]}),
        chunk({"tool_calls": [{"index": 0, "function": {"arguments": ": 1}"}}]}),
        chunk({}, "tool_calls"),
        "[DONE]",
    ]
    verdict = judge(*items)
    assert verdict.violations == []
    assert verdict.summary["tool_calls"] is True


TOOL = {"index": 0, "id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
CASES: list[tuple[str, tuple[Any, ...], ChatRequest, str, int | None]] = [
    ("no done", (FIRST, HI, STOP), ChatRequest(), "CHAT-DONE-SENTINEL", None),
    ("two done", (FIRST, STOP, "[DONE]", "[DONE]"), ChatRequest(), "CHAT-DONE-SENTINEL", 3),
    ("chunk after done", (FIRST, "[DONE]", STOP), ChatRequest(), "CHAT-NOTHING-AFTER-DONE", 2),
    ("id changes", (FIRST, dict(HI, id="other"), STOP, "[DONE]"), ChatRequest(), "CHAT-CHUNK-ID-STABLE", 1),
    (
        "created changes",
        (FIRST, dict(HI, created=2), STOP, "[DONE]"),
        ChatRequest(),
        "CHAT-CHUNK-ID-STABLE",
        1,
    ),
    ("no role first", (HI, STOP, "[DONE]"), ChatRequest(), "CHAT-ROLE-FIRST", 0),
    (
        "role repeated",
        (FIRST, chunk({"role": "assistant", "content": "x"}), STOP, "[DONE]"),
        ChatRequest(),
        "CHAT-ROLE-FIRST",
        1,
    ),
    ("never finishes", (FIRST, HI, "[DONE]"), ChatRequest(), "CHAT-FINISH-ONCE", 2),
    ("finishes twice", (FIRST, STOP, STOP, "[DONE]"), ChatRequest(), "CHAT-FINISH-ONCE", 2),
    ("content after finish", (FIRST, STOP, HI, "[DONE]"), ChatRequest(), "CHAT-FINISH-ONCE", 2),
    ("usage without asking", (FIRST, STOP, usage_chunk(), "[DONE]"), ChatRequest(), "CHAT-USAGE-ABSENT", 2),
    (
        "usage on every chunk",
        (
            dict(FIRST, usage={"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}),
            STOP,
            usage_chunk(),
            "[DONE]",
        ),
        ChatRequest(include_usage=True),
        "CHAT-USAGE-ABSENT",
        0,
    ),
    ("usage missing", (FIRST, STOP, "[DONE]"), ChatRequest(include_usage=True), "CHAT-USAGE-CHUNK", 2),
    (
        "usage not last",
        (FIRST, usage_chunk(), STOP, "[DONE]"),
        ChatRequest(include_usage=True),
        "CHAT-USAGE-CHUNK",
        1,
    ),
    (
        "usage with choices",
        (FIRST, usage_chunk(choices=STOP["choices"]), "[DONE]"),
        ChatRequest(include_usage=True),
        "CHAT-USAGE-CHUNK",
        1,
    ),
    (
        "usage total",
        (FIRST, STOP, usage_chunk(5, 2, 9), "[DONE]"),
        ChatRequest(include_usage=True),
        "CHAT-USAGE-TOTAL",
        2,
    ),
    (
        "error not followed by done",
        (
            FIRST,
            {"error": {"message": "m", "type": "server_error", "param": None, "code": None}},
            HI,
            "[DONE]",
        ),
        ChatRequest(),
        "CHAT-ERROR-EVENT",
        1,
    ),
    (
        "error as content",
        (FIRST, chunk({"content": "Traceback (most recent call last):"}), STOP, "[DONE]"),
        ChatRequest(),
        "CHAT-ERROR-EVENT",
        1,
    ),
    (
        "integer error code",
        (FIRST, {"error": {"message": "m", "type": "t", "param": None, "code": 500}}, "[DONE]"),
        ChatRequest(),
        "OAI-ERROR-SHAPE",
        1,
    ),
    (
        "tool delta no index",
        (
            FIRST,
            chunk({"tool_calls": [{"id": "c", "type": "function", "function": {"name": "f"}}]}),
            chunk({}, "tool_calls"),
            "[DONE]",
        ),
        ChatRequest(),
        "CHAT-TOOL-DELTA-INDEX",
        1,
    ),
    (
        "tool first delta no id",
        (
            FIRST,
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": "{}"}}]}),
            chunk({}, "tool_calls"),
            "[DONE]",
        ),
        ChatRequest(),
        "CHAT-TOOL-DELTA-INDEX",
        1,
    ),
    (
        "parallel calls merged",
        (
            FIRST,
            chunk({"tool_calls": [TOOL]}),
            chunk({"tool_calls": [dict(TOOL, id="call_2")]}),
            chunk({}, "tool_calls"),
            "[DONE]",
        ),
        ChatRequest(),
        "CHAT-TOOL-DELTA-INDEX",
        2,
    ),
    (
        "tool args not json",
        (
            FIRST,
            chunk({"tool_calls": [dict(TOOL, function={"name": "f", "arguments": "{"})]}),
            chunk({}, "tool_calls"),
            "[DONE]",
        ),
        ChatRequest(),
        "CHAT-TOOL-DELTA-INDEX",
        3,
    ),
    (
        "tool call finishing stop",
        (FIRST, chunk({"tool_calls": [TOOL]}), STOP, "[DONE]"),
        ChatRequest(),
        "CHAT-TOOL-FINISH",
        2,
    ),
    (
        "n constant index",
        (chunk({"role": "assistant"}), chunk({}, "stop"), "[DONE]"),
        ChatRequest(n=2),
        "OAI-N-STREAM",
        2,
    ),
    (
        "n index out of range",
        (
            chunk({"role": "assistant"}, index=0),
            chunk({"role": "assistant"}, index=2),
            chunk({}, "stop", index=0),
            chunk({}, "stop", index=2),
            "[DONE]",
        ),
        ChatRequest(n=2),
        "OAI-N-STREAM",
        1,
    ),
]


@pytest.mark.parametrize(
    ("name", "items", "request_", "requirement", "index"), CASES, ids=[c[0] for c in CASES]
)
def test_each_rule_reports_exactly_its_requirement(
    name: str, items: tuple[Any, ...], request_: ChatRequest, requirement: str, index: int | None
) -> None:
    verdict = judge(*items, request=request_)
    also = {"SSE-DATA-JSON"} if name == "tool delta no index" else set()  # the schema requires it too
    also |= {"CHAT-ERROR-EVENT"} if name == "integer error code" else set()  # the event's shape is both
    assert verdict.requirement_ids() == {requirement} | also, [v.headline() for v in verdict.violations]
    assert verdict.for_requirement(requirement)[0].event_index == index


def test_empty_string_finish_reason_breaks_value_and_schema() -> None:
    verdict = judge(FIRST, chunk({}, ""), "[DONE]")
    assert verdict.requirement_ids() == {"CHAT-FINISH-VALUE", "SSE-DATA-JSON"}
    assert verdict.for_requirement("CHAT-FINISH-VALUE")[0].received == "''"


def test_missing_finish_reason_key() -> None:
    no_key = chunk({"content": "x"})
    del no_key["choices"][0]["finish_reason"]
    verdict = judge(FIRST, no_key, STOP, "[DONE]")
    assert {"CHAT-FINISH-VALUE", "SSE-DATA-JSON"} == verdict.requirement_ids()


def test_completion_above_the_limit() -> None:
    items = (FIRST, chunk({}, "length"), usage_chunk(5, 9), "[DONE]")
    verdict = judge(*items, request=ChatRequest(include_usage=True, max_tokens=4))
    assert verdict.requirement_ids() == {"CHAT-MAX-TOKENS"}  # one defect: the arithmetic holds


def test_usage_chunk_with_stray_empty_choices_is_one_defect() -> None:
    """LiteLLM's proxy sends its usage chunk with ``choices: [{"index": 0, "delta": {}}]``: one
    deviation (CHAT-USAGE-CHUNK), not also "a chunk after the finish" (CHAT-FINISH-ONCE)."""
    stray = usage_chunk(5, 2, choices=[{"index": 0, "delta": {}, "finish_reason": None}])
    verdict = judge(FIRST, HI, STOP, stray, "[DONE]", request=ChatRequest(include_usage=True))
    assert verdict.requirement_ids() == {"CHAT-USAGE-CHUNK"}
    # A usage chunk whose choice still says something is fed to the choice rules as well.
    talking = usage_chunk(5, 2, choices=[{"index": 0, "delta": {"content": "late"}, "finish_reason": None}])
    verdict = judge(FIRST, HI, STOP, talking, "[DONE]", request=ChatRequest(include_usage=True))
    assert {"CHAT-USAGE-CHUNK", "CHAT-FINISH-ONCE"} <= verdict.requirement_ids()


def test_request_view_reads_the_body() -> None:
    body = {"stream_options": {"include_usage": True}, "max_tokens": 9, "max_completion_tokens": 4, "n": 3}
    assert ChatRequest.from_body(body) == ChatRequest(include_usage=True, max_tokens=4, n=3)
    assert ChatRequest.from_body({}) == ChatRequest()


def test_rules_come_from_the_contract_grammar() -> None:
    # A contract whose grammar names another sentinel changes the verdict: nothing the grammar states is
    # hard-coded in the judge.
    rules = dict(grammar("chat-chunks"), sentinel="[END]")
    data = render(FIRST, STOP, "[END]")
    assert judge_chat(parse_bytes(data), ChatRequest(), META, rules=rules).violations == []
    verdict = judge_chat(parse_bytes(render(FIRST, STOP, "[DONE]")), ChatRequest(), META, rules=rules)
    assert "CHAT-DONE-SENTINEL" in verdict.requirement_ids()


def test_payloads_are_validated_against_the_given_contract(tmp_path: Path) -> None:
    # The run's --contracts-dir wins: a contract whose chunk schema requires `system_fingerprint` fails
    # a stream that the checkout's contract accepts.
    import yaml

    from llmgw_conformance.grammar.schemas import CONTRACT_DIR

    for name in ("common.yaml", "data.yaml", "control.yaml"):
        doc = yaml.safe_load((CONTRACT_DIR / name).read_text())
        if name == "data.yaml":
            doc["components"]["schemas"]["ChatCompletionChunk"]["required"].append("system_fingerprint")
        (tmp_path / name).write_text(yaml.safe_dump(doc))
    data = parse_bytes(render(FIRST, STOP, "[DONE]"))
    assert judge_chat(data, ChatRequest(), META).violations == []
    stricter = judge_chat(data, ChatRequest(), META, contract_dir=tmp_path)
    assert stricter.requirement_ids() == {"SSE-DATA-JSON"}
