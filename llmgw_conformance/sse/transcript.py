"""The transcript: everything a stream read produced, in order, for judging and for the report."""

from __future__ import annotations

import base64
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from .records import Anomaly, Block, Chunk, Comment, Event

# Visible escapes for a report: the backslash itself, C0 controls, DEL, the BOM, the Unicode line
# separators, and (via surrogateescape) every byte that is not UTF-8, shown as \xNN.
_ESCAPES: dict[int, str] = {0x5C: "\\\\", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
for _c in (*range(0x20), 0x7F):
    _ESCAPES.setdefault(_c, f"\\x{_c:02x}")
for _c in (0xFEFF, 0x2028, 0x2029, 0x85):
    _ESCAPES[_c] = f"\\u{_c:04x}"
for _c in range(0xDC80, 0xDD00):
    _ESCAPES[_c] = f"\\x{_c - 0xDC00:02x}"
del _c


def escape_bytes(raw: bytes, limit: int | None = None) -> str:
    """Render bytes for a human: UTF-8 text with ``\\r``, ``\\n``, controls and bad bytes made visible.

    ``limit`` truncates to that many input bytes (cut back to a character boundary) and says how many
    bytes were left out.
    """
    suffix = ""
    if limit is not None and len(raw) > limit:
        cut = limit
        # Do not split a UTF-8 sequence: back off continuation bytes (at most 3).
        while cut > 0 and cut > limit - 3 and (raw[cut] & 0xC0) == 0x80:
            cut -= 1
        suffix = f"...(+{len(raw) - cut} bytes)"
        raw = raw[:cut]
    return raw.decode("utf-8", "surrogateescape").translate(_ESCAPES) + suffix


def _round(t: float) -> float:
    return round(t, 6)


@dataclass(eq=False)
class Transcript:
    """The ordered record of one stream.

    The parser fills it; the streaming readers set ``termination`` and the response metadata. Detailed
    anomaly records are kept up to ``max_records`` per kind (``anomaly_counts`` is always complete);
    comments and empty blocks are kept up to ``max_records`` each (``comment_count`` and
    ``empty_block_count`` are complete). Events are never dropped (``max_events`` caps them instead).
    """

    t0: float = 0.0
    """Request start (monotonic seconds); report timings are relative to it."""
    max_records: int = 10_000
    stream: bytearray = field(default_factory=bytearray)
    """Every body byte received, in order (bounded by the parser's ``max_total_bytes``)."""
    chunk_offsets: list[int] = field(default_factory=list)
    chunk_times: list[float] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    comment_count: int = 0
    blocks: list[Block] = field(default_factory=list)
    """Blocks that dispatched no event (``empty_block``) and the trailing ``unterminated_block``."""
    empty_block_count: int = 0
    anomalies: list[Anomaly] = field(default_factory=list)
    """In detection order (byte checks of a batch of lines come before its field checks);
    :meth:`render` and :meth:`to_json` list them by offset."""
    anomaly_counts: dict[str, int] = field(default_factory=dict)
    line_endings: dict[str, int] = field(default_factory=lambda: {"lf": 0, "crlf": 0, "cr": 0})
    bom: bool = False
    last_event_id: str = ""
    """The spec's last-event-ID buffer at the end of the stream (what a reconnect would send)."""
    reconnection_time: int | None = None
    """The last valid ``retry`` value, in milliseconds."""
    closed: bool = False
    termination: str | None = None
    """One of :data:`~conformance.sse.records.TERMINATIONS` once the stream is over."""
    termination_detail: str = ""
    """Why: exception type and message, limit description, the stop condition."""
    limit: dict[str, object] | None = None
    """For ``limit_exceeded``: limit_name, limit, observed, offset."""
    t_end: float | None = None
    """When reading stopped."""
    status_code: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    # -- recording (used by the parser) -----------------------------------------------------------------

    def add_anomaly(self, kind: str, offset: int, raw: bytes, detail: str = "") -> None:
        n = self.anomaly_counts.get(kind, 0)
        self.anomaly_counts[kind] = n + 1
        if n < self.max_records:
            self.anomalies.append(Anomaly(kind, offset, raw, detail))

    # -- queries ----------------------------------------------------------------------------------------

    @property
    def total_bytes(self) -> int:
        return len(self.stream)

    @property
    def chunks(self) -> list[Chunk]:
        """The chunks as received (rebuilt from the stored bytes; empty chunks are not recorded)."""
        offs = self.chunk_offsets
        ends = [*offs[1:], len(self.stream)] if offs else []
        return [
            Chunk(o, t, bytes(self.stream[o:e])) for o, e, t in zip(offs, ends, self.chunk_times, strict=True)
        ]

    def time_at(self, offset: int) -> float:
        """Arrival time of the byte at ``offset``."""
        i = bisect_right(self.chunk_offsets, offset) - 1
        return self.chunk_times[max(i, 0)] if self.chunk_times else self.t0

    def kinds(self) -> set[str]:
        """The anomaly kinds seen."""
        return {k for k, n in self.anomaly_counts.items() if n}

    def anomalies_of(self, kind: str) -> list[Anomaly]:
        """The detailed records of one kind, in stream order."""
        return [a for a in self.anomalies if a.kind == kind]

    def sorted_anomalies(self) -> list[Anomaly]:
        """All detailed records in stream order (by offset; detection order among equal offsets)."""
        return sorted(self.anomalies, key=lambda a: a.offset)

    @property
    def unterminated(self) -> Block | None:
        for b in reversed(self.blocks):
            if b.kind == "unterminated_block":
                return b
        return None

    # -- output -----------------------------------------------------------------------------------------

    def _rel(self, t: float) -> str:
        return f"+{t - self.t0:.3f}s"

    def render(self, first: int = 5, last: int = 3, max_raw: int = 240, max_anomalies: int = 20) -> str:
        """A text rendering for a report: summary, the first ``first`` and last ``last`` events with their
        raw blocks escaped (``max_raw`` bytes each), anomalies, the unterminated block, the termination."""
        out: list[str] = []
        dur = f" after {self.t_end - self.t0:.3f}s" if self.t_end is not None else ""
        out.append(
            f"SSE stream: {len(self.stream)} bytes in {len(self.chunk_offsets)} chunks, "
            f"{len(self.events)} events, {self.comment_count} comments, "
            f"{self.empty_block_count} empty blocks; termination={self.termination}{dur}"
            + (f" ({self.termination_detail})" if self.termination_detail else "")
        )
        if self.status_code is not None:
            ctype = self.headers.get("content-type", "")
            out.append(f"HTTP {self.status_code} content-type={ctype!r}")
        if self.chunk_times:
            out.append(
                f"first byte {self._rel(self.chunk_times[0])}, last byte {self._rel(self.chunk_times[-1])}"
            )
        endings = ", ".join(f"{k}={v}" for k, v in self.line_endings.items() if v) or "none"
        out.append(f"line endings: {endings}")
        if self.anomaly_counts:
            counts = ", ".join(f"{k}={v}" for k, v in sorted(self.anomaly_counts.items()))
            out.append(f"anomalies: {counts}")

        evs = self.events
        shown: list[Event | None] = list(evs)
        if len(evs) > first + last:
            shown = [*evs[:first], None, *evs[len(evs) - last :]]
        if evs:
            out.append("events:")
        for ev in shown:
            if ev is None:
                out.append(f"  ... {len(evs) - first - last} events not shown ...")
                continue
            extra = f" id={ev.id!r}" if ev.id is not None else ""
            extra += f" retry={ev.retry}" if ev.retry is not None else ""
            extra += f" unknown={list(ev.unknown_fields)}" if ev.unknown_fields else ""
            out.append(
                f"  #{ev.index} {self._rel(ev.t_first)}..{self._rel(ev.t_last)} bytes {ev.start}-{ev.end} "
                f"event={ev.event!r}{extra}: {escape_bytes(ev.raw, max_raw)}"
            )
        if self.anomalies:
            out.append("anomaly details:")
            for a in self.sorted_anomalies()[:max_anomalies]:
                detail = f" ({a.detail})" if a.detail else ""
                out.append(f"  {a.kind} @{a.offset}{detail}: {escape_bytes(a.raw, max_raw)}")
            if len(self.anomalies) > max_anomalies:
                out.append(f"  ... {len(self.anomalies) - max_anomalies} more ...")
        un = self.unterminated
        if un is not None:
            out.append(
                f"unterminated block at bytes {un.start}-{un.end} ({self._rel(un.t_first)}): "
                f"{escape_bytes(un.raw, max_raw)}"
            )
        return "\n".join(out)

    def _block_json(self, block: Event | Block) -> dict[str, Any]:
        """Where a block of the stream lies, when it came and its bytes: what an event and a block
        that dispatched nothing have alike (times relative to ``t0``)."""
        return {
            "start": block.start,
            "end": block.end,
            "t_first": _round(block.t_first - self.t0),
            "t_last": _round(block.t_last - self.t0),
            "unknown_fields": list(block.unknown_fields),
            "raw": escape_bytes(block.raw),
        }

    def to_json(self, include_chunks: bool = True) -> dict[str, Any]:
        """A JSON-ready dict. Raw bytes are given escaped for reading (``raw``); with ``include_chunks``
        the chunks carry ``data_b64`` so the exact byte stream can be rebuilt."""
        doc: dict[str, Any] = {
            "t0": self.t0,
            "termination": self.termination,
            "termination_detail": self.termination_detail,
            "limit": self.limit,
            "duration_s": None if self.t_end is None else _round(self.t_end - self.t0),
            "status_code": self.status_code,
            "headers": dict(self.headers),
            "total_bytes": len(self.stream),
            "chunk_count": len(self.chunk_offsets),
            "bom": self.bom,
            "line_endings": dict(self.line_endings),
            "last_event_id": self.last_event_id,
            "reconnection_time": self.reconnection_time,
            "anomaly_counts": dict(self.anomaly_counts),
            "comment_count": self.comment_count,
            "empty_block_count": self.empty_block_count,
            "events": [
                {
                    "index": e.index,
                    "event": e.event,
                    "data": e.data,
                    "id": e.id,
                    "last_event_id": e.last_event_id,
                    "retry": e.retry,
                    **self._block_json(e),
                }
                for e in self.events
            ],
            "comments": [
                {"offset": c.offset, "t": _round(c.t - self.t0), "text": c.text} for c in self.comments
            ],
            "blocks": [{"kind": b.kind, **self._block_json(b)} for b in self.blocks],
            "anomalies": [
                {"kind": a.kind, "offset": a.offset, "detail": a.detail, "raw": escape_bytes(a.raw)}
                for a in self.sorted_anomalies()
            ],
        }
        if include_chunks:
            doc["chunks"] = [
                {
                    "offset": c.offset,
                    "t": _round(c.t - self.t0),
                    "length": len(c.data),
                    "data_b64": base64.b64encode(c.data).decode("ascii"),
                }
                for c in self.chunks
            ]
        return doc

    def dumps(self, **kwargs: Any) -> str:
        """``json.dumps(self.to_json())``; keyword arguments go to :func:`json.dumps`."""
        return json.dumps(self.to_json(), **kwargs)
