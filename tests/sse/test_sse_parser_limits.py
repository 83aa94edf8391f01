"""The strict parser's caps (bytes, events, line length) and its anomaly records."""

from __future__ import annotations

import pytest

from llmgw_conformance.sse import (
    ANOMALY_KINDS,
    DEFAULT_MAX_EVENTS,
    DEFAULT_MAX_LINE_LENGTH,
    DEFAULT_MAX_TOTAL_BYTES,
    SSEParser,
    StreamLimitExceeded,
    parse_bytes,
)
from tests.sse.parser_feeding import datas

# -- caps ------------------------------------------------------------------------------------------------


def test_default_caps() -> None:
    parser = SSEParser()
    assert (parser.max_total_bytes, parser.max_events, parser.max_line_length) == (
        DEFAULT_MAX_TOTAL_BYTES,
        DEFAULT_MAX_EVENTS,
        DEFAULT_MAX_LINE_LENGTH,
    )
    assert (DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_EVENTS, DEFAULT_MAX_LINE_LENGTH) == (
        8 << 20,
        10_000,
        1 << 20,
    )


def test_max_total_bytes() -> None:
    parser = SSEParser(max_total_bytes=20)
    parser.feed(b"data: a\n\n", 1.0)
    with pytest.raises(StreamLimitExceeded) as info:
        parser.feed(b"data: b\n\ndata: c\n\n", 2.0)
    exc = info.value
    assert (exc.limit_name, exc.limit, exc.observed, exc.offset) == ("max_total_bytes", 20, 27, 20)
    tr = parser.transcript
    assert datas(tr) == ["a", "b"]  # what fitted was parsed
    assert tr.total_bytes == 20
    assert parser.failed is exc
    with pytest.raises(StreamLimitExceeded):
        parser.feed(b"x", 3.0)
    assert parser.close(4.0) == []


def test_max_events() -> None:
    parser = SSEParser(max_events=3)
    with pytest.raises(StreamLimitExceeded) as info:
        parser.feed(b"data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n", 1.0)
    exc = info.value
    assert (exc.limit_name, exc.limit, exc.observed, exc.offset) == ("max_events", 3, 4, 27)
    assert datas(parser.transcript) == ["0", "1", "2"]


def test_max_events_one_chunk_per_event() -> None:
    parser = SSEParser(max_events=2)
    parser.feed(b"data: 0\n\n", 1.0)
    parser.feed(b"data: 1\n\n", 2.0)
    with pytest.raises(StreamLimitExceeded, match="max_events"):
        parser.feed(b"data: 2\n\n", 3.0)
    assert len(parser.events) == 2


def test_max_line_length_in_one_chunk_keeps_the_events_before_it() -> None:
    parser = SSEParser(max_line_length=10)
    with pytest.raises(StreamLimitExceeded) as info:
        parser.feed(b"data: a\n\ndata: 0123456789\n\n", 1.0)
    exc = info.value
    assert (exc.limit_name, exc.limit, exc.observed, exc.offset) == ("max_line_length", 10, 16, 9)
    assert datas(parser.transcript) == ["a"]


@pytest.mark.parametrize(("piece", "observed"), [(b"x", 101), (b"xyz", 102)])
def test_max_line_length_of_a_line_that_never_ends(piece: bytes, observed: int) -> None:
    parser = SSEParser(max_line_length=100)
    parser.feed(b"data: a\n\ndata: ", 0.0)
    with pytest.raises(StreamLimitExceeded) as info:
        for i in range(1000):
            parser.feed(piece, float(i))
    exc = info.value
    assert (exc.limit_name, exc.offset, exc.observed) == ("max_line_length", 9, observed)
    assert datas(parser.transcript) == ["a"]


def test_line_exactly_at_the_cap_is_fine() -> None:
    tr = parse_bytes(b"data: 0123\n\n", max_line_length=10)
    assert datas(tr) == ["0123"]


def test_held_cr_does_not_count_towards_the_line_length() -> None:
    parser = SSEParser(max_line_length=10)
    parser.feed(b"data: 0123\r", 1.0)  # 10 bytes of line, then a CR that might be half a CRLF
    assert [e.data for e in parser.feed(b"\n\n", 2.0)] == ["0123"]


def test_limit_exception_describes_itself() -> None:
    exc = StreamLimitExceeded("max_events", 3, 4, 27)
    assert str(exc) == "max_events exceeded: limit 3, observed 4 at byte offset 27"
    assert exc.to_json() == {"limit_name": "max_events", "limit": 3, "observed": 4, "offset": 27}


# -- anomaly bookkeeping ---------------------------------------------------------------------------------


def test_anomaly_details_are_capped_but_counts_are_exact() -> None:
    tr = parse_bytes(b":\n" * 50 + b"\n", max_records=10)
    assert tr.anomaly_counts["comment"] == 50
    assert len(tr.anomalies_of("comment")) == 10
    assert tr.comment_count == 50
    assert len(tr.comments) == 10


def test_anomaly_kinds_are_the_documented_strings() -> None:
    assert ANOMALY_KINDS == (
        "bom",
        "invalid_utf8",
        "mixed_line_endings",
        "nul_byte",
        "unknown_field",
        "data_no_space",
        "comment",
        "empty_data",
        "no_data_block",
        "ignored_id",
        "ignored_retry",
        "unterminated_block",
    )


def test_every_anomaly_kind_can_be_produced() -> None:
    body = (
        b"\xef\xbb\xbf: hi\n\ndata:x\r\n\r\ndata:\n\nid: \x00\nretry: z\nerror: e\n\ndata: \xff\n\ndata: tail"
    )
    tr = parse_bytes(body)
    assert tr.kinds() == set(ANOMALY_KINDS)
