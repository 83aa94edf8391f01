"""The one stream-judge driver: walk a stream's events once and apply a grammar's rules to each.

Why one driver: the native, chat and generate judges do the same kind of work (decode each event's
data, check it against the grammar, remember what later rules need, judge the ending, then the
framing). Written as three loops, every new rule or stream kind meant editing a long function and
keeping three of them in step. Here a stream kind is a :class:`StreamGrammar`: its per-stream state,
and three tuples of small rules named after the requirement they enforce:

* ``on_event`` rules see each event before its data is decoded (sentinels, event names, order);
* ``on_payload`` rules see each decoded payload (schemas, sequences, fields, choices);
* ``at_end`` rules see the state once the stream is over (a missing terminal event, counts, usage).

A rule returns True when it *settles* the event: the later rules of that event do not apply (the
sentinel is no chunk; an unknown event name has no schema to check). Adding a rule is adding one
function to one tuple; adding a stream kind is adding one grammar.

The driver also keeps the hot path lean (it is benchmarked against a lenient ``json.loads`` loop,
``make bench`` 2a): rules are plain functions over a slotted state, and decoding is one fast call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

from llmgw_conformance.sse import Event, Transcript

from .framing import StreamMeta, judge_framing
from .payloads import FAST_DECODE_REFUSED, decode_refused, fast_decoder
from .schemas import grammar
from .violation import Judgement

#: Terminations after which a missing terminal event or sentinel is the server's fault (a client stop
#: or a timeout is reported by SSE-NO-STALL / SSE-STREAM-ENDS instead).
ENDED_BY_SERVER: Final = ("eof", "connection_error")


R = TypeVar("R")


class StreamState(Generic[R]):
    """What every grammar's per-stream state holds, and the ending rules every stream kind shares.

    A grammar subclasses it with its own slots, set from its rules in :meth:`read_grammar`; the stream
    kinds differ in what their ending is (the ``[DONE]`` sentinel, a terminal event), not in how a
    repeated, trailed or missing ending is reported, so that is written once here."""

    __slots__ = ("decode", "end_at", "g", "request", "termination", "tr", "verdict")

    def __init__(
        self, g: Mapping[str, Any], request: R, tr: Transcript, verdict: Judgement, termination: str | None
    ) -> None:
        self.g = g
        self.request = request
        self.tr = tr
        self.verdict = verdict
        #: How the driver decodes each event's data: the fast decoder, or a grammar's own that gives
        #: the same payloads and raises the same errors (:mod:`.chunk_templates`).
        self.decode: Callable[[str], Any] = fast_decoder()
        #: How reading ended: the caller's StreamMeta says so first, else the transcript.
        self.termination = termination
        #: Index of the stream's end once it came: the ``[DONE]`` sentinel, or the terminal event.
        self.end_at: int | None = None
        self.read_grammar(g)

    def read_grammar(self, g: Mapping[str, Any]) -> None:
        """Set the grammar's own state from its rules (``x-stream-grammars.<kind>``)."""

    @property
    def ended_by_server(self) -> bool:
        """The server closed the stream (so a missing ending is its fault)."""
        return self.termination in ENDED_BY_SERVER

    def report_repeat(
        self, event: Event, requirement_id: str, rule: str, what: str, first_at: int | None = None
    ) -> None:
        """A second ``what`` where the grammar allows exactly one (``first_at``: where the first was)."""
        first = "" if first_at is None else f" (the first was #{first_at})"
        self.verdict.add_at(
            event, requirement_id, rule, f"a second {what}{first}", f"exactly one {what}", f"another {what}"
        )

    def report_missing(self, at: int | None, requirement_id: str, rule: str, what: str) -> None:
        """No ``what`` where the grammar wants exactly one (``at``: the event the stream was judged at)."""
        self.verdict.add(
            requirement_id, rule, at, f"no {what}", expected=f"exactly one {what}", received="none"
        )

    def report_error_text(
        self, event: Event | None, requirement_id: str, rule: str, text: str, belongs: str
    ) -> None:
        """Generated ``text`` that is really an error or a stack trace (the caller asked
        :func:`.payloads.looks_like_error_text`, cheap on every token): an error belongs in ``belongs``.
        ``event`` None: the text of the whole stream."""
        message = f"the generated text is an error or a stack trace (an error belongs in {belongs})"
        if event is None:
            self.verdict.add(requirement_id, rule, None, message, expected=belongs, received=text[:160])
        else:
            self.verdict.add_at(event, requirement_id, rule, message, belongs, text[:160])

    def report_missing_end(
        self, end_at: int | None, requirement_id: str, rule: str, end: str, expected: str
    ) -> None:
        """A stream the server closed without its ``end`` (``end_at`` None); a stream the client stopped
        or that timed out is another requirement's (SSE-NO-STALL, SSE-STREAM-ENDS)."""
        if end_at is None and self.ended_by_server:
            self.verdict.add(
                requirement_id,
                rule,
                None,
                f"the stream ended ({self.termination}) without {end}",
                expected=expected,
                received=f"{len(self.tr.events)} events, none of them {end}",
                raw=bytes(self.tr.stream[-200:]),
            )


S = TypeVar("S", bound="StreamState[Any]")

#: A rule on one event before decoding; True settles the event.
EventRule = Callable[[S, Event], bool]
#: A rule on one decoded payload; True settles the event.
PayloadRule = Callable[[S, Event, Any], bool]
#: A rule on the whole stream once it is over.
EndRule = Callable[[S], None]


def nothing_after_end(requirement_id: str, grammar_key: str, end: str) -> EventRule[StreamState[Any]]:
    """The event rule "nothing follows the stream's ``end``" of a stream kind: reported under
    ``requirement_id`` unless the grammar's ``grammar_key`` (also the rule's name) says otherwise."""

    def after_end(s: StreamState[Any], event: Event) -> bool:
        if s.end_at is not None and s.g.get(grammar_key, True):
            received = f"`{event.event}`: {event.data[:80]}"
            message = f"an event after {end} #{s.end_at}"
            s.verdict.add_at(event, requirement_id, grammar_key, message, f"nothing after {end}", received)
        return False

    return after_end


@dataclass(frozen=True, slots=True)
class StreamGrammar(Generic[S, R]):
    """One stream kind: its ``x-stream-grammars`` key, its state and its rules, in the order applied."""

    kind: str
    begin: Callable[[Mapping[str, Any], R, Transcript, Judgement, str | None], S]
    on_event: tuple[EventRule[S], ...]
    on_payload: tuple[PayloadRule[S], ...]
    at_end: tuple[EndRule[S], ...]
    #: The facts a check needs beyond the violations (``Judgement.summary``); each grammar's summary
    #: function's docstring names the keys.
    summary: Callable[[S], dict[str, object]]

    def judge(
        self,
        tr: Transcript,
        request: R,
        meta: StreamMeta | None = None,
        rules: Mapping[str, Any] | None = None,
        contract_dir: Path | None = None,
    ) -> Judgement:
        """Judge ``tr`` against this kind's rules (``rules``: a grammar overriding data.yaml's); with
        ``meta`` the framing rules are judged too. Each stream kind's judge (``judge_chat``, ...) is
        this method bound to its grammar: one walk, so the three judges cannot drift apart."""
        g = rules if rules is not None else grammar(self.kind, contract_dir)
        verdict = Judgement(contract_dir=contract_dir)
        termination = meta.termination if meta is not None and meta.termination else tr.termination
        state = self.begin(g, request, tr, verdict, termination)
        on_event = self.on_event
        on_payload = self.on_payload
        fast_decode = state.decode
        for event in tr.events:
            for event_rule in on_event:
                if event_rule(state, event):
                    break
            else:
                try:
                    payload = fast_decode(event.data)
                except FAST_DECODE_REFUSED:
                    payload = decode_refused(event, verdict)
                    if payload is None:
                        continue
                for payload_rule in on_payload:
                    if payload_rule(state, event, payload):
                        break
        for end_rule in self.at_end:
            end_rule(state)
        verdict.terminal_index = state.end_at
        verdict.summary.update(self.summary(state))
        if meta is not None:
            judge_framing(tr, meta, verdict)
        return verdict


#: The walk with the grammar as its first argument (``judge_stream(grammar, tr, request, meta)``), for
#: callers that choose the grammar at run time (the validation-stages bench).
judge_stream: Final = StreamGrammar.judge
