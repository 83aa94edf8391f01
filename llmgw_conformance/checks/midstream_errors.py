"""Mid-stream errors on the chat and generate surfaces, provoked with the ``deadline_ms`` extension.

Why a check of its own: a healthy target never errors in the middle of a plain stream, so the grammar
checks can judge CHAT-ERROR-EVENT and GEN-ERROR-CHUNK only by chance. A target that claims feature
``deadlines`` can be made to: a stream still generating at its ``deadline_ms`` must end with the error
event (chat) or the terminal error chunk (generate), then ``data: [DONE]``.

The deadline must fall mid-generation on a fast target and a slow one alike, so it is measured, as
``deadline-fires`` does for native tasks: the same seeded stream is first run without a deadline (the
longest of a few seeds), and the deadline is set halfway between its first text and its end. The
stream that the deadline cuts is judged with the surface's grammar judge, so the verdict is the same
rule, with the same evidence, as in any other stream.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.context import CheckContext, StreamResult
from llmgw_conformance.grammar import Judgement
from llmgw_conformance.probes.chat_streams import CHAT_ERROR_EVENT, CHAT_STREAMS, chat_body
from llmgw_conformance.probes.generate_streams import GEN_ERROR_CHUNK, GENERATE_STREAMS, generate_body
from llmgw_conformance.probes.generate_streams import LONG_PROMPT as STORY_PROMPT
from llmgw_conformance.probes.stream_findings import is_stream
from llmgw_conformance.probes.stream_kinds import StreamKind
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

#: Tokens asked for: enough that half of a measured stream is still a fair stretch of generation.
DEADLINE_MAX_TOKENS: Final = 64
#: Seeds tried for the longest probe (fewer when one already runs to the token limit).
PROBE_TRIES: Final = 3
#: A probe with fewer text events has no "middle of generation" to put the deadline in.
MIN_TEXT_EVENTS: Final = 2
#: Deadline runs at most: a second one when the first ended before its deadline (it ran faster).
ATTEMPTS: Final = 2
_ENDED_BY_SERVER: Final = ("eof", "connection_error")


@dataclass(frozen=True)
class Surface:
    """What differs between the chat and the generate surface for this check."""

    #: How its streams are sent and judged; its ``error_rule`` is the requirement this check reports.
    streams: StreamKind
    #: The terminal a correct stream shows, for messages.
    error_shape: str
    #: A seeded streaming request without a deadline.
    body: Callable[[CheckContext, int], dict[str, Any]]
    #: Whether a decoded event payload carries generated text.
    has_text: Callable[[Any], bool]
    #: Whether a judged stream ended at the token limit (no longer seed can be found).
    at_limit: Callable[[Judgement], bool]


@dataclass(frozen=True)
class Probe:
    """The longest seeded stream without a deadline, with its timings from the send."""

    body: dict[str, Any]
    text_events: int
    first_text_s: float
    end_s: float

    @property
    def deadline_ms(self) -> int:
        """Halfway between the first text and the end: the stream is generating then."""
        return max(1, round((self.first_text_s + self.end_s) / 2 * 1000))


def _chat_body(ctx: CheckContext, seed: int) -> dict[str, Any]:
    return chat_body(ctx, STORY_PROMPT, max_tokens=DEADLINE_MAX_TOKENS, stream=True, seed=seed)


def _chat_text(payload: Any) -> bool:
    choices = payload.get("choices") if isinstance(payload, dict) else None
    first = choices[0] if isinstance(choices, list) and choices else None
    delta = first.get("delta") if isinstance(first, dict) else None
    return isinstance(delta, dict) and bool(delta.get("content") or delta.get("tool_calls"))


def _chat_at_limit(judgement: Judgement) -> bool:
    finish = judgement.summary.get("finish")
    return isinstance(finish, dict) and "length" in finish.values()


def _generate_body(ctx: CheckContext, seed: int) -> dict[str, Any]:
    return generate_body(ctx, STORY_PROMPT, max_new_tokens=DEADLINE_MAX_TOKENS, stream=True, seed=seed)


def _generate_text(payload: Any) -> bool:
    return isinstance(payload, dict) and bool(payload.get("text_delta"))


CHAT: Final = Surface(
    streams=CHAT_STREAMS,
    error_shape='`data: {"error": {...}}` then `data: [DONE]`',
    body=_chat_body,
    has_text=_chat_text,
    at_limit=_chat_at_limit,
)
GENERATE: Final = Surface(
    streams=GENERATE_STREAMS,
    error_shape="the terminal chunk with `error`, `done: true`, finish_reason error, then `data: [DONE]`",
    body=_generate_body,
    has_text=_generate_text,
    at_limit=lambda judgement: judgement.summary.get("finish_reason") == "length",
)


def _payload(data: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None


def _measure(surface: Surface, result: StreamResult, judgement: Judgement, body: dict[str, Any]) -> Probe:
    events = result.transcript.events
    t0 = result.transcript.t0
    text_times = [e.t_last - t0 for e in events if surface.has_text(_payload(e.data))]
    end = events[judgement.terminal_index] if judgement.terminal_index is not None else events[-1]
    first = text_times[0] if text_times else end.t_last - t0
    return Probe(body, len(text_times), first, end.t_last - t0)


def _longest_probe(ctx: CheckContext, surface: Surface) -> Probe | str:
    """The seeded stream with the most text events, or why none could be measured."""
    best: Probe | None = None
    why = "no probe stream came back"
    for _ in range(PROBE_TRIES):
        body = surface.body(ctx, ctx.rng.randrange(2**31))
        result = ctx.stream("POST", surface.streams.path(ctx), json=body)
        if not is_stream(result):
            ctype = str(result.headers.get("content-type", "")) or "(no content type)"
            return f"the probe stream (no deadline) was answered {result.status} {ctype}"
        judgement = surface.streams.judge(ctx, result, body)
        if not result.transcript.events or judgement.terminal_index is None:
            why = f"the probe stream (no deadline) did not end with `[DONE]` ({result.termination})"
            continue
        probe = _measure(surface, result, judgement, body)
        if best is None or probe.text_events > best.text_events:
            best = probe
        if surface.at_limit(judgement):
            break
    if best is None:
        return why
    if best.text_events < MIN_TEXT_EVENTS:
        return f"the longest probe stream carried {best.text_events} text event(s): no mid-generation to cut"
    return best


def judge_midstream_error(ctx: CheckContext, surface: Surface) -> None:
    """Provoke a mid-stream error with ``deadline_ms`` and judge it (see the module docstring).

    A stream that ends normally before its deadline ran faster than its probe (a target's speed
    varies with its load): it is tried again once, with the deadline halfway through that stream.
    """
    rid = surface.streams.error_rule
    with Verdicts(ctx, [rid], judged_in_streams=[rid]) as verdicts:
        probe = _longest_probe(ctx, surface)
        if isinstance(probe, str):
            verdicts.skip(rid, f"no deadline could be placed: {probe}")
            return
        for attempt in range(1, ATTEMPTS + 1):
            faster = _cut_by_deadline(ctx, verdicts, surface, probe, last=attempt == ATTEMPTS)
            if faster is None:
                return
            probe = faster


def _cut_by_deadline(
    ctx: CheckContext, verdicts: Verdicts, surface: Surface, probe: Probe, *, last: bool
) -> Probe | None:
    """Run the probe's request with its deadline and report; or, when the stream ended normally
    before the deadline and this is not the ``last`` attempt, report nothing and return its timings."""
    rid = surface.streams.error_rule
    deadline_ms = probe.deadline_ms
    body = dict(probe.body, deadline_ms=deadline_ms)
    label = f"{surface.streams.name} stream with deadline_ms {deadline_ms}"
    result = ctx.stream("POST", surface.streams.path(ctx), json=body)
    if not is_stream(result):
        _not_cut(verdicts, rid, label, result)
        return None
    judgement = surface.streams.judge(ctx, result, body)
    error = judgement.summary.get("error")
    if judgement.for_requirement(rid):
        verdicts.stream(label, judgement, result.exchange)
    elif error is not None:
        verdicts.passed(
            rid,
            f"{label} (the probe ran {probe.end_s:.3f}s): ended with {surface.error_shape}, "
            f"code {_code(error)!r}",
            exchanges=[result.exchange],
        )
    else:
        rerun = _measure(surface, result, judgement, body) if judgement.terminal_index is not None else None
        if not last and rerun is not None and rerun.end_s * 1000 <= deadline_ms:
            return Probe(probe.body, rerun.text_events, rerun.first_text_s, rerun.end_s)
        _no_error(verdicts, surface, label, result, judgement, deadline_ms)
    return None


def _code(error: Any) -> Any:
    """The error's code: chat nests the object under ``error``, generate sends it bare."""
    inner = error.get("error", error) if isinstance(error, dict) else None
    return inner.get("code") if isinstance(inner, dict) else None


def _not_cut(verdicts: Verdicts, rid: str, label: str, result: StreamResult) -> None:
    if result.status == 504:
        verdicts.skip(rid, f"{label}: refused 504 before the stream (the target predicts it cannot start)")
        return
    ctype = str(result.headers.get("content-type", "")) or "(no content type)"
    body = (result.body or "")[:200]
    verdicts.skip(rid, f"{label}: answered {result.status or 'with no answer'} {ctype}, no stream: {body}")


def _no_error(
    verdicts: Verdicts,
    surface: Surface,
    label: str,
    result: StreamResult,
    judgement: Judgement,
    deadline_ms: int,
) -> None:
    """No error was sent: a stream the server cut fails; one that ended normally shows nothing."""
    events = result.transcript.events
    ended_s = (events[-1].t_last - result.transcript.t0) if events else result.headers_after_s
    if judgement.terminal_index is None and result.termination in _ENDED_BY_SERVER:
        verdicts.fail(
            surface.streams.error_rule,
            f"{label}: the server ended the stream at {ended_s:.3f}s with neither an error nor `[DONE]`",
            expected=surface.error_shape,
            received=f"{len(events)} events, then {result.termination}",
            exchanges=[result.exchange],
        )
        return
    if judgement.terminal_index is None:
        why = f"the stream did not end ({result.termination})"
    elif ended_s * 1000 <= deadline_ms:
        why = f"the stream ended normally at {ended_s:.3f}s, before its deadline"
    else:
        why = (
            f"the stream ended normally at {ended_s:.3f}s, past its deadline: the target did not apply "
            "deadline_ms here, so no error could be provoked"
        )
    verdicts.skip(surface.streams.error_rule, f"{label}: {why}")


@check("chat-midstream-error", requirements=[CHAT_ERROR_EVENT], profiles=["openai-chat"], needs=["deadlines"])
def chat_midstream_error(ctx: CheckContext) -> None:
    """A chat stream cut by its deadline_ms ends with one OpenAI error event, then `data: [DONE]`."""
    judge_midstream_error(ctx, CHAT)


@check("generate-midstream-error", requirements=[GEN_ERROR_CHUNK], profiles=["generate"], needs=["deadlines"])
def generate_midstream_error(ctx: CheckContext) -> None:
    """A generate stream cut by its deadline_ms ends with the done error chunk, then `data: [DONE]`."""
    judge_midstream_error(ctx, GENERATE)
