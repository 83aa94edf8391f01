"""The framing judge: rules every stream kind shares (content type, bytes, fields, timing, ending).

What the reader (conformance.sse) records is judged here against the SSE-* requirements:

* SSE-CONTENT-TYPE: status 200 and ``text/event-stream`` (parameters allowed);
* SSE-FRAMING-VALID: invalid UTF-8, a final block without its blank line, unframed bytes (a "field"
  whose name is no field name at all, such as a bare JSON line ``{"error": ...}``);
* SSE-NO-UNKNOWN-FIELDS: a well-formed but non-standard field name, such as llama.cpp's ``error:``;
* SSE-NO-EMPTY-DATA: an event whose data is empty;
* SSE-HEADERS-PROMPT: headers later than the header budget;
* SSE-NO-STALL: a gap between writes above the idle-gap limit, or an idle timeout before the end;
* SSE-STREAM-ENDS: no close within 1 s of the terminal event, or the stream budget (or a cap) ran out.

Legal variants are not violations: comments anywhere, ``data:`` without the space, CR/LF/CRLF (mixed
included) and a leading BOM. A stream the client closed on purpose is not judged for its ending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.sse import Transcript

from .violation import Judgement

#: Seconds within which the server must close the stream after its terminal event (SSE-STREAM-ENDS).
CLOSE_AFTER_TERMINAL_S: Final = 1.0
#: A name a server could mean as a field; anything else on a non-comment line is unframed bytes.
_FIELD_NAME_RE: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")
_STANDARD_FIELDS: Final = frozenset({"event", "data", "id", "retry"})


@dataclass(frozen=True, slots=True)
class StreamMeta:
    """What the framing judge needs beyond the bytes: the HTTP answer and the suite's budgets."""

    status: int | None
    content_type: str
    headers_after_s: float | None = None
    header_budget_s: float = 2.0
    idle_gap_s: float = 10.0
    #: How reading ended (conformance.sse TERMINATIONS); defaults to the transcript's.
    termination: str | None = None


def meta_from_transcript(tr: Transcript, **budgets: Any) -> StreamMeta:
    """A StreamMeta from what the reader stored in the transcript (status, headers, termination)."""
    return StreamMeta(
        status=tr.status_code,
        content_type=tr.headers.get("content-type", ""),
        termination=tr.termination,
        **budgets,
    )


def is_event_stream(content_type: str) -> bool:
    """True for ``text/event-stream`` with or without parameters, in any letter case."""
    return content_type.split(";", 1)[0].strip().lower() == "text/event-stream"


def judge_framing(tr: Transcript, meta: StreamMeta, verdict: Judgement) -> None:
    """Add the framing violations of ``tr`` to ``verdict`` (whose ``terminal_index`` the kind judge set)."""
    if meta.status != 200 or not is_event_stream(meta.content_type):
        verdict.add(
            "SSE-CONTENT-TYPE",
            "status-and-content-type",
            None,
            "a stream must be answered 200 with Content-Type text/event-stream",
            expected="200 text/event-stream",
            received=f"{meta.status} {meta.content_type or '(no content-type)'}",
            raw=bytes(tr.stream[:200]),
        )
    _judge_bytes(tr, verdict)
    _judge_timing(tr, meta, verdict)


def _judge_bytes(tr: Transcript, verdict: Judgement) -> None:
    counts = tr.anomaly_counts
    if counts.get("invalid_utf8"):
        first = tr.anomalies_of("invalid_utf8")[0]
        verdict.add(
            "SSE-FRAMING-VALID",
            "utf-8",
            _event_at(tr, first.offset),
            f"{counts['invalid_utf8']} invalid UTF-8 sequence(s), first at byte {first.offset}",
            expected="UTF-8 text",
            received=first.detail or "invalid bytes",
            raw=first.raw,
        )
    if counts.get("unterminated_block"):
        block = tr.anomalies_of("unterminated_block")[0]
        verdict.add(
            "SSE-FRAMING-VALID",
            "blank-line-after-every-event",
            None,
            f"the stream ended inside a block at byte {block.offset}: its last event has no blank line "
            "and is never dispatched",
            expected="every event ends with a blank line",
            received="end of stream inside a block",
            raw=block.raw,
        )
    seen_unframed = seen_unknown = False
    for anomaly in tr.anomalies_of("unknown_field"):
        name = _field_name(anomaly.raw)
        where = _event_at(tr, anomaly.offset)
        if _FIELD_NAME_RE.match(name) and name not in _STANDARD_FIELDS:
            if not seen_unknown:
                seen_unknown = True
                verdict.add(
                    "SSE-NO-UNKNOWN-FIELDS",
                    "standard-fields-only",
                    where,
                    f"non-standard SSE field {name!r} at byte {anomaly.offset}: parsers drop it",
                    expected="only event, data, id, retry and comments",
                    received=f"field {name!r}",
                    raw=anomaly.raw,
                )
        elif not seen_unframed:
            seen_unframed = True
            verdict.add(
                "SSE-FRAMING-VALID",
                "no-unframed-bytes",
                where,
                f"unframed bytes at byte {anomaly.offset}: a line that is neither a field nor a comment",
                expected="lines of the form `field: value` or `: comment`",
                received="bare bytes",
                raw=anomaly.raw,
            )
    for event in tr.events:
        if event.data == "":
            verdict.add_at(
                event,
                "SSE-NO-EMPTY-DATA",
                "no-empty-data",
                "an event with empty data breaks JSON-decoding clients",
                "non-empty data",
                "empty data",
            )
            break


def _judge_timing(tr: Transcript, meta: StreamMeta, verdict: Judgement) -> None:
    termination = meta.termination or tr.termination
    terminal = verdict.terminal_index
    if meta.headers_after_s is not None and meta.headers_after_s > meta.header_budget_s:
        verdict.add(
            "SSE-HEADERS-PROMPT",
            "headers-within-budget",
            None,
            f"status line and headers came after {meta.headers_after_s:.3f}s",
            expected=f"at most {meta.header_budget_s:g}s",
            received=f"{meta.headers_after_s:.3f}s",
        )
    gap, at = _largest_gap(tr, meta, terminal)
    if gap > meta.idle_gap_s:
        verdict.add(
            "SSE-NO-STALL",
            "write-every-idle-gap",
            _event_at(tr, at) if at is not None else None,
            f"nothing was written for {gap:.3f}s while the stream was open",
            expected=f"an event or comment at least every {meta.idle_gap_s:g}s",
            received=f"a silent gap of {gap:.3f}s",
        )
    elif termination == "idle_timeout" and terminal is None:
        verdict.add(
            "SSE-NO-STALL",
            "write-every-idle-gap",
            None,
            f"the stream went silent before its end ({tr.termination_detail})",
            expected=f"an event or comment at least every {meta.idle_gap_s:g}s",
            received="silence until the suite gave up",
        )
    if termination in ("idle_timeout", "total_timeout", "limit_exceeded") and (
        terminal is not None or termination != "idle_timeout"
    ):
        after = "after its terminal event " if terminal is not None else ""
        verdict.add(
            "SSE-STREAM-ENDS",
            "close-after-terminal" if terminal is not None else "end-within-budget",
            terminal,
            f"the stream was not closed {after}({termination}: {tr.termination_detail})",
            expected=f"close within {CLOSE_AFTER_TERMINAL_S:g}s of the terminal event, within the budget",
            received=termination,
        )
    elif termination == "eof" and terminal is not None and tr.t_end is not None:
        late = tr.t_end - tr.events[terminal].t_last
        if late > CLOSE_AFTER_TERMINAL_S:
            verdict.add(
                "SSE-STREAM-ENDS",
                "close-after-terminal",
                terminal,
                f"the stream stayed open {late:.3f}s after its terminal event",
                expected=f"closed within {CLOSE_AFTER_TERMINAL_S:g}s",
                received=f"{late:.3f}s",
            )


def _largest_gap(tr: Transcript, meta: StreamMeta, terminal: int | None) -> tuple[float, int | None]:
    """Largest silence between writes while the stream was open (before the terminal event's end)."""
    times = tr.chunk_times
    if not times:
        return 0.0, None
    stop = tr.events[terminal].t_last if terminal is not None else None
    start = tr.t0 + meta.headers_after_s if meta.headers_after_s is not None else times[0]
    best, best_at, prev = times[0] - start, 0, times[0]
    for off, t in zip(tr.chunk_offsets, times, strict=True):
        if stop is not None and prev >= stop:
            break
        if t - prev > best:
            best, best_at = t - prev, off
        prev = t
    return best, best_at


def _event_at(tr: Transcript, offset: int) -> int | None:
    """Index of the event whose bytes hold ``offset`` (None when it is outside every event)."""
    for event in tr.events:
        if event.start <= offset <= event.end:
            return event.index
    return None


def _field_name(line: bytes) -> str:
    text = line.decode("utf-8", "replace")
    return text.split(":", 1)[0].strip("\r\n")
