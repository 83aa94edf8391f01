"""Each native grammar rule on hand-written bytes: broken -> exactly its requirement, at its event."""

from __future__ import annotations

import json
from typing import Any

import pytest

from llmgw_conformance.grammar import Judgement, NativeRequest, StreamMeta, judge_native
from llmgw_conformance.sse import parse_bytes

STARTED = ("started", {"queue_position": 0, "predicted_start_ms": 5})
METRICS = ("metrics", {"queue_depth": 0, "on_time_probability": 0.9})


def tok(i: int, t: str = "x") -> tuple[str, dict[str, Any]]:
    return ("token", {"t": t, "i": i})


def end(n: int, reason: str = "stop") -> tuple[str, dict[str, Any]]:
    return ("end", {"tokens_out": n, "decode_ms": 3, "finish_reason": reason})


def render(*events: tuple[str, Any], eol: str = "\n") -> bytes:
    out = []
    for name, payload in events:
        data = payload if isinstance(payload, str) else json.dumps(payload)
        out.append(f"event: {name}{eol}data: {data}{eol}{eol}")
    return "".join(out).encode()


def judge(data: bytes, max_tokens: int | None = 16, termination: str | None = None) -> Judgement:
    tr = parse_bytes(data)
    meta = StreamMeta(status=200, content_type="text/event-stream", termination=termination)
    return judge_native(tr, NativeRequest(max_tokens=max_tokens), meta)


GOOD = (STARTED, tok(0, "Hel"), tok(1, "lo"), METRICS, end(2))


def test_correct_stream_has_no_violation_and_a_summary() -> None:
    verdict = judge(render(*GOOD))
    assert verdict.violations == []
    assert verdict.summary["text"] == "Hello"
    assert verdict.summary["tokens"] == 2
    assert verdict.summary["terminal"] == "end"
    assert verdict.terminal_index == 4


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_legal_variants_are_accepted(eol: str) -> None:
    data = b": keep-alive" + eol.encode() + eol.encode() + render(*GOOD, eol=eol)
    data = data.replace(b"data: ", b"data:", 1)
    assert judge(data).violations == []


def test_error_terminal_is_accepted() -> None:
    err = ("error", {"code": "DEADLINE_UNMET", "message": "deadline passed"})
    verdict = judge(render(STARTED, tok(0), METRICS, err))
    assert verdict.violations == []
    assert verdict.summary["terminal"] == "error"


CASES: list[tuple[str, tuple[tuple[str, Any], ...], str, int | None]] = [
    ("token first", (tok(0), STARTED, METRICS, end(1)), "NAT-FIRST-STARTED", 0),
    ("two started", (STARTED, STARTED, tok(0), METRICS, end(1)), "NAT-STARTED-ONCE", 1),
    ("unknown name", (STARTED, ("delta", {"t": "x"}), METRICS, end(0)), "NAT-EVENT-NAMES", 1),
    ("index gap", (STARTED, tok(0), tok(2), METRICS, end(2)), "NAT-TOKEN-INDEX", 2),
    ("index from 1", (STARTED, tok(1), METRICS, end(1)), "NAT-TOKEN-INDEX", 1),
    ("two terminals", (STARTED, tok(0), METRICS, end(1), end(1)), "NAT-TERMINAL-ONCE", 4),
    ("event after end", (STARTED, tok(0), METRICS, end(1), METRICS), "NAT-NOTHING-AFTER-TERMINAL", 4),
    ("tokens_out wrong", (STARTED, tok(0), tok(1), METRICS, end(3)), "NAT-END-TOKENS-OUT", 4),
    ("no metrics", (STARTED, tok(0), end(1)), "NAT-METRICS", 2),
    ("metrics out of range", (STARTED, ("metrics", {"on_time_probability": 3}), end(0)), "NAT-METRICS", 1),
    ("bad token payload", (STARTED, ("token", {"t": 5, "i": 0}), METRICS, end(1)), "SSE-DATA-JSON", 1),
    ("not json", (STARTED, ("token", "{nope"), METRICS, end(0)), "SSE-DATA-JSON", 1),
    (
        "error payload",
        (STARTED, METRICS, ("error", {"code": "NOPE", "message": "m"})),
        "ERR-MIDSTREAM-EVENT",
        2,
    ),
    (
        "pre-stream error in stream",
        (STARTED, METRICS, ("error", {"code": "INVALID_PARAMS", "message": "bad"})),
        "ERR-MIDSTREAM-EVENT",
        2,
    ),
    (
        "error as token text",
        (STARTED, tok(0, '{"error": {"message": "boom"}}'), METRICS, end(1)),
        "ERR-MIDSTREAM-EVENT",
        1,
    ),
]


@pytest.mark.parametrize(("name", "events", "requirement", "index"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_reports_exactly_its_requirement(
    name: str, events: tuple[tuple[str, Any], ...], requirement: str, index: int | None
) -> None:
    verdict = judge(render(*events))
    also = {"NAT-NOTHING-AFTER-TERMINAL"} if name == "two terminals" else set()  # a 2nd end is both
    assert verdict.requirement_ids() == {requirement} | also, [v.headline() for v in verdict.violations]
    violation = verdict.for_requirement(requirement)[0]
    assert violation.event_index == index
    assert violation.raw  # the offending bytes are shown


def test_too_many_tokens_break_max_tokens() -> None:
    verdict = judge(render(STARTED, tok(0), tok(1), tok(2), METRICS, end(3, "length")), max_tokens=2)
    assert verdict.requirement_ids() == {"NAT-MAX-TOKENS"}


def test_stream_closed_without_terminal_breaks_terminal_once() -> None:
    verdict = judge(render(STARTED, tok(0), METRICS))
    assert verdict.requirement_ids() == {"NAT-TERMINAL-ONCE"}
    assert verdict.for_requirement("NAT-TERMINAL-ONCE")[0].event_index is None


def test_client_stop_is_not_a_missing_terminal() -> None:
    verdict = judge(render(STARTED, tok(0)), termination="closed_by_client")
    assert verdict.violations == []


def test_a_rule_broken_on_every_event_is_reported_a_few_times_only() -> None:
    events = [STARTED] + [tok(i + 1) for i in range(50)] + [METRICS, end(50)]
    verdict = judge(render(*events), max_tokens=100)
    assert len(verdict.for_requirement("NAT-TOKEN-INDEX")) == 1  # resynchronised after the first gap
    many = [STARTED] + [("token", "{") for _ in range(50)] + [METRICS, end(0)]
    assert len(judge(render(*many)).for_requirement("SSE-DATA-JSON")) == 3


def test_stop_exactly_at_the_limit_is_left_to_the_differential_check() -> None:
    # A model may end on its last allowed token; only a rerun with a higher limit can tell (the check does).
    verdict = judge(render(STARTED, tok(0), tok(1), METRICS, end(2, "stop")), max_tokens=2)
    assert verdict.violations == []
