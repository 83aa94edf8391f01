"""The chat chunk stream judge (``POST /v1/chat/completions`` with ``stream: true``).

Driven by ``x-stream-grammars.chat-chunks``: the payload and error payload schemas, the ``[DONE]``
sentinel (exactly once, nothing after), the fields equal on every chunk, role on the first delta only,
one finish reason per choice, and the usage chunk rule. The catalogue adds what the grammar leaves to
sentences: finish values (CHAT-FINISH-VALUE), usage arithmetic and limits (CHAT-USAGE-TOTAL,
CHAT-MAX-TOKENS), tool-call deltas (CHAT-TOOL-DELTA-INDEX, CHAT-TOOL-FINISH), the error event
(CHAT-ERROR-EVENT, OAI-ERROR-SHAPE) and choice indexes with ``n`` above 1 (OAI-N-STREAM).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from llmgw_conformance.sse import Event, Transcript

from .choices import ChoiceTracker
from .framing import StreamMeta, judge_framing
from .payloads import conforms, decode
from .schemas import grammar, validator
from .violation import Judgement

_ENDED_BY_SERVER: Final = ("eof", "connection_error")


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


def judge_chat(
    tr: Transcript,
    request: ChatRequest,
    meta: StreamMeta | None = None,
    rules: Mapping[str, Any] | None = None,
    contract_dir: Path | None = None,
) -> Judgement:
    """Judge a chat chunk stream; with ``meta`` the framing rules are judged too.

    ``summary`` gets: ``content`` (text per choice index), ``finish`` (reason per choice index),
    ``usage`` (the usage chunk's object or None), ``error`` (an error event's payload), ``chunks``,
    ``sentinel`` (bool), ``tool_calls`` (bool).
    """
    g = rules if rules is not None else grammar("chat-chunks", contract_dir)
    verdict = Judgement(contract_dir=contract_dir)
    sentinel: str | None = g.get("sentinel")
    same_fields: list[str] = list(g.get("same_fields_every_chunk") or [])
    first_values: dict[str, Any] = {}
    choices = ChoiceTracker(verdict, request.n)
    sentinel_at: int | None = None
    usage_chunks: list[tuple[Event, Any]] = []
    error_at: int | None = None
    error_payload: Any = None
    chunks = 0
    payload_schema = str(g["payload"])
    chunk_is_valid = validator(payload_schema, contract_dir).is_valid

    for event in tr.events:
        if event.data == sentinel:
            if sentinel_at is None:
                sentinel_at = event.index
            elif g.get("sentinel_exactly_once", True):
                verdict.add(
                    "CHAT-DONE-SENTINEL",
                    "sentinel_exactly_once",
                    event.index,
                    f"a second `{sentinel}` (the first was #{sentinel_at})",
                    expected=f"exactly one `{sentinel}`",
                    received=f"another `{sentinel}`",
                    raw=event.raw,
                )
            continue
        if sentinel_at is not None and g.get("nothing_after_sentinel", True):
            verdict.add(
                "CHAT-NOTHING-AFTER-DONE",
                "nothing_after_sentinel",
                event.index,
                f"an event after `{sentinel}` (#{sentinel_at})",
                expected="nothing after the sentinel",
                received=event.data[:80],
                raw=event.raw,
            )
        if event.event != "message":
            verdict.add(
                "SSE-DATA-JSON",
                "event-shape:no-event-field",
                event.index,
                f"a chat stream event carries `event: {event.event}`",
                expected="no event field (type `message`)",
                received=event.event,
                raw=event.raw,
            )
        payload = decode(event, verdict)
        if payload is None:
            continue
        if isinstance(payload, dict) and "error" in payload and "choices" not in payload:
            if error_at is None:
                error_at, error_payload = event.index, payload
            error_schema = str(g.get("error_payload", "OpenAIErrorResponse"))
            # The shape is both the surface's error rule and part of the chat error event's sentence.
            if not conforms(payload, error_schema, event, verdict, "OAI-ERROR-SHAPE"):
                conforms(payload, error_schema, event, verdict, "CHAT-ERROR-EVENT")
            continue
        chunks += 1
        if not chunk_is_valid(payload):
            conforms(payload, payload_schema, event, verdict)
        if not isinstance(payload, dict):
            continue
        _judge_same_fields(event, payload, same_fields, first_values, verdict)
        usage = payload.get("usage")
        if usage is not None:
            usage_chunks.append((event, payload))
            if _only_empty_choices(payload):
                # A usage chunk with stray empty choices is one defect, CHAT-USAGE-CHUNK's; feeding
                # them would also report "a chunk after the finish" under CHAT-FINISH-ONCE.
                continue
        for choice in payload.get("choices") or []:
            if isinstance(choice, dict):
                choices.feed(event, choice)

    verdict.terminal_index = sentinel_at
    termination = meta.termination if meta is not None and meta.termination else tr.termination
    if sentinel_at is None and termination in _ENDED_BY_SERVER:
        verdict.add(
            "CHAT-DONE-SENTINEL",
            "sentinel_exactly_once",
            None,
            f"the stream ended ({termination}) without `data: {sentinel}`",
            expected=f"data: {sentinel}",
            received=f"{len(tr.events)} events, no sentinel",
            raw=bytes(tr.stream[-200:]),
        )
    complete = sentinel_at is not None
    if sentinel_at is not None:
        # A stream cut by an error event ends without finish reasons: that is the error rule's business.
        choices.finish(sentinel_at, require_finish=error_at is None)
    if error_at is not None:
        _judge_error_event(tr, error_at, sentinel_at, verdict)
    _judge_usage(g, request, usage_chunks, sentinel_at, complete, verdict)
    verdict.summary.update(
        content=choices.content,
        finish=choices.finish_reasons,
        usage=usage_chunks[-1][1].get("usage") if usage_chunks else None,
        error=error_payload,
        chunks=chunks,
        sentinel=complete,
        tool_calls=choices.tool_calls_seen,
    )
    if meta is not None:
        judge_framing(tr, meta, verdict)
    return verdict


def _judge_same_fields(
    event: Event,
    payload: Mapping[str, Any],
    fields: list[str],
    first_values: dict[str, Any],
    verdict: Judgement,
) -> None:
    if payload.get("object") != "chat.completion.chunk":
        verdict.add(
            "CHAT-CHUNK-ID-STABLE",
            "object",
            event.index,
            f"`object` is {payload.get('object')!r}",
            expected="chat.completion.chunk",
            received=repr(payload.get("object")),
            raw=event.raw,
        )
    for name in fields:
        value = payload.get(name)
        if name not in first_values:
            first_values[name] = value
        elif value != first_values[name]:
            verdict.add(
                "CHAT-CHUNK-ID-STABLE",
                f"same_fields_every_chunk:{name}",
                event.index,
                f"`{name}` changed within the stream",
                expected=repr(first_values[name]),
                received=repr(value),
                raw=event.raw,
            )


def _judge_error_event(tr: Transcript, error_at: int, sentinel_at: int | None, verdict: Judgement) -> None:
    """The error event is followed by the sentinel and nothing else."""
    raw = tr.events[error_at].raw
    if sentinel_at is None or sentinel_at != error_at + 1:
        verdict.add(
            "CHAT-ERROR-EVENT",
            "error-then-sentinel",
            error_at,
            "the error event is not directly followed by `data: [DONE]`",
            expected="data: [DONE] right after the error",
            received="no sentinel" if sentinel_at is None else f"sentinel at #{sentinel_at}",
            raw=raw,
        )


def _judge_usage(
    g: Mapping[str, Any],
    request: ChatRequest,
    usage_chunks: list[tuple[Event, Any]],
    sentinel_at: int | None,
    complete: bool,
    verdict: Judgement,
) -> None:
    """CHAT-USAGE-CHUNK / -ABSENT / -TOTAL and the usage half of CHAT-MAX-TOKENS."""
    rule = g.get("usage_chunk") or {}
    wanted = request.include_usage
    designated = usage_chunks[-1] if (wanted and usage_chunks) else None
    for event, _payload in usage_chunks:
        if designated is None or event is not designated[0]:
            verdict.add(
                "CHAT-USAGE-ABSENT",
                "usage-only-on-usage-chunk",
                event.index,
                "a chunk carries `usage`" + ("" if wanted else " without include_usage"),
                expected="usage null or absent",
                received="usage object",
                raw=event.raw,
            )
    if wanted and complete and designated is None:
        verdict.add(
            "CHAT-USAGE-CHUNK",
            "usage_chunk.exactly_once",
            sentinel_at,
            "include_usage was true but no chunk carries usage",
            expected="one usage chunk before the sentinel",
            received="none",
        )
    if designated is not None:
        event, payload = designated
        if rule.get("choices") == "empty" and payload.get("choices") != []:
            verdict.add(
                "CHAT-USAGE-CHUNK",
                "usage_chunk.choices",
                event.index,
                "the usage chunk has non-empty `choices`",
                expected="choices []",
                received=repr(payload.get("choices"))[:120],
                raw=event.raw,
            )
        if (
            rule.get("position") == "last-before-sentinel"
            and sentinel_at is not None
            and (event.index != sentinel_at - 1)
        ):
            verdict.add(
                "CHAT-USAGE-CHUNK",
                "usage_chunk.position",
                event.index,
                "the usage chunk is not the last event before the sentinel",
                expected=f"event #{sentinel_at - 1}",
                received=f"event #{event.index}",
                raw=event.raw,
            )
    for event, payload in usage_chunks:
        _judge_usage_numbers(event, payload.get("usage"), request, verdict)


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


def _judge_usage_numbers(event: Event, usage: Any, request: ChatRequest, verdict: Judgement) -> None:
    if not isinstance(usage, dict):
        return
    prompt, completion, total = (usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens"))
    if not (isinstance(prompt, int) and isinstance(completion, int) and isinstance(total, int)):
        return
    if total != prompt + completion:
        verdict.add(
            "CHAT-USAGE-TOTAL",
            "total-is-sum",
            event.index,
            f"total_tokens {total} is not prompt_tokens {prompt} + completion_tokens {completion}",
            expected=str(prompt + completion),
            received=str(total),
            raw=event.raw,
        )
    limit = request.max_tokens
    if limit is not None and completion > limit * request.n:
        # One defect, one requirement: the limit is CHAT-MAX-TOKENS' rule, not the arithmetic's.
        verdict.add(
            "CHAT-MAX-TOKENS",
            "completion-within-limit",
            event.index,
            f"completion_tokens {completion} above the request's limit {limit}",
            expected=f"at most {limit * request.n}",
            received=str(completion),
            raw=event.raw,
        )
