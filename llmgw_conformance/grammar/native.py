"""The native task stream's rules (``GET /v1/tasks/{id}/events``), from ``x-stream-grammars.native-task``.

The grammar states the event names and their payload schemas, which events come first, which are
terminal, that the terminal one comes exactly once and nothing follows, the ``token.i`` sequence and the
``end.tokens_out`` count; each statement is one rule below, named after it and reporting its requirement
id. The catalogue adds what only it says: a mid-stream error is a schema-valid, terminal ``error`` event
of a code allowed in a stream (ERR-MIDSTREAM-EVENT), and at least one ``metrics`` event comes before the
end (NAT-METRICS, a SHOULD). The walk over the events is :mod:`.driver`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from llmgw_conformance.sse import Event

from . import native_counts
from .driver import StreamGrammar, StreamState, nothing_after_end
from .payloads import conforms, looks_like_error_text
from .schemas import error_policy

#: The requirement a schema break of these events belongs to (their payloads have rules of their own).
_SCHEMA_OWNER = {"error": "ERR-MIDSTREAM-EVENT", "metrics": "NAT-METRICS"}


@dataclass(frozen=True, slots=True)
class NativeRequest:
    """What the judge needs from the task that produced the stream."""

    max_tokens: int | None = None


class NativeState(StreamState[NativeRequest]):
    """What the native rules remember while the driver walks the events."""

    __slots__ = (
        "first",
        "metrics",
        "once_seen",
        "payloads",
        "policy",
        "schemas",
        "seq_next",
        "sequences",
        "terminal_names",
        "texts",
        "tokens",
        "valid",
    )

    def read_grammar(self, g: Mapping[str, Any]) -> None:
        """The event names and schemas, the first and terminal events, the sequences, the error policy."""
        self.schemas: Mapping[str, str] = g["events"]
        self.first: list[str] = list(g.get("first") or [])
        self.terminal_names = set(g.get("terminal") or [])
        self.sequences = {s["event"]: s for s in g.get("sequences") or []}
        self.seq_next = {name: s.get("start", 0) for name, s in self.sequences.items()}
        self.policy = error_policy(self.verdict.contract_dir)
        self.once_seen: dict[str, int] = {}
        self.texts: list[str] = []
        self.tokens = 0
        self.metrics = 0
        self.payloads: dict[str, Any] = {}
        self.valid = False  # the current event's payload matched its schema


# -- rules on each event, before decoding ----------------------------------------------------------------


#: NAT-NOTHING-AFTER-TERMINAL: the stream closes after its terminal event.
nothing_after_terminal = nothing_after_end(
    "NAT-NOTHING-AFTER-TERMINAL", "nothing_after_terminal", "the terminal event"
)


def first_is_started(s: NativeState, event: Event) -> bool:
    """NAT-FIRST-STARTED: the first event is one of the grammar's ``first``."""
    if event.index == 0 and s.first and event.event not in s.first:
        s.verdict.add(
            "NAT-FIRST-STARTED",
            "first",
            0,
            f"the first event is `{event.event}`",
            expected=" or ".join(s.first),
            received=event.event,
            raw=event.raw,
        )
    return False


def event_names(s: NativeState, event: Event) -> bool:
    """NAT-EVENT-NAMES: every event is one of the grammar's; an unknown one has nothing more to judge."""
    if event.event in s.schemas:
        return False
    s.verdict.add_at(
        event,
        "NAT-EVENT-NAMES",
        "events",
        f"event name `{event.event}` is not one of the grammar's events",
        ", ".join(s.schemas),
        event.event,
    )
    return True


def started_once(s: NativeState, event: Event) -> bool:
    """NAT-STARTED-ONCE: no second ``started``."""
    name = event.event
    if name in s.first:
        seen = s.once_seen[name] = s.once_seen.get(name, 0) + 1
        if seen == 2:
            s.report_repeat(event, "NAT-STARTED-ONCE", "first-exactly-once", f"`{name}` event")
    return False


def terminal_once(s: NativeState, event: Event) -> bool:
    """NAT-TERMINAL-ONCE: no second terminal event."""
    if event.event in s.terminal_names:
        if s.end_at is None:
            s.end_at = event.index
        elif s.g.get("terminal_exactly_once", True):
            s.report_repeat(event, "NAT-TERMINAL-ONCE", "terminal_exactly_once", "terminal event", s.end_at)
    return False


# -- rules on each decoded payload -------------------------------------------------------------------------


def payload_matches_schema(s: NativeState, event: Event, payload: Any) -> bool:
    """SSE-DATA-JSON (ERR-MIDSTREAM-EVENT, NAT-METRICS for their events): the event's schema."""
    name = event.event
    owner = _SCHEMA_OWNER.get(name, "SSE-DATA-JSON")
    s.valid = conforms(payload, s.schemas[name], event, s.verdict, owner)
    return False


def token_text_is_not_an_error(s: NativeState, event: Event, payload: Any) -> bool:
    """ERR-MIDSTREAM-EVENT: an error is an ``error`` event, never a token's text (tokens are counted)."""
    if event.event == "token":
        s.tokens += 1
        if s.valid:
            text = payload["t"]
            s.texts.append(text)
            if looks_like_error_text(text):
                s.report_error_text(
                    event, "ERR-MIDSTREAM-EVENT", "error-never-token-text", text, "an `error` event"
                )
    return False


def count_metrics_before_terminal(s: NativeState, event: Event, payload: Any) -> bool:
    """Count the ``metrics`` events before the terminal one (NAT-METRICS is judged at the end)."""
    if event.event == "metrics" and s.end_at is None:
        s.metrics += 1
    return False


def token_index_sequence(s: NativeState, event: Event, payload: Any) -> bool:
    """NAT-TOKEN-INDEX: ``token.i`` counts up from the grammar's start by its step."""
    name = event.event
    spec = s.sequences.get(name)
    if spec is None or not s.valid:
        return False
    got = payload.get(spec["field"])
    if got != s.seq_next[name]:
        s.verdict.add_at(
            event,
            "NAT-TOKEN-INDEX",
            f"sequences:{name}.{spec['field']}",
            f"`{name}.{spec['field']}` is {got!r}",
            str(s.seq_next[name]),
            repr(got),
        )
    s.seq_next[name] = (got if isinstance(got, int) else s.seq_next[name]) + spec.get("step", 1)
    return False


def error_event_is_terminal_and_allowed(s: NativeState, event: Event, payload: Any) -> bool:
    """ERR-MIDSTREAM-EVENT: an error event is terminal and of a code x-error-policy allows in a stream."""
    if event.event != "error" or not s.valid:
        return False
    if s.end_at is not None and s.end_at != event.index:
        s.verdict.add_at(
            event,
            "ERR-MIDSTREAM-EVENT",
            "error-is-terminal",
            f"an `error` event after the terminal event #{s.end_at}",
            "the error event is the terminal event",
            "a later error event",
        )
    code = payload.get("code")
    rule = s.policy.get(str(code), {})
    if rule and not rule.get("in_stream", False):
        s.verdict.add_at(
            event,
            "ERR-MIDSTREAM-EVENT",
            "x-error-policy.in_stream",
            f"`{code}` may not appear in a stream (x-error-policy in_stream false): it is an error found "
            "before generation and must be a non-2xx answer",
            "a code with in_stream true",
            str(code),
        )
    return False


def keep_terminal_payload(s: NativeState, event: Event, payload: Any) -> bool:
    """Remember the first terminal payload (``end`` / ``error``) for the end rules and the summary."""
    if event.event in s.terminal_names and event.event not in s.payloads:
        s.payloads[event.event] = payload
    return False


# -- rules on the whole stream -----------------------------------------------------------------------------


def terminal_event_present(s: NativeState) -> None:
    """NAT-TERMINAL-ONCE: a stream the server ended has its terminal event."""
    expected = " or ".join(sorted(s.terminal_names))
    s.report_missing_end(s.end_at, "NAT-TERMINAL-ONCE", "terminal_exactly_once", "a terminal event", expected)


def started_present(s: NativeState) -> None:
    """NAT-STARTED-ONCE: a stream with events has its ``started``."""
    if s.tr.events and s.first and not s.once_seen:
        s.report_missing(None, "NAT-STARTED-ONCE", "first-exactly-once", f"`{s.first[0]}` event")


def metrics_before_terminal(s: NativeState) -> None:
    """NAT-METRICS (SHOULD): at least one ``metrics`` event before the terminal one."""
    if s.end_at is not None and s.metrics == 0:
        s.verdict.add(
            "NAT-METRICS",
            "metrics-before-terminal",
            s.end_at,
            "no `metrics` event before the terminal event",
            expected="at least one `metrics` event",
            received="none",
            raw=s.tr.events[s.end_at].raw,
        )


def _summary(s: NativeState) -> dict[str, object]:
    """What a check reads from ``Judgement.summary``: ``text`` (the tokens' text joined), ``tokens``
    (count), ``terminal`` (``end``, ``error`` or None), ``end`` / ``error`` (payloads), ``finish_reason``,
    ``metrics`` (count)."""
    end = s.payloads.get("end")
    return {
        "text": "".join(s.texts),
        "tokens": s.tokens,
        "terminal": s.tr.events[s.end_at].event if s.end_at is not None else None,
        "end": end,
        "error": s.payloads.get("error"),
        "finish_reason": end.get("finish_reason") if isinstance(end, dict) else None,
        "metrics": s.metrics,
    }


NATIVE_TASK: StreamGrammar[NativeState, NativeRequest] = StreamGrammar(
    kind="native-task",
    begin=NativeState,
    on_event=(nothing_after_terminal, first_is_started, event_names, started_once, terminal_once),
    on_payload=(
        payload_matches_schema,
        token_text_is_not_an_error,
        count_metrics_before_terminal,
        token_index_sequence,
        error_event_is_terminal_and_allowed,
        keep_terminal_payload,
    ),
    at_end=(
        terminal_event_present,
        started_present,
        native_counts.end_tokens_out_counts_tokens,
        native_counts.tokens_within_max_tokens,
        metrics_before_terminal,
    ),
    summary=_summary,
)


#: Judge a native task stream (:meth:`.StreamGrammar.judge`: with ``meta``, the framing too).
judge_native = NATIVE_TASK.judge
