"""The chat chunk stream's rules (``POST /v1/chat/completions`` with ``stream: true``).

From ``x-stream-grammars.chat-chunks``: the payload and error payload schemas, the ``[DONE]`` sentinel
(exactly once, nothing after), the fields equal on every chunk, role on the first delta only, one
finish reason per choice, and the usage chunk rule. The catalogue adds what the grammar leaves to
sentences: finish values (CHAT-FINISH-VALUE), usage arithmetic and limits (CHAT-USAGE-TOTAL,
CHAT-MAX-TOKENS), tool-call deltas (CHAT-TOOL-DELTA-INDEX, CHAT-TOOL-FINISH), the error event
(CHAT-ERROR-EVENT, OAI-ERROR-SHAPE) and choice indexes with ``n`` above 1 (OAI-N-STREAM). Each is one
rule: the stream's here, each choice's in :mod:`.choices`, the usage chunk's in :mod:`.chat_usage`;
the walk over the events is :mod:`.driver`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from llmgw_conformance.sse import Event

from . import chat_usage, choices
from .chunk_stream import ChunkStreamState, sentinel_once_rule, sentinel_present_rule
from .chunk_templates import chunk_schema
from .driver import StreamGrammar, nothing_after_end
from .payloads import conforms
from .schemas import VALIDATION_REFUSED


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """What the judge needs from the request that produced the stream."""

    include_usage: bool = False
    #: ``max_completion_tokens`` if set, else ``max_tokens``.
    max_tokens: int | None = None
    n: int = 1

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> ChatRequest:
        """Read the relevant fields from a chat request body."""
        options = body.get("stream_options") or {}
        limit = body.get("max_completion_tokens") or body.get("max_tokens")
        return cls(
            include_usage=bool(isinstance(options, dict) and options.get("include_usage")),
            max_tokens=limit if isinstance(limit, int) else None,
            n=n if isinstance(n := body.get("n"), int) else 1,
        )


class ChatState(ChunkStreamState[ChatRequest]):
    """What the chat rules remember while the driver walks the events."""

    __slots__ = (
        "choice_rules",
        "choices",
        "chunk_schema",
        "error_at",
        "error_payload",
        "first_values",
        "tool_calls_seen",
        "usage_chunks",
    )

    def read_grammar(self, g: Mapping[str, Any]) -> None:
        """The chunk schema (and its template decoder), and the per-choice, usage and error state."""
        self.chunk_schema = chunk_schema(self.payload_schema, self.verdict.contract_dir)
        self.decode = self.chunk_schema.decode
        self.first_values: tuple[Any, ...] | None = None
        #: The per-choice rules that can fire on this stream (the index range only matters with n > 1).
        self.choice_rules = choices.rules_for(self.request)
        self.choices: dict[int, choices.ChoiceState] = {}
        self.tool_calls_seen = False
        self.usage_chunks: list[tuple[Event, Any]] = []
        self.error_at: int | None = None
        self.error_payload: Any = None


# -- rules on each event, before decoding ----------------------------------------------------------------


#: CHAT-DONE-SENTINEL: one ``[DONE]``, and a stream the server ended has it.
sentinel_exactly_once = sentinel_once_rule("CHAT-DONE-SENTINEL")
sentinel_present = sentinel_present_rule("CHAT-DONE-SENTINEL")
#: CHAT-NOTHING-AFTER-DONE: nothing follows the sentinel.
nothing_after_done = nothing_after_end("CHAT-NOTHING-AFTER-DONE", "nothing_after_sentinel", "the sentinel")


def no_event_field(s: ChatState, event: Event) -> bool:
    """SSE-DATA-JSON: chat events are data-only (type ``message``)."""
    if event.event != "message":
        s.verdict.add_at(
            event,
            "SSE-DATA-JSON",
            "event-shape:no-event-field",
            f"a chat stream event carries `event: {event.event}`",
            "no event field (type `message`)",
            event.event,
        )
    return False


# -- rules on each decoded payload -------------------------------------------------------------------------


def error_event_shape(s: ChatState, event: Event, payload: Any) -> bool:
    """OAI-ERROR-SHAPE / CHAT-ERROR-EVENT: an error event (``{"error": ...}``, no choices) has the error
    shape; it is no chunk (it settles the event)."""
    if type(payload) is not dict or "error" not in payload or "choices" in payload:
        return False
    if s.error_at is None:
        s.error_at, s.error_payload = event.index, payload
    error_schema = str(s.g.get("error_payload", "OpenAIErrorResponse"))
    # The shape is both the surface's error rule and part of the chat error event's sentence.
    if not conforms(payload, error_schema, event, s.verdict, "OAI-ERROR-SHAPE"):
        conforms(payload, error_schema, event, s.verdict, "CHAT-ERROR-EVENT")
    return True


def chunk_matches_schema(s: ChatState, event: Event, payload: Any) -> bool:
    """SSE-DATA-JSON: every chunk matches ChatCompletionChunk (a non-object is not judged further)."""
    s.chunks += 1
    try:
        valid = s.chunk_schema.is_valid(event.data, payload)
    except VALIDATION_REFUSED:
        valid = False
    if not valid:
        conforms(payload, s.payload_schema, event, s.verdict)
        return not isinstance(payload, dict)
    return False


def chunk_ids_stable(s: ChatState, event: Event, payload: Any) -> bool:
    """CHAT-CHUNK-ID-STABLE: ``object`` is chat.completion.chunk; the grammar's fields never change."""
    if payload.get("object") != "chat.completion.chunk":
        s.verdict.add_at(
            event,
            "CHAT-CHUNK-ID-STABLE",
            "object",
            f"`object` is {payload.get('object')!r}",
            "chat.completion.chunk",
            repr(payload.get("object")),
        )
    values = tuple(map(payload.get, s.same_fields))
    first = s.first_values
    if first is None:
        s.first_values = values
        return False
    if values == first:  # the usual case, compared at C speed
        return False
    for name, value, was in zip(s.same_fields, values, first, strict=True):
        if value != was:
            s.verdict.add_at(
                event,
                "CHAT-CHUNK-ID-STABLE",
                f"same_fields_every_chunk:{name}",
                f"`{name}` changed within the stream",
                repr(was),
                repr(value),
            )
    return False


def collect_usage_chunk(s: ChatState, event: Event, payload: Any) -> bool:
    """Keep chunks that carry usage for the usage rules (:mod:`.chat_usage`, judged at the end).

    A usage chunk with stray empty choices is one defect, CHAT-USAGE-CHUNK's: it settles the event, or
    its choices would also report "a chunk after the finish" under CHAT-FINISH-ONCE."""
    if payload.get("usage") is None:
        return False
    s.usage_chunks.append((event, payload))
    return _only_empty_choices(payload)


def each_choice(s: ChatState, event: Event, payload: Any) -> bool:
    """Apply the per-choice rules (:data:`.choices.CHOICE_RULES`) to every choice object of the chunk,
    with the state of its choice index."""
    listed = payload.get("choices")
    if type(listed) is not list:  # anything else broke the schema, reported already
        return False
    for choice in listed:
        # A choice without an integer index broke the schema (reported) and belongs to no choice.
        if type(choice) is not dict or type(index := choice.get("index")) is not int:
            continue
        state = s.choices.get(index)
        if state is None:
            state = s.choices[index] = choices.ChoiceState(index, event.index)
        state.deltas += 1
        delta = choice.get("delta")
        if type(delta) is not dict:
            delta = choices.NO_DELTA
        for rule in s.choice_rules:
            rule(s, event, state, choice, delta)
    return False


def _only_empty_choices(payload: dict[str, Any]) -> bool:
    """Every choice of the chunk has an empty delta and no finish reason (nothing a choice said)."""
    listed = payload.get("choices")
    return isinstance(listed, list) and all(
        isinstance(c, dict)
        and not c.get("delta")
        and c.get("finish_reason") is None
        and not c.get("logprobs")
        for c in listed
    )


# -- rules on the whole stream -----------------------------------------------------------------------------


def error_event_then_sentinel(s: ChatState) -> None:
    """CHAT-ERROR-EVENT: the error event is directly followed by the sentinel."""
    if s.error_at is None:
        return
    if s.end_at is None or s.end_at != s.error_at + 1:
        s.verdict.add(
            "CHAT-ERROR-EVENT",
            "error-then-sentinel",
            s.error_at,
            "the error event is not directly followed by `data: [DONE]`",
            expected="data: [DONE] right after the error",
            received="no sentinel" if s.end_at is None else f"sentinel at #{s.end_at}",
            raw=s.tr.events[s.error_at].raw,
        )


def _summary(s: ChatState) -> dict[str, object]:
    """What a check reads from ``Judgement.summary``: ``content`` (text per choice index), ``finish``
    (reason per choice index), ``usage`` (the usage chunk's object or None), ``error`` (an error event's
    payload), ``chunks``, ``sentinel`` (bool), ``tool_calls`` (bool)."""
    ordered = sorted(s.choices.items())
    return {
        "content": {i: "".join(c.parts) for i, c in ordered},
        "finish": {i: c.finish for i, c in ordered},
        "usage": s.usage_chunks[-1][1].get("usage") if s.usage_chunks else None,
        "error": s.error_payload,
        "chunks": s.chunks,
        "sentinel": s.end_at is not None,
        "tool_calls": s.tool_calls_seen,
    }


CHAT_CHUNKS: StreamGrammar[ChatState, ChatRequest] = StreamGrammar(
    kind="chat-chunks",
    begin=ChatState,
    on_event=(sentinel_exactly_once, nothing_after_done, no_event_field),
    on_payload=(error_event_shape, chunk_matches_schema, chunk_ids_stable, collect_usage_chunk, each_choice),
    at_end=(
        sentinel_present,
        choices.every_choice_finished,
        choices.tool_arguments_are_json,
        choices.every_choice_streamed,
        error_event_then_sentinel,
        chat_usage.usage_only_on_usage_chunk,
        chat_usage.usage_chunk_present,
        chat_usage.usage_chunk_has_no_choices,
        chat_usage.usage_chunk_last_before_sentinel,
        chat_usage.usage_total_is_sum,
        chat_usage.completion_within_max_tokens,
    ),
    summary=_summary,
)


#: Judge a chat chunk stream (:meth:`.StreamGrammar.judge`: with ``meta``, the framing too).
judge_chat = CHAT_CHUNKS.judge
