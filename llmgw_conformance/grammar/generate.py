"""The generate chunk stream judge (``POST /v1/generate/{model}`` with ``stream: true``).

Driven by ``x-stream-grammars.generate-chunks``: payload schema, the ``[DONE]`` sentinel (exactly once,
nothing after), the ``seq`` sequence, the one terminal chunk (``done: true``, last before the
sentinel) and ``request_id`` equal on every chunk. The catalogue adds the terminal fields
(GEN-TERMINAL-FIELDS), the error chunk (GEN-ERROR-CHUNK) and the ``max_new_tokens`` limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from llmgw_conformance.sse import Event, Transcript

from .framing import StreamMeta, judge_framing
from .payloads import conforms, decode, looks_like_error_text
from .schemas import grammar
from .violation import Judgement

_ENDED_BY_SERVER: Final = ("eof", "connection_error")
_TERMINAL_ONLY: Final = ("finish_reason", "usage")


@dataclass(frozen=True, slots=True)
class GenerateRequest:
    """What the judge needs from the request that produced the stream."""

    max_new_tokens: int | None = None


def judge_generate(
    tr: Transcript,
    request: GenerateRequest,
    meta: StreamMeta | None = None,
    rules: Mapping[str, Any] | None = None,
    contract_dir: Path | None = None,
) -> Judgement:
    """Judge a generate chunk stream; with ``meta`` the framing rules are judged too.

    ``summary`` gets: ``text`` (text_delta joined), ``finish_reason``, ``usage``, ``error``,
    ``request_id``, ``chunks``, ``sentinel`` (bool).
    """
    g = rules if rules is not None else grammar("generate-chunks", contract_dir)
    verdict = Judgement(contract_dir=contract_dir)
    sentinel: str | None = g.get("sentinel")
    sequences = list(g.get("sequences") or [])
    seq_next = {s["field"]: s.get("start", 0) for s in sequences}
    terminal_rule: Mapping[str, Any] = g.get("terminal") or {"field": "done", "value": True}
    same_fields: list[str] = list(g.get("same_fields_every_chunk") or [])
    first_values: dict[str, Any] = {}
    sentinel_at: int | None = None
    done_at: int | None = None
    done_payload: dict[str, Any] = {}
    texts: list[str] = []
    chunks = 0

    for event in tr.events:
        if event.data == sentinel:
            if sentinel_at is not None:
                _add(verdict, "GEN-DONE-SENTINEL", "sentinel_exactly_once", event, "a second sentinel")
            else:
                sentinel_at = event.index
            continue
        if sentinel_at is not None and g.get("nothing_after_sentinel", True):
            _add(verdict, "GEN-DONE-SENTINEL", "nothing_after_sentinel", event, "an event after the sentinel")
        payload = decode(event, verdict)
        if payload is None:
            continue
        chunks += 1
        if not conforms(payload, str(g["payload"]), event, verdict) or not isinstance(payload, dict):
            continue
        if done_at is not None:
            _add(
                verdict,
                "GEN-DONE-ONCE",
                "terminal.position",
                event,
                f"a chunk after the done chunk #{done_at}",
            )
        for spec in sequences:
            name = spec["field"]
            got = payload.get(name)
            if got != seq_next[name]:
                _add(
                    verdict,
                    "GEN-SEQ",
                    f"sequences:{name}",
                    event,
                    f"`{name}` is {got!r}",
                    str(seq_next[name]),
                )
            seq_next[name] = (got if isinstance(got, int) else seq_next[name]) + spec.get("step", 1)
        for name in same_fields:
            value = payload.get(name)
            first_values.setdefault(name, value)
            if not value or value != first_values[name]:
                _add(
                    verdict,
                    "GEN-REQUEST-ID",
                    f"same_fields_every_chunk:{name}",
                    event,
                    f"`{name}` is {value!r}",
                    f"the same non-empty value {first_values[name]!r}",
                )
        texts.append(payload["text_delta"])
        is_terminal = payload.get(terminal_rule["field"]) == terminal_rule.get("value", True)
        if is_terminal:
            if done_at is None:
                done_at, done_payload = event.index, payload
            else:
                _add(verdict, "GEN-DONE-ONCE", "terminal.exactly_once", event, "a second done chunk")
        else:
            extra = [k for k in _TERMINAL_ONLY if payload.get(k) is not None]
            if extra:
                _add(
                    verdict,
                    "GEN-TERMINAL-FIELDS",
                    "terminal-fields-only-on-terminal",
                    event,
                    f"a non-terminal chunk carries {extra}",
                    "none of finish_reason, usage",
                )
        _judge_error_fields(event, payload, is_terminal, verdict)

    termination = meta.termination if meta is not None and meta.termination else tr.termination
    ended = termination in _ENDED_BY_SERVER
    if sentinel_at is None and ended:
        verdict.add(
            "GEN-DONE-SENTINEL",
            "sentinel_exactly_once",
            None,
            f"the stream ended ({termination}) without `data: {sentinel}`",
            expected=f"data: {sentinel}",
            received="no sentinel",
            raw=bytes(tr.stream[-200:]),
        )
    if done_at is None and (sentinel_at is not None or ended) and chunks:
        verdict.add(
            "GEN-DONE-ONCE",
            "terminal.exactly_once",
            sentinel_at,
            "no chunk has `done: true`",
            expected="exactly one done chunk",
            received="none",
        )
    if done_at is not None:
        if sentinel_at is not None and sentinel_at != done_at + 1:
            _add(
                verdict,
                "GEN-DONE-ONCE",
                "terminal.position",
                tr.events[done_at],
                "the done chunk is not the last event before the sentinel",
            )
        _judge_terminal(tr.events[done_at], done_payload, request, sentinel_at, verdict)
    verdict.terminal_index = sentinel_at
    text = "".join(texts)
    if looks_like_error_text(text):
        verdict.add(
            "GEN-ERROR-CHUNK",
            "error-never-text",
            None,
            "the generated text is an error or a trace",
            expected="an error chunk",
            received=text[:160],
        )
    verdict.summary.update(
        text=text,
        finish_reason=done_payload.get("finish_reason"),
        usage=done_payload.get("usage"),
        error=done_payload.get("error"),
        request_id=first_values.get("request_id"),
        chunks=chunks,
        sentinel=sentinel_at is not None,
    )
    if meta is not None:
        judge_framing(tr, meta, verdict)
    return verdict


def _add(
    verdict: Judgement,
    requirement_id: str,
    rule: str,
    event: Event,
    message: str,
    expected: str | None = None,
) -> None:
    verdict.add(
        requirement_id,
        rule,
        event.index,
        message,
        expected=expected,
        received=event.data[:160],
        raw=event.raw,
    )


def _judge_error_fields(event: Event, payload: Mapping[str, Any], terminal: bool, verdict: Judgement) -> None:
    """An error chunk is the terminal chunk with finish_reason error; finish_reason error needs an error."""
    has_error = payload.get("error") is not None
    if has_error and (not terminal or payload.get("finish_reason") != "error"):
        _add(
            verdict,
            "GEN-ERROR-CHUNK",
            "error-chunk-is-terminal",
            event,
            "a chunk with `error` is not `done: true` with finish_reason error",
            "done true, finish_reason error",
        )
    elif not has_error and payload.get("finish_reason") == "error":
        _add(
            verdict,
            "GEN-ERROR-CHUNK",
            "error-chunk-has-error",
            event,
            "finish_reason error without an `error` object",
            "error {code, message}",
        )


def _judge_terminal(
    event: Event,
    payload: Mapping[str, Any],
    request: GenerateRequest,
    sentinel_at: int | None,
    verdict: Judgement,
) -> None:
    missing = [k for k in _TERMINAL_ONLY if payload.get(k) is None]
    if missing:
        _add(
            verdict,
            "GEN-TERMINAL-FIELDS",
            "terminal-fields",
            event,
            f"the done chunk lacks {missing}",
            "finish_reason and usage",
        )
    usage = payload.get("usage")
    if isinstance(usage, dict):
        p, c, t = (usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens"))
        if all(isinstance(x, int) for x in (p, c, t)):
            assert isinstance(p, int) and isinstance(c, int)
            if t != p + c:
                _add(
                    verdict,
                    "GEN-TERMINAL-FIELDS",
                    "usage-total-is-sum",
                    event,
                    f"total_tokens {t} is not {p} + {c}",
                    str(p + c),
                )
            limit = request.max_new_tokens
            if limit is not None and c > limit:
                _add(
                    verdict,
                    "GEN-MAX-NEW-TOKENS",
                    "completion-within-limit",
                    event,
                    f"completion_tokens {c} above max_new_tokens {limit}",
                    f"at most {limit}",
                )
    if payload.get("error") is not None and sentinel_at is None:
        _add(
            verdict,
            "GEN-ERROR-CHUNK",
            "error-then-sentinel",
            event,
            "the error chunk is not followed by [DONE]",
            "data: [DONE]",
        )
