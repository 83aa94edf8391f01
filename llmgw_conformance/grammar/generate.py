"""The generate chunk stream's rules (``POST /v1/generate/{model}`` with ``stream: true``).

From ``x-stream-grammars.generate-chunks``: payload schema, the ``[DONE]`` sentinel (exactly once,
nothing after), the ``seq`` sequence, the one terminal chunk (``done: true``, last before the
sentinel) and ``request_id`` equal on every chunk. The catalogue adds the terminal fields
(GEN-TERMINAL-FIELDS), the error chunk (GEN-ERROR-CHUNK) and the ``max_new_tokens`` limit. Each is one
rule below, named after it; the walk over the events is :mod:`.driver`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.sse import Event

from .chunk_stream import ChunkStreamState, sentinel_once_rule, sentinel_present_rule
from .driver import StreamGrammar, nothing_after_end
from .payloads import conforms, looks_like_error_text

_TERMINAL_ONLY: Final = ("finish_reason", "usage")


@dataclass(frozen=True, slots=True)
class GenerateRequest:
    """What the judge needs from the request that produced the stream."""

    max_new_tokens: int | None = None


class GenerateState(ChunkStreamState[GenerateRequest]):
    """What the generate rules remember while the driver walks the events."""

    __slots__ = (
        "done_at",
        "done_payload",
        "first_values",
        "is_terminal",
        "seq_next",
        "sequences",
        "terminal_rule",
        "texts",
    )

    def read_grammar(self, g: Mapping[str, Any]) -> None:
        """The ``seq`` sequences and the terminal chunk rule, and the done chunk's state."""
        self.sequences: list[Mapping[str, Any]] = list(g.get("sequences") or [])
        self.seq_next = {spec["field"]: spec.get("start", 0) for spec in self.sequences}
        self.terminal_rule: Mapping[str, Any] = g.get("terminal") or {"field": "done", "value": True}
        self.first_values: dict[str, Any] = {}
        self.done_at: int | None = None
        self.done_payload: dict[str, Any] = {}
        self.texts: list[str] = []
        self.is_terminal = False  # the current chunk is the terminal one


def _add(
    s: GenerateState, requirement_id: str, rule: str, event: Event, message: str, expected: str | None = None
) -> None:
    s.verdict.add_at(event, requirement_id, rule, message, expected, event.data[:160])


# -- rules on each event, before decoding ----------------------------------------------------------------


#: GEN-DONE-SENTINEL: one ``[DONE]``, and a stream the server ended has it.
sentinel_exactly_once = sentinel_once_rule("GEN-DONE-SENTINEL")
sentinel_present = sentinel_present_rule("GEN-DONE-SENTINEL")
#: GEN-DONE-SENTINEL: nothing follows the sentinel.
nothing_after_sentinel = nothing_after_end("GEN-DONE-SENTINEL", "nothing_after_sentinel", "the sentinel")


# -- rules on each decoded payload -------------------------------------------------------------------------


def chunk_matches_schema(s: GenerateState, event: Event, payload: Any) -> bool:
    """SSE-DATA-JSON: every chunk matches the grammar's payload schema (a chunk that does not is not
    judged further)."""
    s.chunks += 1
    return not conforms(payload, s.payload_schema, event, s.verdict) or not isinstance(payload, dict)


def nothing_after_done_chunk(s: GenerateState, event: Event, payload: Any) -> bool:
    """GEN-DONE-ONCE: the done chunk is the last chunk."""
    if s.done_at is not None:
        _add(s, "GEN-DONE-ONCE", "terminal.position", event, f"a chunk after the done chunk #{s.done_at}")
    return False


def seq_counts_up(s: GenerateState, event: Event, payload: Any) -> bool:
    """GEN-SEQ: each sequence field counts up from its start by its step."""
    for spec in s.sequences:
        name = spec["field"]
        got = payload.get(name)
        if got != s.seq_next[name]:
            _add(s, "GEN-SEQ", f"sequences:{name}", event, f"`{name}` is {got!r}", str(s.seq_next[name]))
        s.seq_next[name] = (got if isinstance(got, int) else s.seq_next[name]) + spec.get("step", 1)
    return False


def request_id_on_every_chunk(s: GenerateState, event: Event, payload: Any) -> bool:
    """GEN-REQUEST-ID: the grammar's same fields are non-empty and equal on every chunk."""
    for name in s.same_fields:
        value = payload.get(name)
        first = s.first_values.setdefault(name, value)
        if not value or value != first:
            _add(
                s,
                "GEN-REQUEST-ID",
                f"same_fields_every_chunk:{name}",
                event,
                f"`{name}` is {value!r}",
                f"the same non-empty value {first!r}",
            )
    return False


def done_chunk_exactly_once(s: GenerateState, event: Event, payload: Any) -> bool:
    """GEN-DONE-ONCE / GEN-TERMINAL-FIELDS: one ``done`` chunk; finish_reason and usage only on it."""
    s.texts.append(payload["text_delta"])
    rule = s.terminal_rule
    s.is_terminal = payload.get(rule["field"]) == rule.get("value", True)
    if s.is_terminal:
        if s.done_at is None:
            s.done_at, s.done_payload = event.index, payload
        else:
            s.report_repeat(event, "GEN-DONE-ONCE", "terminal.exactly_once", "done chunk", s.done_at)
        return False
    extra = [k for k in _TERMINAL_ONLY if payload.get(k) is not None]
    if extra:
        _add(
            s,
            "GEN-TERMINAL-FIELDS",
            "terminal-fields-only-on-terminal",
            event,
            f"a non-terminal chunk carries {extra}",
            "none of finish_reason, usage",
        )
    return False


def error_chunk_is_terminal(s: GenerateState, event: Event, payload: Any) -> bool:
    """GEN-ERROR-CHUNK: an error chunk is the done chunk with finish_reason error, and vice versa."""
    has_error = payload.get("error") is not None
    if has_error and (not s.is_terminal or payload.get("finish_reason") != "error"):
        _add(
            s,
            "GEN-ERROR-CHUNK",
            "error-chunk-is-terminal",
            event,
            "a chunk with `error` is not `done: true` with finish_reason error",
            "done true, finish_reason error",
        )
    elif not has_error and payload.get("finish_reason") == "error":
        _add(
            s,
            "GEN-ERROR-CHUNK",
            "error-chunk-has-error",
            event,
            "finish_reason error without an `error` object",
            "error {code, message}",
        )
    return False


# -- rules on the whole stream -----------------------------------------------------------------------------


def done_chunk_present(s: GenerateState) -> None:
    """GEN-DONE-ONCE: a finished stream of chunks has its ``done: true`` chunk."""
    if s.done_at is None and (s.end_at is not None or s.ended_by_server) and s.chunks:
        s.report_missing(s.end_at, "GEN-DONE-ONCE", "terminal.exactly_once", "`done: true` chunk")


def done_chunk_last_before_sentinel(s: GenerateState) -> None:
    """GEN-DONE-ONCE: the done chunk comes right before the sentinel."""
    if s.done_at is not None and s.end_at is not None and s.end_at != s.done_at + 1:
        _add(
            s,
            "GEN-DONE-ONCE",
            "terminal.position",
            s.tr.events[s.done_at],
            "the done chunk is not the last event before the sentinel",
        )


def done_chunk_has_terminal_fields(s: GenerateState) -> None:
    """GEN-TERMINAL-FIELDS: the done chunk carries finish_reason and usage."""
    missing = [k for k in _TERMINAL_ONLY if s.done_payload.get(k) is None]
    if s.done_at is not None and missing:
        _add(
            s,
            "GEN-TERMINAL-FIELDS",
            "terminal-fields",
            s.tr.events[s.done_at],
            f"the done chunk lacks {missing}",
            "finish_reason and usage",
        )


def _usage_counts(s: GenerateState) -> tuple[int, int, Any] | None:
    """The done chunk's (prompt, completion, total) when the first two are integers and the total is."""
    usage = s.done_payload.get("usage") if s.done_at is not None else None
    if not isinstance(usage, dict):
        return None
    p, c, t = (usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens"))
    if isinstance(p, int) and isinstance(c, int) and isinstance(t, int):
        return p, c, t
    return None


def usage_total_is_sum(s: GenerateState) -> None:
    """GEN-TERMINAL-FIELDS: ``total_tokens`` is prompt plus completion."""
    counts = _usage_counts(s)
    if counts is not None and s.done_at is not None and counts[2] != counts[0] + counts[1]:
        p, c, t = counts
        _add(
            s,
            "GEN-TERMINAL-FIELDS",
            "usage-total-is-sum",
            s.tr.events[s.done_at],
            f"total_tokens {t} is not {p} + {c}",
            str(p + c),
        )


def completion_within_max_new_tokens(s: GenerateState) -> None:
    """GEN-MAX-NEW-TOKENS: ``completion_tokens`` stays within the request's ``max_new_tokens``."""
    counts = _usage_counts(s)
    limit = s.request.max_new_tokens
    if counts is not None and s.done_at is not None and limit is not None and counts[1] > limit:
        _add(
            s,
            "GEN-MAX-NEW-TOKENS",
            "completion-within-limit",
            s.tr.events[s.done_at],
            f"completion_tokens {counts[1]} above max_new_tokens {limit}",
            f"at most {limit}",
        )


def error_chunk_then_sentinel(s: GenerateState) -> None:
    """GEN-ERROR-CHUNK: the error chunk is followed by ``[DONE]``."""
    if s.done_at is not None and s.done_payload.get("error") is not None and s.end_at is None:
        _add(
            s,
            "GEN-ERROR-CHUNK",
            "error-then-sentinel",
            s.tr.events[s.done_at],
            "the error chunk is not followed by [DONE]",
            "data: [DONE]",
        )


def text_is_not_an_error(s: GenerateState) -> None:
    """GEN-ERROR-CHUNK: an error is an error chunk, never the generated text."""
    text = "".join(s.texts)
    if looks_like_error_text(text):
        s.report_error_text(None, "GEN-ERROR-CHUNK", "error-never-text", text, "an error chunk")


def _summary(s: GenerateState) -> dict[str, object]:
    """What a check reads from ``Judgement.summary``: ``text`` (text_delta joined), ``finish_reason``,
    ``usage``, ``error``, ``request_id``, ``chunks``, ``sentinel`` (bool)."""
    return {
        "text": "".join(s.texts),
        "finish_reason": s.done_payload.get("finish_reason"),
        "usage": s.done_payload.get("usage"),
        "error": s.done_payload.get("error"),
        "request_id": s.first_values.get("request_id"),
        "chunks": s.chunks,
        "sentinel": s.end_at is not None,
    }


GENERATE_CHUNKS: StreamGrammar[GenerateState, GenerateRequest] = StreamGrammar(
    kind="generate-chunks",
    begin=GenerateState,
    on_event=(sentinel_exactly_once, nothing_after_sentinel),
    on_payload=(
        chunk_matches_schema,
        nothing_after_done_chunk,
        seq_counts_up,
        request_id_on_every_chunk,
        done_chunk_exactly_once,
        error_chunk_is_terminal,
    ),
    at_end=(
        sentinel_present,
        done_chunk_present,
        done_chunk_last_before_sentinel,
        done_chunk_has_terminal_fields,
        usage_total_is_sum,
        completion_within_max_new_tokens,
        error_chunk_then_sentinel,
        text_is_not_an_error,
    ),
    summary=_summary,
)


#: Judge a generate chunk stream (:meth:`.StreamGrammar.judge`: with ``meta``, the framing too).
judge_generate = GENERATE_CHUNKS.judge
