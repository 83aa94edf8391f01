"""The native task stream judge (``GET /v1/tasks/{id}/events``), driven by ``x-stream-grammars.native-task``.

The grammar states the event names and their payload schemas, which events come first, which are
terminal, that the terminal one comes exactly once and nothing follows, the ``token.i`` sequence and the
``end.tokens_out`` count; this module maps each of those statements to its requirement id and judges
one transcript against them. It also judges what only the catalogue says: a mid-stream error is a
schema-valid, terminal ``error`` event of a code allowed in a stream (ERR-MIDSTREAM-EVENT), and at least
one ``metrics`` event comes before the end (NAT-METRICS, a SHOULD).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llmgw_conformance.sse import Transcript

from .framing import StreamMeta, judge_framing
from .payloads import conforms, decode, looks_like_error_text
from .schemas import error_policy, grammar
from .violation import Judgement

#: Terminations after which a missing terminal event is the server's fault (not a client stop or a timeout,
#: which SSE-NO-STALL / SSE-STREAM-ENDS already report).
_ENDED_BY_SERVER = ("eof", "connection_error")


@dataclass(frozen=True, slots=True)
class NativeRequest:
    """What the judge needs from the task that produced the stream."""

    max_tokens: int | None = None


def judge_native(
    tr: Transcript,
    request: NativeRequest,
    meta: StreamMeta | None = None,
    rules: Mapping[str, Any] | None = None,
    contract_dir: Path | None = None,
) -> Judgement:
    """Judge a native task stream; with ``meta`` the framing rules are judged too.

    ``summary`` gets: ``text`` (the tokens' text joined), ``tokens`` (count), ``terminal`` (``end``,
    ``error`` or None), ``end`` / ``error`` (payloads), ``finish_reason``, ``metrics`` (count).
    """
    g = rules if rules is not None else grammar("native-task", contract_dir)
    verdict = Judgement(contract_dir=contract_dir)
    schemas: Mapping[str, str] = g["events"]
    first: list[str] = list(g.get("first") or [])
    terminal_names = set(g.get("terminal") or [])
    sequences = {s["event"]: s for s in g.get("sequences") or []}
    seq_next = {name: s.get("start", 0) for name, s in sequences.items()}
    once_seen: dict[str, int] = {}
    texts: list[str] = []
    tokens = metrics = 0
    terminal_at: int | None = None
    payloads: dict[str, Any] = {}
    policy = error_policy(contract_dir)

    for event in tr.events:
        name = event.event
        if terminal_at is not None and g.get("nothing_after_terminal", True):
            verdict.add(
                "NAT-NOTHING-AFTER-TERMINAL",
                "nothing_after_terminal",
                event.index,
                f"`{name}` event after the terminal event #{terminal_at}",
                expected="the stream closes after the terminal event",
                received=f"event `{name}`",
                raw=event.raw,
            )
        if event.index == 0 and first and name not in first:
            verdict.add(
                "NAT-FIRST-STARTED",
                "first",
                0,
                f"the first event is `{name}`",
                expected=" or ".join(first),
                received=name,
                raw=event.raw,
            )
        if name not in schemas:
            verdict.add(
                "NAT-EVENT-NAMES",
                "events",
                event.index,
                f"event name `{name}` is not one of the grammar's events",
                expected=", ".join(schemas),
                received=name,
                raw=event.raw,
            )
            continue
        if name in first:
            once_seen[name] = once_seen.get(name, 0) + 1
            if once_seen[name] == 2:
                verdict.add(
                    "NAT-STARTED-ONCE",
                    "first-exactly-once",
                    event.index,
                    f"a second `{name}` event",
                    expected=f"exactly one `{name}`",
                    received=f"`{name}` again",
                    raw=event.raw,
                )
        if name in terminal_names:
            if terminal_at is None:
                terminal_at = event.index
            elif g.get("terminal_exactly_once", True):
                verdict.add(
                    "NAT-TERMINAL-ONCE",
                    "terminal_exactly_once",
                    event.index,
                    f"a second terminal event `{name}` (the first was #{terminal_at})",
                    expected="exactly one terminal event",
                    received=f"another `{name}`",
                    raw=event.raw,
                )
        payload = decode(event, verdict)
        if payload is None:
            continue
        # The error and metrics payloads have requirements of their own; their schema breaks go there.
        owner = {"error": "ERR-MIDSTREAM-EVENT", "metrics": "NAT-METRICS"}.get(name, "SSE-DATA-JSON")
        valid = conforms(payload, schemas[name], event, verdict, owner)
        if name == "token":
            tokens += 1
            if valid:
                texts.append(payload["t"])
                if looks_like_error_text(payload["t"]):
                    verdict.add(
                        "ERR-MIDSTREAM-EVENT",
                        "error-never-token-text",
                        event.index,
                        "a token's text is an error or a stack trace",
                        expected="an `error` event",
                        received=payload["t"][:120],
                        raw=event.raw,
                    )
        elif name == "metrics" and terminal_at is None:
            metrics += 1
        if name in sequences and valid:
            spec = sequences[name]
            got = payload.get(spec["field"])
            if got != seq_next[name]:
                verdict.add(
                    "NAT-TOKEN-INDEX",
                    f"sequences:{name}.{spec['field']}",
                    event.index,
                    f"`{name}.{spec['field']}` is {got!r}",
                    expected=str(seq_next[name]),
                    received=repr(got),
                    raw=event.raw,
                )
            seq_next[name] = (got if isinstance(got, int) else seq_next[name]) + spec.get("step", 1)
        if name == "error" and valid:
            _judge_error_event(event.index, event.raw, payload, policy, terminal_at, verdict)
        if name in terminal_names and name not in payloads:
            payloads[name] = payload

    termination = meta.termination if meta is not None and meta.termination else tr.termination
    if terminal_at is None and termination in _ENDED_BY_SERVER:
        verdict.add(
            "NAT-TERMINAL-ONCE",
            "terminal_exactly_once",
            None,
            f"the stream ended ({termination}) without a terminal event",
            expected=" or ".join(sorted(terminal_names)),
            received=f"{len(tr.events)} events, none terminal",
            raw=bytes(tr.stream[-200:]),
        )
    if tr.events and first and not once_seen:
        verdict.add(
            "NAT-STARTED-ONCE",
            "first-exactly-once",
            None,
            f"no `{first[0]}` event in the stream",
            expected=f"exactly one `{first[0]}`",
            received="none",
        )
    verdict.terminal_index = terminal_at
    _judge_counts(g, request, payloads.get("end"), tokens, terminal_at, tr, verdict)
    if terminal_at is not None and metrics == 0:
        verdict.add(
            "NAT-METRICS",
            "metrics-before-terminal",
            terminal_at,
            "no `metrics` event before the terminal event",
            expected="at least one `metrics` event",
            received="none",
            raw=tr.events[terminal_at].raw,
        )
    end = payloads.get("end")
    verdict.summary.update(
        text="".join(texts),
        tokens=tokens,
        terminal=tr.events[terminal_at].event if terminal_at is not None else None,
        end=end,
        error=payloads.get("error"),
        finish_reason=end.get("finish_reason") if isinstance(end, dict) else None,
        metrics=metrics,
    )
    if meta is not None:
        judge_framing(tr, meta, verdict)
    return verdict


def _judge_error_event(
    index: int,
    raw: bytes,
    payload: Mapping[str, Any],
    policy: Mapping[str, Any],
    terminal_at: int | None,
    verdict: Judgement,
) -> None:
    """An error event is terminal and of a code x-error-policy allows in a stream."""
    code = payload.get("code")
    if terminal_at is not None and terminal_at != index:
        verdict.add(
            "ERR-MIDSTREAM-EVENT",
            "error-is-terminal",
            index,
            f"an `error` event after the terminal event #{terminal_at}",
            expected="the error event is the terminal event",
            received="a later error event",
            raw=raw,
        )
    rule = policy.get(str(code), {})
    if rule and not rule.get("in_stream", False):
        verdict.add(
            "ERR-MIDSTREAM-EVENT",
            "x-error-policy.in_stream",
            index,
            f"`{code}` may not appear in a stream (x-error-policy in_stream false): it is an error found "
            "before generation and must be a non-2xx answer",
            expected="a code with in_stream true",
            received=str(code),
            raw=raw,
        )


def _judge_counts(
    g: Mapping[str, Any],
    request: NativeRequest,
    end: Any,
    tokens: int,
    terminal_at: int | None,
    tr: Transcript,
    verdict: Judgement,
) -> None:
    """``end.tokens_out`` equals the token events sent and neither exceeds the request's limit."""
    for spec in g.get("counts") or []:
        if spec.get("event") != "end" or not isinstance(end, dict):
            continue
        raw = tr.events[terminal_at].raw if terminal_at is not None else b""
        reported = end.get(spec["field"])
        if spec.get("equals_count_of") == "token" and reported != tokens:
            verdict.add(
                "NAT-END-TOKENS-OUT",
                f"counts:end.{spec['field']}",
                terminal_at,
                f"`end.{spec['field']}` is {reported!r} but {tokens} token events were sent",
                expected=str(tokens),
                received=repr(reported),
                raw=raw,
            )
        limit = request.max_tokens if spec.get("at_most_request_field") == "max_tokens" else None
        if limit is None:
            continue
        produced = max(tokens, reported if isinstance(reported, int) else 0)
        if produced > limit:
            verdict.add(
                "NAT-MAX-TOKENS",
                "counts:at_most_request_field",
                terminal_at,
                f"{produced} tokens produced with max_tokens {limit}",
                expected=f"at most {limit}",
                received=str(produced),
                raw=raw,
            )
