"""The reader's general path: complete lines, one at a time, as the WHATWG rules say.

Everything that is not a run of plain data blocks comes here: ``event``/``id``/``retry`` fields,
comments, unknown fields, ``data:`` without its space, multi-line data, blocks without data, CR and
CRLF line ends (mixed included), lines over the cap. Splitting stays on C-level ``split()`` for the
usual single-style region; only a region mixing line-end styles is split by a regular expression.
Each dispatched block becomes an :class:`~.records.Event` with its raw bytes, offsets and times; a
block without data is recorded as an ``empty_block``.
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import Final

from .byte_evidence import record_bad_bytes
from .reader_state import TERMINATOR, ReaderState
from .records import (
    COMMENT,
    DATA_NO_SPACE,
    EMPTY_BLOCK,
    EMPTY_DATA,
    IGNORED_ID,
    IGNORED_RETRY,
    MAX_EVENTS,
    MAX_LINE_LENGTH,
    NO_DATA_BLOCK,
    UNKNOWN_FIELD,
    Block,
    Comment,
    Event,
    StreamLimitExceeded,
)

__all__ = ["LineInterpreter"]

_EOL_RE: Final = re.compile(rb"\r\n|\r|\n")
_STYLE: Final = {b"\n": "lf", b"\r\n": "crlf", b"\r": "cr"}


class LineInterpreter(ReaderState):
    """The line-by-line interpreter, as a mixin of :class:`~.parser.SSEParser`."""

    def _lines(self, region: bytes, base: int) -> list[Event]:
        """Interpret ``region`` (complete lines, line ends included) starting at stream offset ``base``."""
        lines, eols = self._split_lines(region, base)
        if 0 in region or not region.isascii():
            record_bad_bytes(self.transcript, region, base)
        limit_exc: StreamLimitExceeded | None = None
        if len(region) > self.max_line_length and max(map(len, lines)) > self.max_line_length:
            limit_exc = self._cut_at_long_line(lines, eols, base)
        events: list[Event] = []
        tr = self.transcript
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
            # A blank line: dispatch the block (inline: this runs once per event on this path).
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
                unknown = tuple(self._unknown) if self._unknown else ()
                ev = Event(
                    index, self._etype or "message", text, self._bid, self._last_id, self._bretry,
                    raw, bstart, last, t_first, t_last, unknown,
                )  # fmt: skip
                all_events.append(ev)
                events.append(ev)
                if not text:
                    tr.add_anomaly(EMPTY_DATA, bstart, raw, "event with empty data")
                data = self._data = []
            else:
                self._empty_block(raw, bstart, last, t_first, t_last)
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

    def _split_lines(self, region: bytes, base: int) -> tuple[list[bytes], repeat[int] | list[int]]:
        """The lines of ``region`` and the length of each one's line end; counts the line ends by
        style and notes a style other than the stream's first."""
        tr = self.transcript
        if 13 not in region:
            style = "lf"
            lines = region.split(b"\n")
        elif 10 not in region:
            style = "cr"
            lines = region.split(b"\r")
        elif region.count(b"\r\n") == region.count(b"\r") == region.count(b"\n"):
            style = "crlf"
            lines = region.split(b"\r\n")
        else:
            return self._split_mixed(region, base)
        lines.pop()  # the empty piece after the final line end
        tr.line_endings[style] += len(lines)
        if style != self._style:
            self._note_style(style, base + len(lines[0]))
        return lines, repeat(len(TERMINATOR[style]))

    def _split_mixed(self, region: bytes, base: int) -> tuple[list[bytes], list[int]]:
        """:meth:`_split_lines` for a region that mixes line-end styles."""
        tr = self.transcript
        lines: list[bytes] = []
        eols: list[int] = []
        last = 0
        off = base
        for m in _EOL_RE.finditer(region):
            line = region[last : m.start()]
            term = m.group()
            st = _STYLE[term]
            tr.line_endings[st] += 1
            off += len(line)
            if st != self._style:
                self._note_style(st, off)
            off += len(term)
            lines.append(line)
            eols.append(len(term))
            last = m.end()
        return lines, eols

    def _cut_at_long_line(
        self, lines: list[bytes], eols: repeat[int] | list[int], base: int
    ) -> StreamLimitExceeded | None:
        """Drop the first line over the cap and everything after it; the cap's error, raised once the
        lines before it are interpreted."""
        off = base
        for k, (line, el) in enumerate(zip(lines, eols, strict=False)):
            if len(line) > self.max_line_length:
                del lines[k:]
                return StreamLimitExceeded(MAX_LINE_LENGTH, self.max_line_length, len(line), off)
            off += len(line) + el
        return None

    def _empty_block(self, raw: bytes, bstart: int, last: int, t_first: float, t_last: float) -> None:
        """A block without data dispatches nothing: recorded (and an anomaly if it had fields)."""
        tr = self.transcript
        if self._fields:
            tr.add_anomaly(NO_DATA_BLOCK, bstart, raw, "block without a data field: not dispatched")
        tr.empty_block_count += 1
        if len(tr.blocks) < tr.max_records:
            tr.blocks.append(Block(EMPTY_BLOCK, raw, bstart, last, t_first, t_last, tuple(self._unknown)))

    def _comment(self, line: bytes, pos: int) -> None:
        tr = self.transcript
        tr.comment_count += 1
        if len(tr.comments) < tr.max_records:
            tr.comments.append(Comment(pos, line[1:].decode("utf-8", "replace"), line, tr.time_at(pos)))
        tr.add_anomaly(COMMENT, pos, line)

    def _field(self, line: bytes, pos: int) -> None:
        """A non-comment line other than ``data: X``: ``name:value`` (one space after the colon
        dropped), or a name alone with an empty value."""
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
            if 0 in value:
                tr.add_anomaly(IGNORED_ID, pos, line, "id contains NUL: ignored")
            else:
                self._bid = self._last_id = tr.last_event_id = value.decode("utf-8", "replace")
        elif name == b"retry":
            self._retry(line, value, pos)
        else:
            fname = name.decode("utf-8", "replace")
            self._unknown.append(fname)
            tr.add_anomaly(UNKNOWN_FIELD, pos, line, f"non-standard field {fname!r} (ignored by the spec)")

    def _retry(self, line: bytes, value: bytes, pos: int) -> None:
        """``retry`` counts only if it is ASCII digits (and fits an int)."""
        tr = self.transcript
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
