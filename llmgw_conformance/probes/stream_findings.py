"""From judged streams to findings: the reporting every stream check shares.

A stream check opens a few streams, judges each with a pure judge from :mod:`llmgw_conformance.grammar`
and hands the judgements to its :class:`~llmgw_conformance.probes.verdicts.Verdicts`, which turns them
into one verdict per requirement. What is here is what the native, chat and generate checks share
before that: the framing judge's view of a live answer, the contract's grammar, and the verdicts for
a stream request answered with something else (no stream where one was asked for, or a stream where
an invalid request had to be refused first).

The SSE framing requirements (SSE-*) are judged on every stream a check reads; their budgets come
from the options (header budget, idle gap) and, when the target declares one, ``limits.heartbeat_ms``
plus :data:`HEARTBEAT_TOLERANCE_S` for network and scheduling jitter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from llmgw_conformance.context import CheckContext, StreamResult
from llmgw_conformance.grammar import StreamMeta, is_event_stream
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.verdicts import Verdicts

#: Requirements judged on every stream by the framing judge.
FRAMING_REQUIREMENTS: Final = (
    "SSE-CONTENT-TYPE",
    "SSE-FRAMING-VALID",
    "SSE-DATA-JSON",
    "SSE-NO-UNKNOWN-FIELDS",
    "SSE-NO-EMPTY-DATA",
    "SSE-HEADERS-PROMPT",
    "SSE-NO-STALL",
    "SSE-STREAM-ENDS",
)
#: Added to a declared heartbeat before a silence counts as a stall (network and scheduling jitter).
HEARTBEAT_TOLERANCE_S: Final = 0.5


def limits(ctx: CheckContext) -> Mapping[str, Any]:
    """``capabilities.limits`` of the target, or an empty mapping."""
    caps = ctx.target.capabilities or {}
    found = caps.get("limits") if isinstance(caps, Mapping) else None
    return found if isinstance(found, Mapping) else {}


def idle_gap_s(ctx: CheckContext) -> float:
    """The silence allowed in a stream: the declared heartbeat (plus tolerance), else the option."""
    heartbeat = limits(ctx).get("heartbeat_ms")
    if isinstance(heartbeat, int) and not isinstance(heartbeat, bool) and heartbeat > 0:
        return min(ctx.options.idle_gap_s, heartbeat / 1000 + HEARTBEAT_TOLERANCE_S)
    return ctx.options.idle_gap_s


def stream_meta(ctx: CheckContext, result: StreamResult) -> StreamMeta:
    """The framing judge's view of a live stream answer."""
    return StreamMeta(
        status=result.status,
        content_type=str(result.headers.get("content-type", "")),
        headers_after_s=result.headers_after_s,
        header_budget_s=ctx.options.header_budget_s,
        idle_gap_s=idle_gap_s(ctx),
        termination=result.termination,
    )


def judge_contract(ctx: CheckContext, kind: str) -> dict[str, Any]:
    """Keyword arguments for a judge: the grammar ``kind`` and the schemas of the run's contract
    (``--contracts-dir``), so streams are judged by the contract the report names."""
    return {
        "rules": ctx.contract.grammars.get(kind),
        "contract_dir": Path(ctx.contract.directory) / "openapi",
    }


def is_stream(result: StreamResult) -> bool:
    """True when the answer is a 200 event stream (anything else has no events to judge)."""
    return result.status == 200 and is_event_stream(str(result.headers.get("content-type", "")))


def claims_profile(ctx: CheckContext, profile: str) -> bool:
    """True when the target claims ``profile`` (from capabilities, or as inferred at discovery)."""
    profiles = ctx.target.profiles
    if profiles:
        return profile in profiles
    caps = ctx.target.capabilities or {}
    return profile in (caps.get("profiles") or [])


def not_a_stream(verdicts: Verdicts, label: str, result: StreamResult, requirements: Iterable[str]) -> None:
    """A stream request answered with something else: SSE-CONTENT-TYPE fails, the rest is unobservable
    (also in the streams judged before it: the check stops here, its stream rules are not passed)."""
    ctype = str(result.headers.get("content-type", "")) or "(none)"
    if result.status == 200:
        verdicts.fail(
            "SSE-CONTENT-TYPE",
            f"{label}: a stream request was answered 200 with Content-Type {ctype}",
            expected="200 text/event-stream",
            received=f"{result.status} {ctype}\n{(result.body or '')[:300]}",
            exchanges=[result.exchange],
        )
    reason = f"{label}: the stream request was answered {result.status or 'with no answer'} {ctype}"
    if result.status not in (0, 200):
        reason += f": {(result.body or '')[:200]}"
    for requirement_id in requirements:
        if requirement_id != "SSE-CONTENT-TYPE" or result.status != 200:
            verdicts.skip(requirement_id, reason)
            verdicts.not_observed(requirement_id, reason)


def judge_refused_before_stream(
    ctx: CheckContext,
    verdicts: Verdicts,
    requirement_id: str,
    what: str,
    result: StreamResult,
    *,
    envelope: str | None = None,
    evidence: Sequence[Exchange] = (),
) -> bool | None:
    """One invalid streaming request, that must be refused with a non-2xx JSON error before any stream
    byte (an ``envelope`` body where the contract names one): whether it was, with a failure recorded
    when not ("<what> was <how>"); None, after a skip, when it got no answer at all."""
    ctype = str(result.headers.get("content-type", ""))
    if result.status == 0:
        verdicts.skip(requirement_id, f"{what}: no answer ({result.termination})")
        return None
    if 200 <= result.status < 300 or "json" not in ctype.lower():
        problem = f"answered {result.status} {ctype}"
    else:
        errors = ctx.contract.schema_errors(envelope, _json(result.body)) if envelope else []
        problem = f"the error body is no {envelope}: {errors[0]}" if errors else ""
    if problem:
        verdicts.fail(
            requirement_id,
            f"{what} was {problem}",
            expected=f"a non-2xx application/json {envelope or 'error'} before any stream byte",
            received=f"{result.status} {ctype}: {bytes(result.transcript.stream[:200])!r}",
            exchanges=evidence or [result.exchange],
        )
    return not problem


def _json(text: str | None) -> Any:
    try:
        return json.loads(text or "")
    except (ValueError, RecursionError):
        return None
