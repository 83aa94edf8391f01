"""The gateway's readers of a worker's framed stream: what it forwards unread, and where it stops.

The forwarded bytes must be exactly the frames before the worker's terminal event, whole frames
only, however the reads cut them; the terminal event is found without decoding a token, even when
a token's text looks like an `event:` line; a worker that answered natively is framed the same.
"""

from __future__ import annotations

import json

from llmgw_reference.runtime.records import TokenFrame
from llmgw_reference.surfaces.chat_chunks import ChunkHeader
from llmgw_reference.worker_stream_readers import FramedReader, NativeFramer, TokenReader

FRAME = ChunkHeader("chatcmpl-1", 1700000000, "synth-small").token_frame
TEXTS = ["Hello", " wor", "ld\n\nevent: end", " \u00e9\u4e16"]


def framed(text: str, frame: TokenFrame = FRAME) -> bytes:
    return (frame.prefix + json.dumps(text, ensure_ascii=False) + frame.suffix).encode()


TOKENS = b"".join(framed(t) for t in TEXTS)
END = b'event: end\ndata: {"finish_reason":"length","tokens_out":4}\n\n'
STREAM = TOKENS + b": keep-alive\n\n" + END + b"event: token\ndata: late\n\n"


def test_the_frame_is_the_chat_content_chunk_of_the_direct_path() -> None:
    header = ChunkHeader("chatcmpl-1", 1700000000, "synth-small")
    text = "x \u00e9\n"
    assert framed(text) == ("data: " + header.content_chunk_json(text) + "\n\n").encode()


def test_one_read_forwards_every_frame_before_the_terminal_event() -> None:
    reader = FramedReader()
    assert reader.feed(STREAM) == [TOKENS + b": keep-alive\n\n"]
    assert reader.terminal == ("end", '{"finish_reason":"length","tokens_out":4}')
    assert reader.feed(b"data: more\n\n") == []


def test_reads_cut_at_every_byte_forward_the_same_bytes() -> None:
    reader = FramedReader()
    out = [blob for i in range(len(STREAM)) for blob in reader.feed(STREAM[i : i + 1])]
    assert b"".join(out) == TOKENS + b": keep-alive\n\n"
    assert all(blob.endswith(b"\n\n") for blob in out)
    assert reader.terminal is not None and reader.terminal[0] == "end"


def test_an_error_event_first_ends_the_stream_with_nothing_forwarded() -> None:
    reader = FramedReader()
    error = b'event: error\ndata: {"code":"DEADLINE_UNMET","message":"late"}\n\n'
    assert reader.feed(error + framed("after")) == []
    assert reader.terminal == ("error", '{"code":"DEADLINE_UNMET","message":"late"}')


def test_a_stream_that_breaks_off_has_no_terminal_and_keeps_its_unfinished_frame() -> None:
    reader = FramedReader()
    assert reader.feed(TOKENS + b"data: {unfinished") == [TOKENS]
    assert reader.terminal is None


def test_a_native_answer_is_framed_here_the_same() -> None:
    native = (
        b'event: started\ndata: {"task_id":"t"}\n\n'
        + b"".join(
            f"event: token\ndata: {json.dumps({'t': t, 'i': i})}\n\n".encode() for i, t in enumerate(TEXTS)
        )
        + b'event: token\ndata: {"t":"","i":4}\n\n'
        + END
    )
    framer = NativeFramer(FRAME)
    out = [blob for i in range(0, len(native), 7) for blob in framer.feed(native[i : i + 7])]
    assert b"".join(out) == TOKENS
    assert framer.terminal == ("end", '{"finish_reason":"length","tokens_out":4}')


def test_the_token_reader_stops_at_the_terminal_event() -> None:
    reader = TokenReader()
    after = b'event: token\ndata: {"t":"b","i":1}\n\n'
    tokens = reader.feed(b'event: token\ndata: {"t":"a","i":0}\n\n' + END + after)
    assert [(t.index, t.text) for t in tokens] == [(0, "a")]
    assert reader.terminal is not None and reader.feed(b'event: token\ndata: {"t":"c","i":2}\n\n') == []
