"""One way to read and judge a chat or generate stream: what differs between the two is a :class:`StreamKind`.

Why: the chat and generate probes, the grammar checks and the mid-stream error checks each spelt out
the same steps per stream kind (send with ``stream: true``, refuse what is not an event stream, judge
by the contract's grammar, keep the judgement, note an error the stream carried). Written once here,
a stream kind is a path, a judge and the requirement its error shows; adding one touches one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from llmgw_conformance.context import CheckContext, StreamResult
from llmgw_conformance.grammar import Judgement
from llmgw_conformance.probes.stream_findings import is_stream, not_a_stream
from llmgw_conformance.probes.verdicts import Verdicts


@dataclass(frozen=True)
class StreamKind:
    """What tells one kind of generation stream from another."""

    #: The kind in words ("chat", "generate"), for labels and messages.
    name: str
    #: Where a request of this kind is sent.
    path: Callable[[CheckContext], str]
    #: The grammar judge of this kind, given the live answer and the request body that was sent.
    judge: Callable[[CheckContext, StreamResult, dict[str, Any]], Judgement]
    #: The requirement a stream carrying an error shows (reported only when a stream showed one).
    error_rule: str
    #: The requirement that nothing follows ``[DONE]``, for kinds whose every stream ends with it.
    after_done_rule: str | None = None


def seeded_request(ctx: CheckContext, fields: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """A request of any kind made repeatable: ``fields``, then temperature 0 and the run's seed (so a
    re-run of the suite sends what this one sent), then ``extra``, which may override any of them."""
    return {**fields, "temperature": 0, "seed": ctx.options.seed, **extra}


def judged_stream(
    ctx: CheckContext,
    verdicts: Verdicts,
    kind: StreamKind,
    label: str,
    body: dict[str, Any],
    covered: tuple[str, ...],
) -> Judgement | None:
    """Stream ``body``, judge it and keep the judgement; None (after skipping ``covered``) when the
    answer was no event stream."""
    sent = dict(body, stream=True)
    result = ctx.stream("POST", kind.path(ctx), json=sent)
    if not is_stream(result):
        not_a_stream(verdicts, label, result, covered)
        return None
    judgement = kind.judge(ctx, result, sent)
    verdicts.stream(label, judgement, result.exchange)
    if judgement.summary.get("error") is not None:
        verdicts.saw(kind.error_rule)
    if kind.after_done_rule is None:
        return judgement
    # Nothing can follow a [DONE] that never came: that rule is unobserved, not passed.
    if judgement.terminal_index is None:
        reason = f"{label}: no [DONE] was sent, so nothing after it could be seen"
        verdicts.not_observed(kind.after_done_rule, reason)
    else:
        verdicts.saw(kind.after_done_rule)
    return judgement


def grammar_verdicts(ctx: CheckContext, kind: StreamKind, requirements: tuple[str, ...]) -> Verdicts:
    """The collector of a grammar check: every requirement judged in its streams, and the kind's error
    rule reported only when one of them carried an error (``*-midstream-error`` provokes one)."""
    return Verdicts(ctx, requirements, judged_in_streams=requirements, incidental=(kind.error_rule,))


def judged_variants(
    ctx: CheckContext,
    verdicts: Verdicts,
    kind: StreamKind,
    variants: Sequence[tuple[str, dict[str, Any]]],
    requirements: tuple[str, ...],
) -> Judgement | None:
    """Read and judge each ``(label, body)`` stream in turn; the last judgement, or None as soon as
    one answer was no stream (its requirements are then unobservable, see :func:`not_a_stream`)."""
    judgement: Judgement | None = None
    for label, body in variants:
        judgement = judged_stream(ctx, verdicts, kind, label, body, requirements)
        if judgement is None:
            return None
    return judgement
