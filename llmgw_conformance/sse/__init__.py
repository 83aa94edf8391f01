"""Strict, byte-level Server-Sent Events reader for judging gateway streams.

Why our own reader and not httpx-sse: httpx-sse is lenient by design, which is right for a client and
wrong for a judge. It dispatches blocks that have no ``data`` field as events with empty data (the spec
dispatches nothing), it loses the first event of a stream that starts with a UTF-8 BOM (the BOM stays
glued to the first field name), and it works on decoded text lines, so the exact bytes, their offsets and
their arrival times are gone. This package parses the WHATWG event-stream format from bytes, keeps every
byte with its arrival time, and records everything a strict reader should notice (see
:data:`ANOMALY_KINDS`), while producing exactly the events a conforming client would.

* :class:`SSEParser`: incremental ``feed(chunk, t)`` / ``close(t)`` parser with caps.
* :class:`Transcript`: every chunk, event, comment, empty block and anomaly; ``render()``, ``to_json()``.
* :func:`read_stream` / :func:`aread_stream`: read a live httpx streaming response with idle and total
  time limits and early stop; the transcript says how the stream ended (:data:`TERMINATIONS`).
* :func:`iter_events` / :func:`aiter_events`: plain event iteration over ``iter_raw()``/``aiter_raw()``.

The parser is one class built from one module per concept: chunk intake and the end of the stream
(:mod:`.parser`), the state and caps every path shares (:mod:`.reader_state`), the fast path for
plain data blocks (:mod:`.data_blocks`), the WHATWG line rules (:mod:`.line_interpreter`) and the
NUL / invalid UTF-8 evidence (:mod:`.byte_evidence`). The public names are listed here, once (the
modules do not restate them).
"""

from .parser import SSEParser, parse_bytes
from .reader_state import (
    DEFAULT_MAX_EVENTS,
    DEFAULT_MAX_LINE_LENGTH,
    DEFAULT_MAX_RECORDS,
    DEFAULT_MAX_TOTAL_BYTES,
)
from .records import (
    ANOMALY_KINDS,
    BLOCK_KINDS,
    LIMIT_NAMES,
    TERMINATIONS,
    Anomaly,
    Block,
    Chunk,
    Comment,
    Event,
    StreamLimitExceeded,
)
from .stream import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_TOTAL_TIMEOUT,
    aiter_events,
    aread_stream,
    iter_events,
    read_stream,
)
from .transcript import Transcript, escape_bytes

__all__ = [
    "ANOMALY_KINDS",
    "BLOCK_KINDS",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_EVENTS",
    "DEFAULT_MAX_LINE_LENGTH",
    "DEFAULT_MAX_RECORDS",
    "DEFAULT_MAX_TOTAL_BYTES",
    "DEFAULT_TOTAL_TIMEOUT",
    "LIMIT_NAMES",
    "TERMINATIONS",
    "Anomaly",
    "Block",
    "Chunk",
    "Comment",
    "Event",
    "SSEParser",
    "StreamLimitExceeded",
    "Transcript",
    "aiter_events",
    "aread_stream",
    "escape_bytes",
    "iter_events",
    "parse_bytes",
    "read_stream",
]
