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

import re
from itertools import accumulate, count, repeat
from typing import Final

from .records import (
    BOM,
    COMMENT,
    DATA_NO_SPACE,
    EMPTY_BLOCK,
    EMPTY_DATA,
    EOF,
    IGNORED_ID,
    IGNORED_RETRY,
    INVALID_UTF8,
    MAX_EVENTS,
    MAX_LINE_LENGTH,
    MAX_TOTAL_BYTES,
    MIXED_LINE_ENDINGS,
    NO_DATA_BLOCK,
    NUL_BYTE,
    UNKNOWN_FIELD,
    UNTERMINATED_BLOCK,
    Block,
    Comment,
    Event,
    StreamLimitExceeded,
)
from .transcript import Transcript

__all__ = [
    "DEFAULT_MAX_EVENTS",
    "DEFAULT_MAX_LINE_LENGTH",
    "DEFAULT_MAX_RECORDS",
    "DEFAULT_MAX_TOTAL_BYTES",
    "SSEParser",
    "parse_bytes",
]

DEFAULT_MAX_TOTAL_BYTES: Final = 8 * 1024 * 1024
"""8 MiB of body."""
DEFAULT_MAX_EVENTS: Final = 10_000
DEFAULT_MAX_LINE_LENGTH: Final = 1024 * 1024
"""1 MiB per line, line end excluded."""
DEFAULT_MAX_RECORDS: Final = 10_000
"""Detailed records kept per anomaly kind, and comments / empty blocks kept (counts stay exact)."""

_UTF8_BOM: Final = b"\xef\xbb\xbf"
_EOL_RE: Final = re.compile(rb"\r\n|\r|\n")
_LINE_RE: Final = re.compile(rb"[^\r\n]+")
_ESCAPED_RE: Final = re.compile("[\udc80-\udcff]+")
_STYLE: Final = {b"\n": "lf", b"\r\n": "crlf", b"\r": "cr"}
_TERMINATOR: Final = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}


class SSEParser:
    """Strict incremental SSE parser. See the module docstring for the rules it applies.

    ``t0`` is the request start used for relative times in reports (default: the first chunk's time).
    ``max_records`` bounds the detailed anomaly records kept per kind and the comment / empty-block
    records kept; counts stay exact.
    """

    def __init__(
        self,
        *,
        max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
        max_events: int = DEFAULT_MAX_EVENTS,
        max_line_length: int = DEFAULT_MAX_LINE_LENGTH,
        max_records: int = DEFAULT_MAX_RECORDS,
        t0: float | None = None,
    ) -> None:
        self.max_total_bytes = max_total_bytes
        self.max_events = max_events
        self.max_line_length = max_line_length
        self.transcript = Transcript(t0=0.0 if t0 is None else t0, max_records=max_records)
        self._t0_set = t0 is not None
        self._stream = self.transcript.stream
        self._events = self.transcript.events
        self._pos = 0  # stream offset of the first byte not yet split into lines
        self._started = False  # BOM question settled
        self._cur_off = 0  # offset and arrival time of the latest chunk
        self._cur_t = 0.0
        self._failed: StreamLimitExceeded | None = None
        self._closed = False
        self._style: str | None = None  # first line-end style seen
        self._mixed_seen: set[str] = set()
        # The block being read.
        self._bstart = -1
        self._data: list[bytes] = []
        self._etype = ""
        self._bid: str | None = None
        self._bretry: int | None = None
        self._unknown: list[str] = []
        self._fields = False  # a non-comment, non-"data: " line was seen
        self._last_id = ""

    # -- public API -------------------------------------------------------------------------------------

    @property
    def events(self) -> list[Event]:
        return self._events

    @property
    def closed(self) -> bool:
        return self._closed

    def set_t0(self, t0: float) -> None:
        """Set the request start that report times are relative to."""
        self.transcript.t0 = t0
        self._t0_set = True

    @property
    def failed(self) -> StreamLimitExceeded | None:
        """The cap that stopped this parser, if any."""
        return self._failed

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
            and chunk[:6] == b"data: "
            and chunk.find(b"\n") == n - 2
            and chunk[-1] == 10
            and start == self._pos
            and self._bstart < 0
            and self._style == "lf"
            and b"\r" not in chunk
            and b"\0" not in chunk
            and n <= self.max_line_length
            and n <= self.max_total_bytes - start
            and len(self._events) < self.max_events
        ):
            # Fastest path: the chunk is exactly one ``data: X\n\n`` block with nothing pending, in a
            # stream already known to use LF (a server flushing one event per write). Same records as
            # _data_blocks would make, without its general bookkeeping.
            tr = self.transcript
            tr.chunk_offsets.append(start)
            tr.chunk_times.append(t)
            stream += chunk
            self._cur_off = start
            self._cur_t = t
            self._pos = start + n
            if not chunk.isascii():
                self._check_bytes(chunk, start)
            tr.line_endings["lf"] += 2
            ev = Event(
                len(self._events),
                "message",
                chunk[6:-2].decode("utf-8", "replace"),
                None,
                self._last_id,
                None,
                chunk,
                start,
                start + n - 1,
                t,
                t,
            )
            self._events.append(ev)
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
            and b"\r" not in chunk
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
                and b"\n" not in chunk
                and b"\r" not in chunk
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
            self._check_bytes(rest, tail)
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

    # -- internals --------------------------------------------------------------------------------------

    def _fail(self, exc: StreamLimitExceeded) -> None:
        self._failed = exc
        raise exc

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
            split = region.rfind(b"\n\n") + 2 if self._bstart < 0 and b"\r" not in region else 0
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

    def _check_bytes(self, region: bytes, base: int) -> None:
        """Record NUL bytes and invalid UTF-8 in ``region`` (which starts at stream offset ``base``)."""
        tr = self.transcript
        if b"\0" in region:
            for m in _LINE_RE.finditer(region):
                line = m.group()
                i = line.find(b"\0")
                if i >= 0:
                    tr.add_anomaly(NUL_BYTE, base + m.start() + i, line, "NUL byte in line")
        if not region.isascii():
            try:
                region.decode("utf-8")
            except UnicodeDecodeError:
                text = region.decode("utf-8", "surrogateescape")
                boff = 0
                last = 0
                for bad_run in _ESCAPED_RE.finditer(text):
                    boff += len(text[last : bad_run.start()].encode("utf-8"))
                    bad = bad_run.group().encode("utf-8", "surrogateescape")
                    tr.add_anomaly(INVALID_UTF8, base + boff, bad, "not UTF-8 (decoded as U+FFFD)")
                    boff += len(bad)
                    last = bad_run.end()

    def _data_blocks(self, region: bytes, base: int) -> list[Event] | None:
        """Fast path for a region made only of ``data: X\\n\\n`` blocks (one data line each, LF line
        ends, X not empty, no NUL), starting with no block pending: the shape of nearly every chunk an
        LLM gateway sends. The caller has checked: no CR, ends with two LFs, longer than 8 bytes, no block
        pending. Returns None (having changed nothing) when the region has any other shape; the general
        path then handles it. Validation uses only C-level scans."""
        n = len(region)
        if region[:6] != b"data: " or b"\0" in region or n > self.max_line_length:
            return None
        events = self._events
        index = len(events)
        first_lf = region.find(b"\n")
        if first_lf == n - 2:  # exactly one block
            if first_lf == 6 or index >= self.max_events:
                return None
            pieces = None
            k = 1
        else:
            # Every LF pair must be followed by "data: " (save the last) and no LF may stand alone.
            k = region.count(b"\n\n")
            if (
                region.count(b"\n") != 2 * k
                or region.count(b"\n\ndata: ") != k - 1
                or b"data: \n" in region
                or index + k > self.max_events
            ):
                return None
            pieces = region[:-2].split(b"\n\n")
        tr = self.transcript
        if not region.isascii():
            self._check_bytes(region, base)
        tr.line_endings["lf"] += 2 * k
        if self._style != "lf":
            self._note_style("lf", base + first_lf)
        last_id = self._last_id
        t = self._cur_t
        # Only the first block can have begun in an earlier chunk (as a then incomplete line).
        t_first = t if base >= self._cur_off else tr.time_at(base)
        if pieces is None:
            ev = Event(
                index,
                "message",
                region[6:-2].decode("utf-8", "replace"),
                None,
                last_id,
                None,
                region,
                base,
                base + n - 1,
                t_first,
                t,
            )
            events.append(ev)
            return [ev]
        # Block k spans [starts[k], starts[k + 1]) of the region; built in one comprehension.
        starts = [0, *accumulate(len(p) + 2 for p in pieces)]
        out = [
            Event(
                i,
                "message",
                p[6:].decode("utf-8", "replace"),
                None,
                last_id,
                None,
                region[a:b],
                base + a,
                base + b - 1,
                t,
                t,
            )
            for i, p, a, b in zip(count(index), pieces, starts, starts[1:], strict=False)
        ]
        if t_first != t:
            out[0].t_first = t_first
        events.extend(out)
        return out

    def _lines(self, region: bytes, base: int) -> list[Event]:
        """Interpret ``region`` (complete lines, line ends included) starting at stream offset ``base``."""
        tr = self.transcript
        # Split into lines; the common cases (one line-end style) stay on C-speed split().
        eol_list: list[bytes] | None = None
        if b"\r" not in region:
            lines = region.split(b"\n")
            style = "lf"
        elif b"\n" not in region:
            lines = region.split(b"\r")
            style = "cr"
        elif region.count(b"\r\n") == region.count(b"\r") == region.count(b"\n"):
            lines = region.split(b"\r\n")
            style = "crlf"
        else:
            style = ""
            lines = []
            eol_list = []
            last = 0
            for m in _EOL_RE.finditer(region):
                lines.append(region[last : m.start()])
                eol_list.append(m.group())
                last = m.end()
        if eol_list is None:
            lines.pop()  # the empty piece after the final line end
            tr.line_endings[style] += len(lines)
            if style != self._style:
                self._note_style(style, base + len(lines[0]))
            eols: repeat[int] | list[int] = repeat(len(_TERMINATOR[style]))
        else:
            eols = []
            off = base
            for line, term in zip(lines, eol_list, strict=True):
                st = _STYLE[term]
                tr.line_endings[st] += 1
                off += len(line)
                if st != self._style:
                    self._note_style(st, off)
                off += len(term)
                eols.append(len(term))

        if b"\0" in region or not region.isascii():
            self._check_bytes(region, base)

        limit_exc: StreamLimitExceeded | None = None
        if len(region) > self.max_line_length and max(map(len, lines)) > self.max_line_length:
            off = base
            for k, (line, el) in enumerate(zip(lines, eols, strict=False)):
                if len(line) > self.max_line_length:
                    limit_exc = StreamLimitExceeded(MAX_LINE_LENGTH, self.max_line_length, len(line), off)
                    del lines[k:]
                    break
                off += len(line) + el

        events: list[Event] = []
        all_events = self._events
        data = self._data
        bstart = self._bstart
        pos = base
        cur_off = self._cur_off
        cur_t = self._cur_t
        for line, el in zip(lines, eols, strict=False):  # eols may be an endless repeat()
            nxt = pos + len(line) + el
            if line:
                if bstart < 0:
                    bstart = pos
                if line[:6] == b"data: ":
                    data.append(line[6:])
                elif line[0] == 58:  # ':'
                    self._comment(line, pos)
                else:
                    self._field(line, pos)
                pos = nxt
                continue
            # A blank line: dispatch the block.
            if bstart < 0:
                bstart = pos
            last = nxt - 1
            raw = region[bstart - base : nxt - base] if bstart >= base else bytes(self._stream[bstart:nxt])
            t_first = cur_t if bstart >= cur_off else tr.time_at(bstart)
            t_last = cur_t if last >= cur_off else tr.time_at(last)
            if data:
                index = len(all_events)
                if index >= self.max_events:
                    self._bstart = bstart
                    self._fail(StreamLimitExceeded(MAX_EVENTS, self.max_events, index + 1, bstart))
                text = (data[0] if len(data) == 1 else b"\n".join(data)).decode("utf-8", "replace")
                ev = Event(
                    index,
                    self._etype or "message",
                    text,
                    self._bid,
                    self._last_id,
                    self._bretry,
                    raw,
                    bstart,
                    last,
                    t_first,
                    t_last,
                    tuple(self._unknown) if self._unknown else (),
                )
                all_events.append(ev)
                events.append(ev)
                if not text:
                    tr.add_anomaly(EMPTY_DATA, bstart, raw, "event with empty data")
                data = self._data = []
            else:
                if self._fields:
                    tr.add_anomaly(NO_DATA_BLOCK, bstart, raw, "block without a data field: not dispatched")
                tr.empty_block_count += 1
                if len(tr.blocks) < tr.max_records:
                    tr.blocks.append(
                        Block(EMPTY_BLOCK, raw, bstart, last, t_first, t_last, tuple(self._unknown))
                    )
            if self._etype:
                self._etype = ""
            if self._fields:
                self._fields = False
                self._bid = None
                self._bretry = None
                self._unknown = []
            bstart = -1
            pos = nxt
        self._bstart = bstart
        if limit_exc is not None:
            self._fail(limit_exc)
        return events

    def _note_style(self, style: str, offset: int) -> None:
        if self._style is None:
            self._style = style
        elif style not in self._mixed_seen:
            self._mixed_seen.add(style)
            self.transcript.add_anomaly(
                MIXED_LINE_ENDINGS,
                offset,
                _TERMINATOR[style],
                f"first {style} line end in a stream that began with {self._style}",
            )

    def _comment(self, line: bytes, pos: int) -> None:
        tr = self.transcript
        tr.comment_count += 1
        if len(tr.comments) < tr.max_records:
            tr.comments.append(Comment(pos, line[1:].decode("utf-8", "replace"), line, tr.time_at(pos)))
        tr.add_anomaly(COMMENT, pos, line)

    def _field(self, line: bytes, pos: int) -> None:
        tr = self.transcript
        self._fields = True
        colon = line.find(b":")
        if colon < 0:
            name = line
            value = b""
        else:
            name = line[:colon]
            value = line[colon + 1 :]
            if value[:1] == b" ":
                value = value[1:]
            elif value and name == b"data":
                tr.add_anomaly(DATA_NO_SPACE, pos, line, "no space after 'data:'")
        if name == b"data":
            self._data.append(value)
        elif name == b"event":
            self._etype = value.decode("utf-8", "replace")
        elif name == b"id":
            if b"\0" in value:
                tr.add_anomaly(IGNORED_ID, pos, line, "id contains NUL: ignored")
            else:
                self._bid = self._last_id = tr.last_event_id = value.decode("utf-8", "replace")
        elif name == b"retry":
            retry: int | None = None
            if value.isdigit():
                try:
                    retry = int(value)
                except ValueError:  # more digits than int() accepts
                    retry = None
            if retry is None:
                tr.add_anomaly(IGNORED_RETRY, pos, line, "retry is not ASCII digits only: ignored")
            else:
                self._bretry = tr.reconnection_time = retry
        else:
            fname = name.decode("utf-8", "replace")
            self._unknown.append(fname)
            tr.add_anomaly(UNKNOWN_FIELD, pos, line, f"non-standard field {fname!r} (ignored by the spec)")


def parse_bytes(data: bytes, t: float = 0.0, **options: int) -> Transcript:
    """Parse a complete stream given as one byte string; returns the closed transcript.

    ``options`` are :class:`SSEParser` caps; a cap exceeded raises :class:`StreamLimitExceeded`.
    """
    parser = SSEParser(t0=t, **options)
    parser.feed(data, t)
    parser.close(t)
    return parser.transcript
