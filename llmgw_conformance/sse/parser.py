"""The incremental, byte-level SSE parser (WHATWG "event stream interpretation", strictly).

Feed it body bytes as they arrive, in chunks split anywhere, with each chunk's arrival time::

    p = SSEParser()
    for chunk, t in chunks:
        for event in p.feed(chunk, t):
            ...
    p.close(t_end)          # end of stream: the trailing incomplete block is recorded, never dispatched
    p.transcript            # every chunk, event, comment, empty block and anomaly, in order

How the spec is applied:

* Lines end in CRLF, LF or CR; a CR that is the last byte received so far is held until the next byte
  shows whether an LF follows (so a CRLF split across two chunks is one line end). The only visible
  effect: with CR-only line ends, a block's dispatch waits for the next chunk or ``close()``.
* A UTF-8 BOM at the very start is stripped once (and recorded). A later BOM is data like any other.
* ``:`` first on a line: a comment (recorded, not an event). Otherwise ``name:value`` with at most one
  space after the colon removed; a line without a colon is a field with an empty value.
* ``data`` lines are joined with ``\\n``; ``event`` sets the type (default ``message``); ``id`` is ignored
  if it contains NUL, otherwise it sets the last-event-ID buffer, which persists across events; ``retry``
  counts only if it is ASCII digits; any other field is ignored (and recorded).
* A blank line dispatches the block; a block without a ``data`` field dispatches nothing (recorded as an
  ``empty_block``). At end of stream, an incomplete block is not dispatched (``unterminated_block``).
* Text is UTF-8, decoded with U+FFFD replacement; invalid bytes are recorded with their offsets.

Caps for hostile targets (``max_total_bytes``, ``max_events``, ``max_line_length``) raise
:class:`~conformance.sse.records.StreamLimitExceeded`; the transcript keeps everything parsed up to
that point and the parser refuses further input.
"""

from __future__ import annotations

from typing import Final

from .byte_evidence import record_bad_bytes
from .data_blocks import DataBlockReader
from .line_interpreter import LineInterpreter
from .records import (
    BOM,
    EOF,
    MAX_LINE_LENGTH,
    MAX_TOTAL_BYTES,
    UNTERMINATED_BLOCK,
    Block,
    Event,
    StreamLimitExceeded,
)
from .transcript import Transcript

_UTF8_BOM: Final = b"\xef\xbb\xbf"


class SSEParser(LineInterpreter, DataBlockReader):
    """Strict incremental SSE parser. See the module docstring for the rules it applies.

    The constructor (:class:`~.reader_state.ReaderState`) takes the caps ``max_total_bytes``,
    ``max_events``, ``max_line_length``, ``max_records`` and ``t0``, the request start used for
    relative times in reports (default: the first chunk's time). Chunk intake and the end of the
    stream are here; the paths that interpret complete lines are the mixins' (:mod:`.data_blocks`,
    :mod:`.line_interpreter`).
    """

    def feed(self, chunk: bytes, t: float) -> list[Event]:
        """Take the next chunk (arrived at ``t``); return the events it completed.

        Raises :class:`StreamLimitExceeded` when a cap is exceeded (events completed before that point
        are in ``transcript.events``), and on every later call.
        """
        if self._failed is not None:
            raise self._failed
        if self._closed:
            raise RuntimeError("SSEParser.feed() after close()")
        n = len(chunk)
        if not n:
            return []
        stream = self._stream
        start = len(stream)
        if (
            n > 8
            and chunk[-1] == 10
            and chunk[-2] == 10
            and chunk[:6] == b"data: "
            and start == self._pos
            and self._bstart < 0
            and self._style == "lf"
            and n <= self.max_line_length
            and n <= self.max_total_bytes - start
            and len(self._events) < self.max_events
        ):
            # Fastest path: the chunk is exactly one ``data: X\n\n`` block with nothing pending, in a
            # stream already known to use LF (a server flushing one event per write). Same records as
            # _data_blocks would make, without its general bookkeeping. Byte membership is tested
            # with ints: ``13 in b`` is one memchr, ``b"\r" in b`` a general search (10x slower).
            body = chunk[6:-2]
            if 10 not in body and 13 not in body and 0 not in body:
                tr = self.transcript
                tr.chunk_offsets.append(start)
                tr.chunk_times.append(t)
                stream += chunk
                self._cur_off = start
                self._cur_t = t
                self._pos = start + n
                if not body.isascii():
                    record_bad_bytes(tr, chunk, start)
                tr.line_endings["lf"] += 2
                events = self._events
                ev = Event(
                    len(events), "message", body.decode("utf-8", "replace"), None, self._last_id, None,
                    chunk, start, start + n - 1, t, t,
                )  # fmt: skip
                events.append(ev)
                return [ev]
        return self._feed_any(chunk, t, start, n)

    def _feed_any(self, chunk: bytes, t: float, start: int, n: int) -> list[Event]:
        """:meth:`feed` for every chunk that is not exactly one plain data block: whole LF lines
        (the data-blocks fast path, else the line interpreter), or anything else (split lines, CR,
        caps, the BOM question), through :meth:`_process`."""
        stream = self._stream
        if (
            start == self._pos
            and self._started
            and chunk[-1] == 10
            and n <= self.max_total_bytes - start
            and 13 not in chunk
        ):
            # Fast path: nothing pending and the chunk is whole LF-terminated lines (the usual case).
            self.transcript.chunk_offsets.append(start)
            self.transcript.chunk_times.append(t)
            stream += chunk
            self._cur_off = start
            self._cur_t = t
            self._pos = start + n
            if self._bstart < 0 and n > 8 and chunk[-2] == 10:
                fast = self._data_blocks(chunk, start)
                if fast is not None:
                    return fast
            return self._lines(chunk, start)
        if not self._t0_set:
            self.transcript.t0 = t
            self._t0_set = True
        over = n > self.max_total_bytes - start
        if over:
            chunk = chunk[: self.max_total_bytes - start]
        if chunk:
            self.transcript.chunk_offsets.append(start)
            self.transcript.chunk_times.append(t)
            stream += chunk
            self._cur_off = start
            self._cur_t = t
            if (
                self._started
                and 10 not in chunk
                and 13 not in chunk
                and (start == self._pos or stream[start - 1] != 13)
            ):
                # No line end completed: only the pending line grew.
                if len(stream) - self._pos > self.max_line_length:
                    self._fail(
                        StreamLimitExceeded(
                            MAX_LINE_LENGTH, self.max_line_length, len(stream) - self._pos, self._pos
                        )
                    )
                events: list[Event] = []
            else:
                events = self._process(final=False)
        else:
            events = []
        if over:
            self._fail(
                StreamLimitExceeded(MAX_TOTAL_BYTES, self.max_total_bytes, start + n, self.max_total_bytes)
            )
        return events

    def close(self, t: float, *, eof: bool = True) -> list[Event]:
        """End of input at ``t``. Returns an event completed by a held final CR, if any.

        The incomplete trailing block (if any) is recorded as an ``unterminated_block`` block; when
        ``eof`` (the server ended the stream) it is also an ``unterminated_block`` anomaly, and the
        transcript's termination becomes ``eof`` unless already set. Pass ``eof=False`` when the client
        stopped reading (timeout, early stop, error). Idempotent; never raises after a failed parse.
        """
        if self._closed:
            return []
        self._closed = True
        tr = self.transcript
        tr.closed = True
        tr.t_end = t
        if self._failed is not None:
            return []
        events = self._process(final=True)
        stream = self._stream
        total = len(stream)
        tail = self._pos
        if tail < total:
            rest = bytes(stream[tail:total])
            record_bad_bytes(tr, rest, tail)
            if self._bstart < 0:
                self._bstart = tail
        if self._bstart >= 0:
            start = self._bstart
            raw = bytes(stream[start:total])
            tr.blocks.append(
                Block(
                    UNTERMINATED_BLOCK,
                    raw,
                    start,
                    total - 1,
                    tr.time_at(start),
                    tr.time_at(total - 1),
                    tuple(self._unknown),
                )
            )
            if eof:
                tr.add_anomaly(UNTERMINATED_BLOCK, start, raw, "stream ended without a blank line")
        if eof and tr.termination is None:
            tr.termination = EOF
        return events

    def _process(self, final: bool) -> list[Event]:
        """Split the complete lines received so far and interpret them."""
        stream = self._stream
        total = len(stream)
        pos = self._pos
        if not self._started:
            if not final and total < 3 and _UTF8_BOM.startswith(stream):
                return []  # maybe a BOM, not enough bytes yet
            self._started = True
            if stream[:3] == _UTF8_BOM:
                self.transcript.bom = True
                self.transcript.add_anomaly(BOM, 0, _UTF8_BOM, "UTF-8 BOM at stream start (stripped)")
                pos = self._pos = 3
        cut = total
        if not final and cut > pos and stream[cut - 1] == 13:
            cut -= 1  # a CR at the very end: wait to see whether LF follows
        end = max(stream.rfind(b"\n", pos, cut), stream.rfind(b"\r", pos, cut)) + 1
        events: list[Event] = []
        if end > pos:
            self._pos = end
            region = bytes(stream[pos:end])
            split = region.rfind(b"\n\n") + 2 if self._bstart < 0 and 13 not in region else 0
            if split > 8:
                # Complete blocks first (fast path when they are plain data blocks), then the rest.
                head = region[:split] if split < len(region) else region
                fast = self._data_blocks(head, pos)
                if fast is not None:
                    events = fast
                    if split < len(region):
                        events += self._lines(region[split:], pos + split)
                else:
                    events = self._lines(region, pos)
            else:
                events = self._lines(region, pos)
        if cut - self._pos > self.max_line_length:
            self._fail(StreamLimitExceeded(MAX_LINE_LENGTH, self.max_line_length, cut - self._pos, self._pos))
        return events


def parse_bytes(data: bytes, t: float = 0.0, **options: int) -> Transcript:
    """Parse a complete stream given as one byte string; returns the closed transcript.

    ``options`` are :class:`SSEParser` caps; a cap exceeded raises :class:`StreamLimitExceeded`.
    """
    parser = SSEParser(t0=t, **options)
    parser.feed(data, t)
    parser.close(t)
    return parser.transcript
