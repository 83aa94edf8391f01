"""What the strict reader remembers between chunks, and the caps that bound it.

Why a state class of its own: the parser's paths (the one-block fast path and the block runs in
:mod:`.data_blocks`, the general line interpreter in :mod:`.line_interpreter`, the chunk intake in
:mod:`.parser`) all read and update the same few fields; declaring them once here lets each path
live in its own module as a mixin over this state, with no indirection on the hot path (attribute
access on ``self``, resolved once per type by Python's method cache).
"""

from __future__ import annotations

from typing import Final

from .records import MIXED_LINE_ENDINGS, Event, StreamLimitExceeded
from .transcript import Transcript

__all__ = [
    "DEFAULT_MAX_EVENTS",
    "DEFAULT_MAX_LINE_LENGTH",
    "DEFAULT_MAX_RECORDS",
    "DEFAULT_MAX_TOTAL_BYTES",
    "TERMINATOR",
    "ReaderState",
]

DEFAULT_MAX_TOTAL_BYTES: Final = 8 * 1024 * 1024
"""8 MiB of body."""
DEFAULT_MAX_EVENTS: Final = 10_000
DEFAULT_MAX_LINE_LENGTH: Final = 1024 * 1024
"""1 MiB per line, line end excluded."""
DEFAULT_MAX_RECORDS: Final = 10_000
"""Detailed records kept per anomaly kind, and comments / empty blocks kept (counts stay exact)."""

#: The bytes of each line-end style, by the name the transcript counts it under.
TERMINATOR: Final = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}


class ReaderState:
    """The reader's fields: caps, the transcript being written, the position, the block being read.

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

    @property
    def events(self) -> list[Event]:
        """Every event dispatched so far (the transcript's list)."""
        return self._events

    @property
    def closed(self) -> bool:
        """``close()`` was called."""
        return self._closed

    def set_t0(self, t0: float) -> None:
        """Set the request start that report times are relative to."""
        self.transcript.t0 = t0
        self._t0_set = True

    @property
    def failed(self) -> StreamLimitExceeded | None:
        """The cap that stopped this parser, if any."""
        return self._failed

    def _fail(self, exc: StreamLimitExceeded) -> None:
        """Stop for good: every later ``feed`` raises ``exc`` again."""
        self._failed = exc
        raise exc

    def _note_style(self, style: str, offset: int) -> None:
        """Remember the first line-end style; record the first line end of each other style."""
        if self._style is None:
            self._style = style
        elif style not in self._mixed_seen:
            self._mixed_seen.add(style)
            self.transcript.add_anomaly(
                MIXED_LINE_ENDINGS,
                offset,
                TERMINATOR[style],
                f"first {style} line end in a stream that began with {self._style}",
            )
