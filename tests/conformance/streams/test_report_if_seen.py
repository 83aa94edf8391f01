"""Incidental stream rules (``Verdicts(incidental=...)``): plain grammar checks speak of a mid-stream
error only if they saw one.

Pure logic (hand-written streams, a recording context), so each case is exact: silence on a healthy
stream (a skip there would outrank the provoking check's pass), a pass for a correct error event, a
failure for a wrong one.
"""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

from llmgw_conformance.context import CheckContext
from llmgw_conformance.grammar import ChatRequest, StreamMeta, judge_chat
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.sse import parse_bytes

META = StreamMeta(status=200, content_type="text/event-stream")
HEAD = {"id": "c-1", "object": "chat.completion.chunk", "created": 1, "model": "m"}
FIRST = {
    **HEAD,
    "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}],
}
TEXT = {**HEAD, "choices": [{"index": 0, "delta": {"content": "Hi"}, "finish_reason": None}]}
STOP = {**HEAD, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
ERROR = {"error": {"message": "deadline passed", "type": "server_error", "param": None, "code": "x"}}
AS_CONTENT = {
    **HEAD,
    "choices": [{"index": 0, "delta": {"content": json.dumps(ERROR)}, "finish_reason": None}],
}


class Recorder:
    """The reporting half of a check context: (requirement, outcome) in order."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def passed(self, requirement_id: str, message: str = "", **_: Any) -> None:
        self.seen.append((requirement_id, "passed"))

    def failed(self, requirement_id: str, message: str, **_: Any) -> None:
        self.seen.append((requirement_id, "failed"))

    def skipped(self, requirement_id: str, reason: str) -> None:
        self.seen.append((requirement_id, "skipped"))


def reported(*items: Any) -> list[tuple[str, str]]:
    body = "".join(f"data: {i if isinstance(i, str) else json.dumps(i)}\n\n" for i in items).encode()
    recorder = Recorder()
    with Verdicts(cast(CheckContext, recorder), (), incidental=("CHAT-ERROR-EVENT",)) as verdicts:
        judgement = judge_chat(parse_bytes(body), ChatRequest(max_tokens=16), META)
        verdicts.stream("chat stream", judgement, cast(Any, None))
        if judgement.summary.get("error") is not None:
            verdicts.saw("CHAT-ERROR-EVENT")
    return recorder.seen


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ((FIRST, TEXT, STOP, "[DONE]"), []),
        ((FIRST, TEXT, ERROR, "[DONE]"), [("CHAT-ERROR-EVENT", "passed")]),
        ((FIRST, TEXT, ERROR), [("CHAT-ERROR-EVENT", "failed")]),
        ((FIRST, AS_CONTENT, STOP, "[DONE]"), [("CHAT-ERROR-EVENT", "failed")]),
    ],
    ids=["healthy: silent", "error event then DONE", "error event without DONE", "error as content"],
)
def test_reports_only_what_a_stream_showed(items: tuple[Any, ...], expected: list[tuple[str, str]]) -> None:
    assert reported(*items) == expected
