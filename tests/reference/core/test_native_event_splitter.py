"""The gateway's reader of a worker's native SSE bytes: every event whole, however the bytes arrive."""

from __future__ import annotations

from llmgw_reference.worker_http import NativeEventSplitter

STREAM = (
    b'event: started\ndata: {"task_id":"t"}\n\n'
    b": keep-alive\n\n"
    b'event: token\ndata: {"t":"h\\u00e9","i":0}\n\n'
    b'event: token\ndata: {"t":"\xc3\xa9","i":1}\n\n'
    b'event: end\ndata: {"finish_reason":"stop"}\n\n'
)
EXPECTED = [
    ("started", '{"task_id":"t"}'),
    ("token", '{"t":"h\\u00e9","i":0}'),
    ("token", '{"t":"é","i":1}'),
    ("end", '{"finish_reason":"stop"}'),
]


def test_one_read_holding_every_event_yields_them_in_order() -> None:
    assert NativeEventSplitter().feed(STREAM) == EXPECTED


def test_events_split_at_every_byte_come_out_the_same() -> None:
    """Reads cut anywhere (inside a UTF-8 character, between the two newlines) lose nothing."""
    splitter = NativeEventSplitter()
    events = [event for i in range(len(STREAM)) for event in splitter.feed(STREAM[i : i + 1])]
    assert events == EXPECTED


def test_crlf_lines_multiline_data_and_unnamed_events() -> None:
    splitter = NativeEventSplitter()
    got = splitter.feed(b'event: error\r\ndata: {"a":\r\ndata: 1}\r\n\r\ndata: x\r\n')
    assert got == [("error", '{"a":\n1}')]
    assert splitter.feed(b"\r\n") == [("message", "x")]


def test_an_unfinished_event_waits_for_its_blank_line() -> None:
    splitter = NativeEventSplitter()
    assert splitter.feed(b'event: token\ndata: {"t":"a","i":0}\n') == []
    assert splitter.feed(b"\n") == [("token", '{"t":"a","i":0}')]
