"""The framing rules shared by every stream kind, on hand-written bytes and hand-set timings."""

from __future__ import annotations

import pytest

from llmgw_conformance.grammar import ChatRequest, Judgement, StreamMeta, judge_chat, judge_framing
from llmgw_conformance.sse import SSEParser, Transcript, parse_bytes

CHUNK = (
    b'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"role":"assistant","content":"hi"},"finish_reason":null}]}\n\n'
)
LAST = (
    b'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
)
DONE = b"data: [DONE]\n\n"
GOOD = CHUNK + LAST + DONE
META = StreamMeta(status=200, content_type="text/event-stream; charset=utf-8")


def chat(data: bytes, meta: StreamMeta = META) -> Judgement:
    return judge_chat(parse_bytes(data), ChatRequest(), meta)


def test_correct_stream_passes_framing() -> None:
    assert chat(GOOD).violations == []


@pytest.mark.parametrize(
    ("status", "ctype"),
    [(200, "application/json"), (200, "text/plain"), (500, "text/event-stream"), (200, "")],
)
def test_wrong_status_or_content_type(status: int, ctype: str) -> None:
    verdict = chat(GOOD, StreamMeta(status=status, content_type=ctype))
    assert verdict.requirement_ids() == {"SSE-CONTENT-TYPE"}


def test_content_type_case_and_parameters_are_accepted() -> None:
    assert chat(GOOD, StreamMeta(status=200, content_type="Text/Event-Stream;charset=UTF-8")).violations == []


def test_non_standard_error_field_is_reported() -> None:
    data = CHUNK + b'error: {"message": "boom"}\n\n' + LAST + DONE
    verdict = chat(data)
    assert verdict.requirement_ids() == {"SSE-NO-UNKNOWN-FIELDS"}
    assert "error" in verdict.violations[0].message


def test_bare_json_is_unframed_bytes() -> None:
    data = CHUNK + b'{"error": {"message": "boom"}}\n\n' + LAST + DONE
    verdict = chat(data)
    assert verdict.requirement_ids() == {"SSE-FRAMING-VALID"}
    assert verdict.violations[0].rule == "no-unframed-bytes"


def test_unterminated_final_event() -> None:
    verdict = chat(GOOD[:-1])
    # The [DONE] block is never dispatched: both the framing and the missing sentinel are reported.
    assert verdict.requirement_ids() == {"SSE-FRAMING-VALID", "CHAT-DONE-SENTINEL"}


def test_invalid_utf8() -> None:
    verdict = chat(CHUNK.replace(b"hi", b"h\xff") + LAST + DONE)
    assert verdict.requirement_ids() == {"SSE-FRAMING-VALID"}
    assert verdict.violations[0].event_index == 0
    assert "\\xff" in verdict.violations[0].raw


def test_empty_data_event() -> None:
    verdict = chat(CHUNK + b"data:\n\n" + LAST + DONE)
    assert "SSE-NO-EMPTY-DATA" in verdict.requirement_ids()
    assert verdict.for_requirement("SSE-NO-EMPTY-DATA")[0].event_index == 1


def test_comments_and_no_space_are_legal_anywhere() -> None:
    data = b": hello\n\n" + CHUNK.replace(b"data: ", b"data:") + b": ping\n" + LAST + b":\n\n" + DONE
    assert chat(data).violations == []


def timed(
    parts: list[tuple[bytes, float]], termination: str = "eof", t_end: float | None = None
) -> Transcript:
    parser = SSEParser(t0=0.0)
    for data, t in parts:
        parser.feed(data, t)
    last = parts[-1][1] if t_end is None else t_end
    parser.close(last, eof=termination == "eof")
    parser.transcript.termination = termination
    return parser.transcript


def test_slow_headers() -> None:
    verdict = Judgement()
    judge_framing(parse_bytes(GOOD), StreamMeta(200, "text/event-stream", headers_after_s=3.0), verdict)
    assert verdict.requirement_ids() == {"SSE-HEADERS-PROMPT"}


def test_silent_gap_is_a_stall() -> None:
    tr = timed([(CHUNK, 0.1), (LAST, 5.0), (DONE, 5.0)])
    verdict = judge_chat(
        tr, ChatRequest(), StreamMeta(200, "text/event-stream", headers_after_s=0.05, idle_gap_s=2)
    )
    assert verdict.requirement_ids() == {"SSE-NO-STALL"}


def test_idle_timeout_before_the_end_is_a_stall() -> None:
    tr = timed([(CHUNK, 0.1)], termination="idle_timeout", t_end=2.2)
    verdict = judge_chat(tr, ChatRequest(), StreamMeta(200, "text/event-stream", idle_gap_s=2))
    assert verdict.requirement_ids() == {"SSE-NO-STALL"}


def test_not_closing_after_done() -> None:
    tr = timed([(CHUNK, 0.1), (LAST + DONE, 0.2)], termination="eof", t_end=2.5)
    verdict = judge_chat(tr, ChatRequest(), StreamMeta(200, "text/event-stream"))
    assert verdict.requirement_ids() == {"SSE-STREAM-ENDS"}
    tr = timed([(CHUNK, 0.1), (LAST + DONE, 0.2)], termination="idle_timeout", t_end=10.3)
    verdict = judge_chat(tr, ChatRequest(), StreamMeta(200, "text/event-stream"))
    assert verdict.requirement_ids() == {"SSE-STREAM-ENDS"}


def test_total_budget_exceeded() -> None:
    tr = timed([(CHUNK, 0.1)], termination="total_timeout", t_end=30)
    verdict = judge_chat(tr, ChatRequest(), StreamMeta(200, "text/event-stream"))
    assert verdict.requirement_ids() == {"SSE-STREAM-ENDS"}


def test_client_stop_is_not_judged_for_its_end() -> None:
    tr = timed([(CHUNK, 0.1)], termination="closed_by_client")
    assert judge_chat(tr, ChatRequest(), StreamMeta(200, "text/event-stream")).violations == []


def test_bom_and_mixed_line_endings_are_legal() -> None:
    data = b"\xef\xbb\xbf" + CHUNK.replace(b"\n\n", b"\r\n\r\n") + LAST.replace(b"\n\n", b"\r\r") + DONE
    assert chat(data).violations == []
