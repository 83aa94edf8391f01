"""Properties of the parser: chunking never changes the result; the events match a literal reading of the
spec; every byte of the stream is accounted for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmgw_conformance.sse import Event, SSEParser, StreamLimitExceeded, Transcript, parse_bytes

# -- a deliberately naive reference: the WHATWG algorithm, character by character ------------------------


def spec_events(stream: bytes) -> list[tuple[str, str, str]]:
    """(type, data, last event id) of each event, straight from the spec's prose: decode the whole stream
    (UTF-8, replacement, one leading BOM removed), split lines on CRLF / LF / CR, drop the incomplete
    last line, interpret fields."""
    text = stream.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in "\r\n":
            lines.append("".join(current))
            current = []
            if c == "\r" and i + 1 < len(text) and text[i + 1] == "\n":
                i += 1
        else:
            current.append(c)
        i += 1
    events: list[tuple[str, str, str]] = []
    data, event_type, last_id = "", "", ""
    for line in lines:
        if line == "":
            if data == "":
                event_type = ""
                continue
            if data.endswith("\n"):
                data = data[:-1]
            events.append((event_type or "message", data, last_id))
            data, event_type = "", ""
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            name, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            name, value = line, ""
        if name == "event":
            event_type = value
        elif name == "data":
            data += value + "\n"
        elif name == "id" and "\0" not in value:
            last_id = value
    return events


# -- strategies ------------------------------------------------------------------------------------------

LINES = [
    b"data: x",
    b"data: {}",
    b"data:y",
    b"data",
    b"data:",
    b"data: ",
    b"data:  two",
    b"event: e",
    b"event:",
    b"id: 7",
    b"id: a\x00b",
    b"id",
    b"retry: 10",
    b"retry: x",
    b": c",
    b":",
    b"",
    b"",
    b"",
    b"error: {}",
    b"data: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
    b"data: \xff",
    b"data: \xe2\x82",
    b"\xef\xbb\xbfdata: z",
    b"data : s",
    b" data: t",
    b"data: a\x00",
]
ENDS = [b"\n", b"\n", b"\r\n", b"\r"]

structured_streams = st.builds(
    lambda bom, lines, tail: (b"\xef\xbb\xbf" if bom else b"") + b"".join(a + b for a, b in lines) + tail,
    st.booleans(),
    st.lists(st.tuples(st.sampled_from(LINES), st.sampled_from(ENDS)), max_size=40),
    st.sampled_from([b"", b"", b"data: [DONE]", b"da", b"\xe2"]),
)
ALPHABET = [*b"\r\n\r\n: datevi", 0, 0xFF, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0xE2, 0x82]
byte_soup = st.lists(st.sampled_from(ALPHABET), max_size=120).map(bytes)
# Chunk-aligned OpenAI-style traffic, so the fast paths are taken, mixed with irregular blocks.
BLOCKS = [
    b'data: {"i":1}\n\n',
    b"data: [DONE]\n\n",
    b": ping\n\n",
    b"data: a\ndata: b\n\n",
    b"\n",
    b"data: \xc3\xa9\n\n",
]
block_streams = st.lists(st.sampled_from(BLOCKS), max_size=30).map(b"".join)
streams = st.one_of(structured_streams, byte_soup, block_streams)


def chunked(stream: bytes, cuts: Sequence[int]) -> list[bytes]:
    points = sorted({c for c in cuts if 0 < c < len(stream)})
    return [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]


def feed(chunks: Sequence[bytes]) -> Transcript:
    """Chunk i arrives at t = i + 1."""
    parser = SSEParser(t0=0.0)
    returned: list[Event] = []
    for i, chunk in enumerate(chunks):
        returned += parser.feed(chunk, float(i + 1))
    returned += parser.close(1000.0)
    assert returned == parser.transcript.events  # feed()/close() hand out every event exactly once
    return parser.transcript


def untimed(tr: Transcript) -> object:
    """Everything the parser produced, except arrival times (which depend on the chunking)."""
    return (
        [
            (
                e.index,
                e.event,
                e.data,
                e.id,
                e.last_event_id,
                e.retry,
                e.raw,
                e.start,
                e.end,
                e.unknown_fields,
            )
            for e in tr.events
        ],
        [(b.kind, b.raw, b.start, b.end, b.unknown_fields) for b in tr.blocks],
        [(c.offset, c.text, c.raw) for c in tr.comments],
        sorted((a.kind, a.offset, a.raw, a.detail) for a in tr.anomalies),
        tr.anomaly_counts,
        tr.line_endings,
        (tr.bom, tr.last_event_id, tr.reconnection_time, tr.termination),
    )


def check_times(tr: Transcript) -> None:
    for e in tr.events:
        assert e.t_first == tr.time_at(e.start)
        assert e.t_last == tr.time_at(e.end)
        assert e.t_first <= e.t_last


def check_accounting(stream: bytes, tr: Transcript) -> None:
    """BOM + every event's raw block + every non-event block, in offset order, is the stream."""
    pieces = [(0, b"\xef\xbb\xbf")] if tr.bom else []
    pieces += [(e.start, e.raw) for e in tr.events] + [(b.start, b.raw) for b in tr.blocks]
    assert b"".join(raw for _, raw in sorted(pieces)) == stream
    for e in tr.events:
        assert stream[e.start : e.end + 1] == e.raw


# -- properties ------------------------------------------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), stream=streams)
def test_any_chunking_gives_the_same_result_as_one_chunk(data: st.DataObject, stream: bytes) -> None:
    cuts = data.draw(st.lists(st.integers(0, max(len(stream), 1)), max_size=12))
    whole = feed([stream])
    pieces = feed(chunked(stream, cuts))
    assert untimed(pieces) == untimed(whole)
    check_times(pieces)
    assert pieces.stream == stream
    assert b"".join(c.data for c in pieces.chunks) == stream


@settings(max_examples=400, deadline=None)
@given(stream=streams)
def test_events_match_a_literal_reading_of_the_spec(stream: bytes) -> None:
    tr = parse_bytes(stream)
    assert [(e.event, e.data, e.last_event_id) for e in tr.events] == spec_events(stream)


@settings(max_examples=300, deadline=None)
@given(stream=streams)
def test_every_byte_is_in_exactly_one_record(stream: bytes) -> None:
    check_accounting(stream, parse_bytes(stream))


TRICKY = (
    b"\xef\xbb\xbf: hi\r\n\r\ndata: a\r\ndata: \xc3\xa9\r\rid: 1\nevent: x\ndata:b\n\n"
    b"error: e\n\ndata:\r\n\r\nretry: 5\rdata: \xe2\x82\xac\n\ndata: tail\r"
)


@pytest.mark.parametrize("cut", range(1, len(TRICKY)))
def test_every_split_point_of_a_tricky_stream(cut: int) -> None:
    whole = feed([TRICKY])
    two = feed([TRICKY[:cut], TRICKY[cut:]])
    assert untimed(two) == untimed(whole)
    check_times(two)


def test_one_byte_chunks_of_a_tricky_stream() -> None:
    whole = feed([TRICKY])
    bytewise = feed([TRICKY[i : i + 1] for i in range(len(TRICKY))])
    assert untimed(bytewise) == untimed(whole)
    check_times(bytewise)
    assert [e.t_first for e in bytewise.events] == [e.start + 1 for e in bytewise.events]
    assert [e.t_last for e in bytewise.events] == [e.end + 1 for e in bytewise.events]
    check_accounting(TRICKY, whole)
    assert [(e.event, e.data, e.last_event_id) for e in whole.events] == spec_events(TRICKY)
    assert len(whole.events) == 4  # the reference itself is not vacuous here


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    stream=streams,
    caps=st.fixed_dictionaries(
        {
            "max_total_bytes": st.integers(1, 200),
            "max_events": st.integers(1, 5),
            "max_line_length": st.integers(1, 30),
            "max_records": st.integers(0, 3),
        }
    ),
)
def test_hostile_input_under_tight_caps_only_ever_raises_the_typed_limit(
    data: st.DataObject, stream: bytes, caps: dict[str, int]
) -> None:
    cuts = data.draw(st.lists(st.integers(0, max(len(stream), 1)), max_size=12))
    parser = SSEParser(t0=0.0, **caps)
    limit: StreamLimitExceeded | None = None
    try:
        for i, chunk in enumerate(chunked(stream, cuts)):
            parser.feed(chunk, float(i))
        parser.close(99.0)
    except StreamLimitExceeded as exc:
        limit = exc
    tr = parser.transcript
    assert len(tr.events) <= caps["max_events"]
    assert tr.total_bytes <= caps["max_total_bytes"]
    assert all(n <= caps["max_records"] for n in Counter(a.kind for a in tr.anomalies).values())
    if limit is not None:
        assert limit.limit == caps[limit.limit_name]
        assert limit.observed > limit.limit
        assert 0 <= limit.offset <= len(stream)
        assert parser.failed is limit
        parser.close(100.0)  # closing a failed parser is quiet
    # Whatever happened, what was dispatched is a prefix of the uncapped result.
    full = parse_bytes(stream).events
    assert [(e.data, e.raw, e.start) for e in tr.events] == [
        (e.data, e.raw, e.start) for e in full[: len(tr.events)]
    ]
