"""From judged streams to findings: the reporting every stream check shares.

A stream check opens a few streams, judges each with a pure judge from :mod:`llmgw_conformance.grammar`,
and must then say, for each requirement it covers, passed (no stream broke it), failed (the first
violation of each stream that broke it, with rule, event number, bytes and the exchange), or skipped
(nothing in what it saw could show the rule, e.g. no mid-stream error happened). Keeping this in one
place keeps the verdict rules identical across the native, chat and generate checks.

The SSE framing requirements (SSE-*) are judged on every stream a check reads; their budgets come
from the options (header budget, idle gap) and, when the target declares one, ``limits.heartbeat_ms``
plus :data:`HEARTBEAT_TOLERANCE_S` for network and scheduling jitter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from llmgw_conformance.context import CheckContext, StreamResult
from llmgw_conformance.grammar import Judgement, StreamMeta, is_event_stream
from llmgw_conformance.outcomes import Exchange

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
    directory = getattr(ctx.contract, "directory", None)
    return {
        "rules": ctx.contract.grammars.get(kind),
        "contract_dir": Path(directory) / "openapi" if directory is not None else None,
    }


def is_stream(result: StreamResult) -> bool:
    """True when the answer is a 200 event stream (anything else has no events to judge)."""
    return result.status == 200 and is_event_stream(str(result.headers.get("content-type", "")))


def claims_profile(ctx: CheckContext, profile: str) -> bool:
    """True when the target claims ``profile`` (from capabilities, or as inferred at discovery)."""
    profiles = getattr(ctx.target, "profiles", None)
    if profiles:
        return profile in profiles
    caps = ctx.target.capabilities or {}
    return profile in (caps.get("profiles") or [])


@dataclass
class StreamVerdicts:
    """Judgements of the streams one check read, reported once per requirement at the end."""

    judged: list[tuple[str, Judgement, Exchange]] = field(default_factory=list)
    #: Requirement -> why it could not be observed (kept until some stream observes it).
    unobserved: dict[str, str] = field(default_factory=dict)
    #: Requirements some stream did observe (clears an entry of ``unobserved``).
    observed: set[str] = field(default_factory=set)

    def add(self, label: str, judgement: Judgement, exchange: Exchange) -> None:
        """Keep the judgement of the stream called ``label`` (e.g. "chat with include_usage")."""
        self.judged.append((label, judgement, exchange))

    def exchanges(self) -> list[Exchange]:
        """The exchanges of the streams judged so far."""
        return [exchange for _, _, exchange in self.judged]

    def not_observed(self, requirement_id: str, reason: str) -> None:
        """Note that a requirement could not be seen in these streams (unless another stream saw it)."""
        self.unobserved.setdefault(requirement_id, reason)

    def saw(self, requirement_id: str) -> None:
        """Note that a stream showed the situation a requirement is about."""
        self.observed.add(requirement_id)

    def report(self, ctx: CheckContext, requirements: Iterable[str]) -> None:
        """One verdict per requirement: failed per stream that broke it, else skipped or passed."""
        for requirement_id in requirements:
            failures = 0
            for label, judgement, exchange in self.judged:
                found = judgement.for_requirement(requirement_id)
                if not found:
                    continue
                failures += 1
                first = found[0]
                more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
                received = first.received or ""
                if first.raw:
                    received = f"{received}\nbytes: {first.raw}" if received else f"bytes: {first.raw}"
                ctx.failed(
                    requirement_id,
                    f"{label}: {first.headline()}{more}",
                    expected=first.expected,
                    received=received or None,
                    exchanges=[exchange],
                )
            if failures:
                continue
            if requirement_id in self.unobserved and requirement_id not in self.observed:
                ctx.skipped(requirement_id, self.unobserved[requirement_id])
            elif not self.judged:
                ctx.skipped(requirement_id, "no stream could be read from the target")
            else:
                labels = ", ".join(label for label, _, _ in self.judged)
                ctx.passed(
                    requirement_id,
                    f"held in {len(self.judged)} stream(s): {labels}",
                    exchanges=[e for _, _, e in self.judged],
                )

    def report_if_seen(self, ctx: CheckContext, requirement_id: str) -> None:
        """Report ``requirement_id`` only when some stream showed its situation or broke it.

        For a rule a check meets only by chance (a mid-stream error in a plain stream): another
        check provokes it on purpose, and a "skipped" from here would outrank that check's "passed".
        """
        broken = any(judgement.for_requirement(requirement_id) for _, judgement, _ in self.judged)
        if broken or requirement_id in self.observed:
            self.report(ctx, (requirement_id,))


def not_a_stream(ctx: CheckContext, label: str, result: StreamResult, requirements: Iterable[str]) -> None:
    """A stream request answered with something else: SSE-CONTENT-TYPE fails, the rest is unobservable."""
    ctype = str(result.headers.get("content-type", "")) or "(none)"
    if result.status == 200:
        ctx.failed(
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
            ctx.skipped(requirement_id, reason)
