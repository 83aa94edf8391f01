"""Each generate chunk grammar rule on hand-written bytes: broken -> exactly its requirement, at its event."""

from __future__ import annotations

import json
from typing import Any

import pytest

from llmgw_conformance.grammar import GenerateRequest, Judgement, StreamMeta, judge_generate
from llmgw_conformance.sse import parse_bytes

META = StreamMeta(status=200, content_type="text/event-stream")
USAGE = {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}


def chunk(seq: int, text: str = "a", done: bool = False, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"request_id": "req-1", "seq": seq, "text_delta": text, "done": done}
    doc.update(extra)
    return doc


def last(seq: int, reason: str = "stop", usage: dict[str, int] | None = None, **extra: Any) -> dict[str, Any]:
    return chunk(seq, "", True, finish_reason=reason, usage=usage or USAGE, **extra)


def judge(*items: Any, max_new_tokens: int | None = 8) -> Judgement:
    data = "".join(f"data: {i if isinstance(i, str) else json.dumps(i)}\n\n" for i in items).encode()
    return judge_generate(parse_bytes(data), GenerateRequest(max_new_tokens=max_new_tokens), META)


GOOD = (chunk(0, "Hel"), chunk(1, "lo"), last(2), "[DONE]")


def test_correct_stream_and_summary() -> None:
    verdict = judge(*GOOD)
    assert verdict.violations == []
    assert verdict.summary["text"] == "Hello"
    assert verdict.summary["finish_reason"] == "stop"
    assert verdict.summary["usage"] == USAGE
    assert verdict.terminal_index == 3


def test_error_chunk_is_accepted() -> None:
    err = last(1, "error", error={"code": "WORKER_RESET", "message": "lost the worker"})
    assert judge(chunk(0), err, "[DONE]").violations == []


CASES: list[tuple[str, tuple[Any, ...], str, int | None]] = [
    ("seq from 1", (chunk(1), last(2), "[DONE]"), "GEN-SEQ", 0),
    ("seq gap", (chunk(0), chunk(2), last(3), "[DONE]"), "GEN-SEQ", 1),
    ("request id changes", (chunk(0), chunk(1, request_id="other"), last(2), "[DONE]"), "GEN-REQUEST-ID", 1),
    ("empty request id", (chunk(0, request_id=""), last(1, request_id=""), "[DONE]"), "GEN-REQUEST-ID", 0),
    ("no done chunk", (chunk(0), chunk(1), "[DONE]"), "GEN-DONE-ONCE", 2),
    ("two done chunks", (chunk(0), last(1), last(2), "[DONE]"), "GEN-DONE-ONCE", 2),
    ("no sentinel", (chunk(0), last(1)), "GEN-DONE-SENTINEL", None),
    ("two sentinels", (chunk(0), last(1), "[DONE]", "[DONE]"), "GEN-DONE-SENTINEL", 3),
    ("chunk after sentinel", (chunk(0), last(1), "[DONE]", chunk(2)), "GEN-DONE-SENTINEL", 3),
    (
        "terminal without usage",
        (chunk(0), chunk(1, "", True, finish_reason="stop"), "[DONE]"),
        "GEN-TERMINAL-FIELDS",
        1,
    ),
    (
        "finish on a middle chunk",
        (chunk(0, finish_reason="stop"), last(1), "[DONE]"),
        "GEN-TERMINAL-FIELDS",
        0,
    ),
    (
        "usage total wrong",
        (chunk(0), last(1, usage={**USAGE, "total_tokens": 9}), "[DONE]"),
        "GEN-TERMINAL-FIELDS",
        1,
    ),
    (
        "error not terminal",
        (chunk(0, error={"code": "INTERNAL", "message": "m"}), last(1), "[DONE]"),
        "GEN-ERROR-CHUNK",
        0,
    ),
    ("finish error without error", (chunk(0), last(1, "error"), "[DONE]"), "GEN-ERROR-CHUNK", 1),
    (
        "too many tokens",
        (chunk(0), last(1, "length", {**USAGE, "completion_tokens": 9, "total_tokens": 12}), "[DONE]"),
        "GEN-MAX-NEW-TOKENS",
        1,
    ),
    ("not json", (chunk(0), "{oops", last(1), "[DONE]"), "SSE-DATA-JSON", 1),
    ("schema", (chunk(0), {"seq": 1}, last(1), "[DONE]"), "SSE-DATA-JSON", 1),
]


@pytest.mark.parametrize(("name", "items", "requirement", "index"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_reports_exactly_its_requirement(
    name: str, items: tuple[Any, ...], requirement: str, index: int | None
) -> None:
    verdict = judge(*items)
    also = {"GEN-DONE-ONCE"} if name == "chunk after sentinel" else set()  # also a chunk after the done one
    assert verdict.requirement_ids() == {requirement} | also, [v.headline() for v in verdict.violations]
    assert verdict.for_requirement(requirement)[0].event_index == index
