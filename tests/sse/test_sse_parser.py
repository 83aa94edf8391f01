"""The strict parser against the WHATWG event-stream rules, one rule (or anomaly) at a time."""

from __future__ import annotations

import codecs

import pytest
from httpx_sse._decoders import SSEDecoder, SSELineDecoder

from llmgw_conformance.sse import (
    Event,
    SSEParser,
    parse_bytes,
)
from tests.sse.parser_feeding import datas, feed_chunks, kinds

# -- line ends -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("eol", "style"), [(b"\n", "lf"), (b"\r\n", "crlf"), (b"\r", "cr")])
def test_each_line_end_style_gives_the_same_events(eol: bytes, style: str) -> None:
    body = eol.join([b"event: a", b"data: 1", b"data: 2", b"", b"data: 3", b"", b""])
    tr = parse_bytes(body)
    assert [(e.event, e.data) for e in tr.events] == [("a", "1\n2"), ("message", "3")]
    assert tr.line_endings == {"lf": 0, "crlf": 0, "cr": 0} | {style: 6}
    assert tr.events[0].raw == eol.join([b"event: a", b"data: 1", b"data: 2", b"", b""])
    assert "mixed_line_endings" not in tr.anomaly_counts


def test_mixed_line_endings_are_parsed_and_recorded_once_per_new_style() -> None:
    body = b"data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n"
    tr = parse_bytes(body)
    assert datas(tr) == ["a", "b", "c", "d"]
    mixed = tr.anomalies_of("mixed_line_endings")
    assert [(a.offset, a.raw) for a in mixed] == [(16, b"\r\n"), (27, b"\r")]
    assert tr.line_endings == {"lf": 4, "crlf": 2, "cr": 2}


def test_crlf_split_across_chunks_is_one_line_end() -> None:
    tr = feed_chunks([b"data: a\r", b"\n\r", b"\ndata: b\r\n\r", b"\n"])
    assert datas(tr) == ["a", "b"]
    assert tr.events[0].raw == b"data: a\r\n\r\n"
    assert tr.line_endings == {"lf": 0, "crlf": 4, "cr": 0}
    assert "mixed_line_endings" not in tr.anomaly_counts
    assert not tr.blocks  # in particular, no empty block made of a lone LF


def test_trailing_cr_is_held_until_the_next_byte_shows_what_it_is() -> None:
    parser = SSEParser(t0=0.0)
    assert parser.feed(b"data: a\r\r", 1.0) == []  # the second CR might be half of a CRLF
    (event,) = parser.feed(b"x", 2.0)
    assert event.raw == b"data: a\r\r"
    assert event.t_last == 1.0  # its last byte came with the first chunk
    assert parser.transcript.line_endings["cr"] == 2


def test_held_cr_dispatches_at_close() -> None:
    parser = SSEParser(t0=0.0)
    assert parser.feed(b"data: a\r\r", 1.0) == []
    (event,) = parser.close(2.0)
    assert (event.data, event.end, event.t_last) == ("a", 8, 1.0)
    assert parser.transcript.unterminated is None


# -- fields ----------------------------------------------------------------------------------------------


def test_multi_line_data_is_joined_with_lf() -> None:
    tr = parse_bytes(b"data: a\ndata:\ndata: b\ndata\n\n")
    assert datas(tr) == ["a\n\nb\n"]


def test_only_one_leading_space_is_removed() -> None:
    tr = parse_bytes(b"data:  two spaces\n\nevent:  x\ndata: y\n\n")
    assert datas(tr) == [" two spaces", "y"]
    assert tr.events[1].event == " x"


def test_data_without_space_is_legal_and_recorded() -> None:
    tr = parse_bytes(b'data:{"a":1}\n\n')
    assert datas(tr) == ['{"a":1}']
    (anomaly,) = tr.anomalies
    assert (anomaly.kind, anomaly.offset, anomaly.raw) == ("data_no_space", 0, b'data:{"a":1}')


def test_event_type_defaults_to_message_and_resets_after_each_block() -> None:
    tr = parse_bytes(b"event: delta\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\nevent: gone\n\ndata: 4\n\n")
    assert [(e.event, e.data) for e in tr.events] == [
        ("delta", "1"),
        ("message", "2"),
        ("message", "3"),
        ("message", "4"),
    ]


def test_line_without_colon_is_a_field_with_empty_value() -> None:
    tr = parse_bytes(b"event\ndata\n\n")
    assert [(e.event, e.data) for e in tr.events] == [("message", "")]


def test_comments_are_recorded_not_dispatched() -> None:
    tr = feed_chunks([b": keep-alive\n\n", b"data: a\n: inside\ndata: b\n\n", b":\n\n"])
    assert datas(tr) == ["a\nb"]
    assert [(c.offset, c.text, c.raw, c.t) for c in tr.comments] == [
        (0, " keep-alive", b": keep-alive", 1.0),
        (22, " inside", b": inside", 2.0),
        (40, "", b":", 3.0),
    ]
    assert tr.comment_count == 3
    assert tr.anomaly_counts["comment"] == 3
    assert tr.events[0].raw == b"data: a\n: inside\ndata: b\n\n"
    assert [b.raw for b in tr.blocks] == [b": keep-alive\n\n", b":\n\n"]
    assert tr.empty_block_count == 2
    assert "no_data_block" not in tr.anomaly_counts  # comment-only blocks are plain keep-alives


def test_leading_bom_is_stripped_once_and_recorded() -> None:
    tr = parse_bytes(b"\xef\xbb\xbfdata: a\n\ndata: b\n\n")
    assert datas(tr) == ["a", "b"]
    assert tr.bom
    assert [(a.kind, a.offset, a.raw) for a in tr.anomalies] == [("bom", 0, b"\xef\xbb\xbf")]
    assert tr.events[0].start == 3


def test_bom_split_across_chunks() -> None:
    tr = feed_chunks([b"\xef", b"\xbb", b"\xbfdata: a\n\n"])
    assert datas(tr) == ["a"]
    assert tr.bom


def test_second_bom_is_not_stripped() -> None:
    tr = parse_bytes(b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\n")
    assert datas(tr) == []
    (unknown,) = tr.anomalies_of("unknown_field")
    assert (unknown.offset, unknown.raw) == (3, b"\xef\xbb\xbfdata: a")


def test_bom_prefix_that_is_not_a_bom() -> None:
    tr = feed_chunks([b"\xef\xbb"])
    assert not tr.bom
    assert kinds(tr) == ["invalid_utf8", "unterminated_block"]


def test_httpx_sse_loses_the_first_event_after_a_bom() -> None:
    """Why we do not use httpx-sse as the judge (see the package docstring)."""
    body = b"\xef\xbb\xbfdata: first\n\ndata: second\n\nevent: x\n\n"
    text = codecs.getincrementaldecoder("utf-8")().decode(body, final=True)
    decoder = SSEDecoder()
    got = [sse for line in SSELineDecoder().decode(text) if (sse := decoder.decode(line)) is not None]
    assert [s.data for s in got] == ["second", ""]  # lost the first, invented an empty one
    assert datas(parse_bytes(body)) == ["first", "second"]


def test_unknown_fields_are_ignored_but_recorded() -> None:
    tr = parse_bytes(b'error: {"message":"boom"}\n\nevent: x\nerror: e\nfoo\ndata: d\n\n')
    (event,) = tr.events
    assert (event.event, event.data, event.unknown_fields) == ("x", "d", ("error", "foo"))
    unknown = tr.anomalies_of("unknown_field")
    assert [(a.offset, a.raw) for a in unknown] == [
        (0, b'error: {"message":"boom"}'),
        (36, b"error: e"),
        (45, b"foo"),
    ]
    assert tr.blocks[0].unknown_fields == ("error",)
    assert tr.anomalies_of("no_data_block")[0].raw == b'error: {"message":"boom"}\n\n'


def test_field_names_are_case_and_space_sensitive() -> None:
    tr = parse_bytes(b"Data: a\ndata : b\n data: c\n\n")
    assert datas(tr) == []
    assert [a.detail.split("'")[1] for a in tr.anomalies_of("unknown_field")] == ["Data", "data ", " data"]


def test_empty_data_event_is_dispatched_and_recorded() -> None:
    tr = parse_bytes(b"data:\n\ndata: \n\ndata: x\n\n")
    assert datas(tr) == ["", "", "x"]
    assert [a.offset for a in tr.anomalies_of("empty_data")] == [0, 7]
    assert "data_no_space" not in tr.anomaly_counts


def test_id_persists_and_an_id_with_nul_is_ignored() -> None:
    tr = parse_bytes(b"id: 1\ndata: a\n\ndata: b\n\nid: 2\x003\ndata: c\n\nid\ndata: d\n\n")
    assert [(e.id, e.last_event_id) for e in tr.events] == [("1", "1"), (None, "1"), (None, "1"), ("", "")]
    (ignored,) = tr.anomalies_of("ignored_id")
    assert ignored.raw == b"id: 2\x003"
    (nul,) = tr.anomalies_of("nul_byte")
    assert (nul.offset, nul.raw) == (29, b"id: 2\x003")


def test_id_in_a_block_without_data_still_sets_the_last_event_id() -> None:
    tr = parse_bytes(b"id: 7\n\ndata: a\n\n")
    assert [(e.id, e.last_event_id) for e in tr.events] == [(None, "7")]
    assert tr.last_event_id == "7"


@pytest.mark.parametrize(
    "value", [b"10x", b"-1", b"1.5", b" 5", b"", b"\xd9\xa3", b"+3", b"1_000", b"9" * 5000]
)
def test_retry_that_is_not_ascii_digits_is_ignored(value: bytes) -> None:
    tr = parse_bytes(b"retry: " + value + b"\ndata: a\n\n")
    assert tr.events[0].retry is None
    assert tr.reconnection_time is None
    assert tr.anomaly_counts["ignored_retry"] == 1


def test_valid_retry_is_kept() -> None:
    tr = parse_bytes(b"retry: 0300\ndata: a\n\ndata: b\n\n")
    assert [e.retry for e in tr.events] == [300, None]
    assert tr.reconnection_time == 300


@pytest.mark.parametrize(
    "block", [b"event: end\n\n", b"id: 5\n\n", b"retry: 1\n\n", b"\n", b": c\n\n", b"foo: bar\n\n"]
)
def test_blocks_without_data_dispatch_nothing(block: bytes) -> None:
    tr = parse_bytes(block + b"data: after\n\n")
    assert [(e.index, e.event, e.data) for e in tr.events] == [(0, "message", "after")]
    assert tr.blocks[0].kind == "empty_block"
    assert tr.blocks[0].raw == block
    assert tr.empty_block_count == 1


def test_unterminated_trailing_block_is_not_dispatched() -> None:
    tr = parse_bytes(b"data: a\n\ndata: [DONE]")
    assert datas(tr) == ["a"]
    block = tr.unterminated
    assert block is not None
    assert (block.kind, block.raw, block.start, block.end) == ("unterminated_block", b"data: [DONE]", 9, 20)
    assert tr.anomalies_of("unterminated_block")[0].raw == b"data: [DONE]"
    assert tr.termination == "eof"


def test_complete_lines_without_the_final_blank_line_are_unterminated_too() -> None:
    tr = parse_bytes(b"data: a\nevent: x\r\n")
    assert datas(tr) == []
    assert tr.unterminated is not None
    assert tr.unterminated.raw == b"data: a\nevent: x\r\n"


def test_close_without_eof_keeps_the_partial_block_but_no_anomaly() -> None:
    parser = SSEParser(t0=0.0)
    parser.feed(b"data: a\n\ndata: part", 1.0)
    parser.close(2.0, eof=False)
    tr = parser.transcript
    assert tr.unterminated is not None
    assert "unterminated_block" not in tr.anomaly_counts
    assert tr.termination is None


def test_invalid_utf8_is_replaced_and_recorded_with_offsets() -> None:
    tr = parse_bytes(b"data: \xff\xfeok\n\nevent: \xc3\n: \xe2\x82\ndata: \xc3\xa9\n\n")
    assert [(e.event, e.data) for e in tr.events] == [("message", "\ufffd\ufffdok"), ("\ufffd", "é")]
    assert [(a.offset, a.raw) for a in tr.anomalies_of("invalid_utf8")] == [
        (6, b"\xff\xfe"),
        (19, b"\xc3"),
        (23, b"\xe2\x82"),
    ]


def test_utf8_character_split_across_chunks_is_not_an_error() -> None:
    tr = feed_chunks([b"data: \xe2", b"\x82", b"\xac\n\n"])
    assert datas(tr) == ["€"]
    assert "invalid_utf8" not in tr.anomaly_counts


def test_nul_in_data_is_recorded() -> None:
    tr = parse_bytes(b"data: a\x00b\n\n")
    assert datas(tr) == ["a\x00b"]
    assert [(a.offset, a.raw) for a in tr.anomalies_of("nul_byte")] == [(7, b"data: a\x00b")]


# -- events: offsets, times, indices ---------------------------------------------------------------------


def test_event_records_offsets_times_and_raw_bytes() -> None:
    tr = feed_chunks([b"data: a\n\nda", b"ta: b\n", b"\n", b": ping\n\ndata: c\n\n"])
    assert [(e.index, e.start, e.end, e.t_first, e.t_last, e.raw) for e in tr.events] == [
        (0, 0, 8, 1.0, 1.0, b"data: a\n\n"),
        (1, 9, 17, 1.0, 3.0, b"data: b\n\n"),
        (2, 26, 34, 4.0, 4.0, b"data: c\n\n"),
    ]
    assert [(c.offset, c.t, c.data) for c in tr.chunks] == [
        (0, 1.0, b"data: a\n\nda"),
        (11, 2.0, b"ta: b\n"),
        (17, 3.0, b"\n"),
        (18, 4.0, b": ping\n\ndata: c\n\n"),
    ]


def test_feed_returns_the_events_each_chunk_completed() -> None:
    parser = SSEParser()
    assert parser.feed(b"data: a\n\ndata: b", 1.0) == [parser.events[0]]
    assert parser.feed(b"", 2.0) == []
    assert [e.data for e in parser.feed(b"\n\ndata: c\n\n", 3.0)] == ["b", "c"]
    assert parser.transcript.t0 == 1.0  # default t0: the first chunk's time
    assert parser.close(4.0) == []
    assert parser.close(5.0) == []  # idempotent
    with pytest.raises(RuntimeError):
        parser.feed(b"data: d\n\n", 6.0)


def test_event_is_a_plain_comparable_record() -> None:
    a = Event(0, "message", "x", None, "", None, b"data: x\n\n", 0, 8, 1.0, 1.0)
    b = Event(0, "message", "x", None, "", None, b"data: x\n\n", 0, 8, 1.0, 1.0)
    assert a == b
    assert a.unknown_fields == ()
