"""Stream evidence: the escaping round-trips every byte string, long streams are cut and marked, and a
verdict resting on a cut stream is said to be not re-judgeable (never silently accepted), while a cut
mark on a short stream is caught."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from llmgw_conformance.contract import load_contract
from llmgw_conformance.sse import escape_bytes, parse_bytes
from llmgw_conformance.verify.command import verify_document
from llmgw_conformance.verify.digest import with_digest
from llmgw_conformance.verify.evidence import (
    STREAM_EVIDENCE_BYTES,
    record_stream,
    recorded_stream,
    unescape,
)
from llmgw_conformance.verify.outcome import NOT_REJUDGEABLE

from .tampering import load, requirement


@given(st.binary(max_size=300))
def test_escaping_round_trips_any_bytes(raw: bytes) -> None:
    assert unescape(escape_bytes(raw)) == raw


def test_a_long_stream_is_cut_and_marked() -> None:
    event = b'data: {"x": "' + b"y" * 1000 + b'"}\n\n'
    long = parse_bytes(event * (STREAM_EVIDENCE_BYTES // len(event) + 2))
    kept = record_stream(long)
    assert kept["stream_truncated"] is True
    assert recorded_stream(kept) is None  # never judged as if it were whole
    short = record_stream(parse_bytes(event))
    assert short["stream_truncated"] is False and recorded_stream(short) == event


def test_verdict_on_a_cut_stream_is_not_rejudgeable(fresh_report: Path) -> None:
    doc = load(fresh_report)
    for finding in requirement(doc, "NAT-TERMINAL-ONCE")["findings"]:
        for exchange in finding["exchanges"]:
            exchange["transcript"]["stream_truncated"] = True
    out = verify_document(with_digest(doc), load_contract())
    # The streams were short: marking them cut is itself caught.
    assert {d.kind for d in out.discrepancies} == {"evidence"}
    assert all("marked cut at the 65536-byte cap" in d.message for d in out.discrepancies)
    for finding in requirement(doc, "NAT-TERMINAL-ONCE")["findings"]:
        for exchange in finding["exchanges"]:
            exchange["transcript"]["total_bytes"] = STREAM_EVIDENCE_BYTES + 1
    out = verify_document(with_digest(doc), load_contract())
    assert out.discrepancies == []
    assert out.checked["NAT-TERMINAL-ONCE"][0] == NOT_REJUDGEABLE
