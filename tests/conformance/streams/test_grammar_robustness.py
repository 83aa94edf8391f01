"""Judges never raise on hostile bytes; the benchmark stream is clean (so its figure means something)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from llmgw_conformance.grammar import (
    ChatRequest,
    GenerateRequest,
    NativeRequest,
    StreamMeta,
    judge_chat,
    judge_generate,
    judge_native,
)
from llmgw_conformance.sse import parse_bytes
from tools.bench.judge_micro import run

META = StreamMeta(status=200, content_type="text/event-stream")
PIECES = st.sampled_from(
    [
        b"data: ",
        b"event: token\n",
        b"event: end\n",
        b"\n\n",
        b"\r\n",
        b"[DONE]",
        b'{"choices": [{"index": 0, "delta": {"role": 1}, "finish_reason": ""}]}',
        b'{"t": "x", "i": -1}',
        b'{"tokens_out": 99999999999999999999999, "decode_ms": 1}',
        b'{"seq": "0", "done": true, "usage": {"total_tokens": null}}',
        b'{"error": {"code": 5}}',
        b"[1, 2]",
        b"null",
        b"\xff\xfe",
        b"error: x\n",
        b": c\n",
        b"[" * 50,
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.binary(max_size=20)), max_size=30))
def test_judges_never_raise_on_hostile_bytes(parts: list[bytes]) -> None:
    tr = parse_bytes(b"".join(parts))
    for verdict in (
        judge_native(tr, NativeRequest(max_tokens=3), META),
        judge_chat(tr, ChatRequest(include_usage=True, max_tokens=3, n=2), META),
        judge_generate(tr, GenerateRequest(max_new_tokens=3), META),
    ):
        assert all(v.requirement_id and v.rule for v in verdict.violations)


def test_the_benchmark_stream_is_judged_clean() -> None:
    # run() raises if the stream it times broke any rule; the ratio itself is machine-dependent.
    assert run(500, repeat=1) > 0
