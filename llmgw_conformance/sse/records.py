"""Record types produced by the strict SSE reader.

Everything here is plain data: the parser creates these objects, the transcript keeps them, the report
renders them. Offsets are byte offsets into the HTTP response body (0 = first body byte, the BOM included
when there is one); ``end`` offsets are inclusive (the offset of the last byte). Times are the arrival
times the caller passed with each chunk (monotonic seconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# -- anomaly kinds (exact strings; a report keys on them) ---------------------------------------------
BOM: Final = "bom"
"""The stream starts with a UTF-8 byte order mark (legal; stripped once, as the spec says)."""
INVALID_UTF8: Final = "invalid_utf8"
"""Bytes that are not UTF-8; decoded with U+FFFD replacement. ``raw`` is the offending sequence."""
MIXED_LINE_ENDINGS: Final = "mixed_line_endings"
"""A line end in a style (LF, CRLF, CR) other than the first one seen (legal). Once per new style."""
NUL_BYTE: Final = "nul_byte"
"""A line containing NUL. ``offset`` is the first NUL, ``raw`` the whole line."""
UNKNOWN_FIELD: Final = "unknown_field"
"""A field other than event/data/id/retry, e.g. llama.cpp's ``error:``. Ignored by the spec."""
DATA_NO_SPACE: Final = "data_no_space"
"""``data:value`` without the space after the colon (legal; some clients mishandle it)."""
COMMENT: Final = "comment"
"""A comment line (``:`` first), usually a keep-alive (legal)."""
EMPTY_DATA: Final = "empty_data"
"""A dispatched event whose data is the empty string (legal SSE; ``json.loads("")`` in clients fails)."""
NO_DATA_BLOCK: Final = "no_data_block"
"""A block with fields (event/id/retry/unknown) but no data field: the spec dispatches nothing."""
IGNORED_ID: Final = "ignored_id"
"""An ``id`` field whose value contains NUL: ignored by the spec."""
IGNORED_RETRY: Final = "ignored_retry"
"""A ``retry`` field whose value is not ASCII digits only: ignored by the spec."""
UNTERMINATED_BLOCK: Final = "unterminated_block"
"""The server ended the stream cleanly inside a block (no blank line after it): never dispatched."""

ANOMALY_KINDS: Final = (
    BOM,
    INVALID_UTF8,
    MIXED_LINE_ENDINGS,
    NUL_BYTE,
    UNKNOWN_FIELD,
    DATA_NO_SPACE,
    COMMENT,
    EMPTY_DATA,
    NO_DATA_BLOCK,
    IGNORED_ID,
    IGNORED_RETRY,
    UNTERMINATED_BLOCK,
)

# -- block kinds ------------------------------------------------------------------------------------------
EMPTY_BLOCK: Final = "empty_block"
"""A block ended by a blank line that had no data field (comments only, a stray blank line, ...)."""
BLOCK_KINDS: Final = (EMPTY_BLOCK, UNTERMINATED_BLOCK)

# -- termination kinds ------------------------------------------------------------------------------------
EOF: Final = "eof"
IDLE_TIMEOUT: Final = "idle_timeout"
TOTAL_TIMEOUT: Final = "total_timeout"
LIMIT_EXCEEDED: Final = "limit_exceeded"
CONNECTION_ERROR: Final = "connection_error"
CLOSED_BY_CLIENT: Final = "closed_by_client"
TERMINATIONS: Final = (EOF, IDLE_TIMEOUT, TOTAL_TIMEOUT, LIMIT_EXCEEDED, CONNECTION_ERROR, CLOSED_BY_CLIENT)

# -- limit names ------------------------------------------------------------------------------------------
MAX_TOTAL_BYTES: Final = "max_total_bytes"
MAX_EVENTS: Final = "max_events"
MAX_LINE_LENGTH: Final = "max_line_length"
LIMIT_NAMES: Final = (MAX_TOTAL_BYTES, MAX_EVENTS, MAX_LINE_LENGTH)


class StreamLimitExceeded(Exception):
    """A cap protecting the suite from a hostile target was exceeded.

    ``limit_name`` is one of :data:`LIMIT_NAMES`, ``limit`` the configured cap, ``observed`` the value that
    broke it (bytes received, events dispatched, line length so far) and ``offset`` the stream byte offset
    where it was detected (start of the line, start of the block, first byte over the budget).
    """

    def __init__(self, limit_name: str, limit: int, observed: int, offset: int) -> None:
        super().__init__(f"{limit_name} exceeded: limit {limit}, observed {observed} at byte offset {offset}")
        self.limit_name = limit_name
        self.limit = limit
        self.observed = observed
        self.offset = offset

    def to_json(self) -> dict[str, object]:
        return {
            "limit_name": self.limit_name,
            "limit": self.limit,
            "observed": self.observed,
            "offset": self.offset,
        }


@dataclass(slots=True, eq=True)
class Event:
    """One dispatched event.

    ``id`` is the value of a (valid) ``id`` field inside this block, or None; ``last_event_id`` is the
    spec's last-event-ID buffer at dispatch time (it persists across events). ``retry`` is the value of a
    valid ``retry`` field in this block, or None. ``raw`` is the block exactly as received, from its first
    line through the blank line that dispatched it, line ends included. ``unknown_fields`` lists the names
    of non-standard fields in the block, in order.
    """

    index: int
    event: str
    data: str
    id: str | None
    last_event_id: str
    retry: int | None
    raw: bytes
    start: int
    end: int
    t_first: float
    t_last: float
    unknown_fields: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Comment:
    """A comment line; ``text`` is everything after the colon (no space stripped); ``raw`` the line."""

    offset: int
    text: str
    raw: bytes
    t: float


@dataclass(slots=True, frozen=True)
class Block:
    """A block that dispatched no event: ``kind`` is ``empty_block`` or ``unterminated_block``."""

    kind: str
    raw: bytes
    start: int
    end: int
    t_first: float
    t_last: float
    unknown_fields: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Anomaly:
    """Something worth reporting. ``raw`` holds the offending bytes; ``detail`` a short explanation."""

    kind: str
    offset: int
    raw: bytes
    detail: str = ""


@dataclass(slots=True, frozen=True)
class Chunk:
    """One chunk as received: its first byte's offset, arrival time and bytes."""

    offset: int
    t: float
    data: bytes
