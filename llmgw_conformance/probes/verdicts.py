"""The one way a check reports: collect what it saw per requirement, then one verdict each.

Why one collector: a check sends many probes and reads a few streams, and each can break several
rules. Reporting a pass per probe would flood the report; reporting nothing for a requirement no
probe reached would be a silent pass; five ways of reporting (direct context calls, two collectors,
a flow's ``expect``, an exception) gave five slightly different rules for the same question. A
:class:`Verdicts` keeps, per requirement its check declares:

* failures (:meth:`~Verdicts.fail`: expected, received, exchanges, shrunk request), reported up to
  :data:`MAX_FAILURES_PER_REQUIREMENT`, the last one counting the rest;
* observations that held (:meth:`~Verdicts.observed`, summed up as "held on N observed answer(s)")
  or a pass in the check's own words (:meth:`~Verdicts.passed`);
* judged streams (:meth:`~Verdicts.stream`): for the requirements the check names as judged in
  its streams, one failure per stream that broke the rule (its first violation, "+N more", the raw
  bytes), else a pass naming the streams, or a skip when no stream could show the rule
  (:meth:`~Verdicts.not_observed` / :meth:`~Verdicts.saw`); *incidental* requirements (met only by
  chance, e.g. a mid-stream error in a plain stream) are reported only when a stream showed them;
* why a requirement could not be observed (:meth:`~Verdicts.skip`) or is not claimed
  (:meth:`~Verdicts.not_supported`), kept only when nothing was observed.

Failures always win, then passes, then "not supported", then "skipped"; never a pass without an
observation. *Caused by* is not the check's business: the run links failures that are one defect
after every check has reported (:mod:`llmgw_conformance.causes`).

Used as ``with Verdicts(ctx, REQS) as verdicts:`` the verdicts are reported when the block ends. When
an exception leaves the block (the check's budget spent, the target unusable, a bug of the suite) only
what is already definite is reported: failures, and passes in the check's own words. Requirements
judged by counting observations get no verdict, so the runner reports them as it reports any
requirement a check left without one (an error, or a skip when the target became unusable).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self, Unpack

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.grammar import Judgement
from llmgw_conformance.outcomes import Exchange, FailureEvidence

#: Failures reported per requirement; the rest are counted in the last message.
MAX_FAILURES_PER_REQUIREMENT = 5

#: How much of a refused answer's body a failure quotes.
RECEIVED_BODY_CHARS = 200


@dataclass(frozen=True)
class JudgedStream:
    """One stream a check read and judged, under the label its messages use."""

    label: str
    judgement: Judgement
    exchange: Exchange


@dataclass
class _Failure:
    message: str
    evidence: FailureEvidence


@dataclass
class _State:
    observed: int = 0
    failures: list[_Failure] = field(default_factory=list)
    passes: list[tuple[str, tuple[Exchange, ...]]] = field(default_factory=list)
    skip_reason: str | None = None
    unsupported_reason: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)


class Verdicts:
    """Per-requirement collector bound to one check's context; reports through the context's sink."""

    def __init__(
        self,
        ctx: CheckContext,
        requirements: Iterable[str],
        *,
        judged_in_streams: Iterable[str] = (),
        incidental: Iterable[str] = (),
    ) -> None:
        """``requirements``: what the check reports on (anything else is dropped: shared judges such
        as error_rules judge every rule, each check reports only its own). ``judged_in_streams``:
        those the judged streams decide. ``incidental``: stream rules reported only if a stream
        showed them (another check provokes them on purpose; a skip from here would outrank its pass).
        """
        self._ctx = ctx
        self._incidental = tuple(incidental)
        self._stream_rules = (*judged_in_streams, *self._incidental)
        self._states: dict[str, _State] = {req: _State() for req in (*requirements, *self._incidental)}
        self._streams: list[JudgedStream] = []
        self._unobserved: dict[str, str] = {}
        self._seen: set[str] = set()
        self._finished = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.finish(complete=exc_type is None)

    def _state(self, requirement_id: str) -> _State:
        return self._states.get(requirement_id) or _State()

    # -- what a check saw ------------------------------------------------------------------------

    def observed(self, requirement_id: str, exchange: Exchange | None = None) -> None:
        """The requirement was judged on one answer and held."""
        state = self._state(requirement_id)
        state.observed += 1
        if exchange is not None and len(state.exchanges) < 3:
            state.exchanges.append(exchange)

    def passed(self, requirement_id: str, message: str, *, exchanges: Sequence[Exchange] = ()) -> None:
        """The requirement held, in the check's own words (reported as given unless it also failed)."""
        state = self._state(requirement_id)
        state.observed += 1
        state.passes.append((message, tuple(exchanges)))

    def fail(self, requirement_id: str, message: str, **evidence: Unpack[FailureEvidence]) -> None:
        """The requirement was judged on one answer and broken."""
        state = self._state(requirement_id)
        state.observed += 1
        # A copy of the exchanges: a check may go on adding to the list it passed.
        evidence["exchanges"] = tuple(evidence.get("exchanges", ()))
        state.failures.append(_Failure(message, evidence))

    def expect(
        self,
        requirement_id: str,
        held: bool,
        message: str,
        *,
        answer: Response | None = None,
        expected: str | None = None,
        received: str | None = None,
        exchanges: Sequence[Exchange] = (),
    ) -> bool:
        """Judge one observation: :meth:`observed` when ``held``, else :meth:`fail` with ``message``.

        ``answer`` is the response the rule was judged on: its exchange is the evidence, and when
        ``received`` is not given, the start of its body is what a failure shows. Returns ``held``,
        so a check can stop probing a rule that already broke.
        """
        evidence = tuple(exchanges) or ((answer.exchange,) if answer is not None else ())
        if held:
            self.observed(requirement_id, evidence[-1] if evidence else None)
            return True
        if received is None and answer is not None:
            received = (answer.text or "")[:RECEIVED_BODY_CHARS]
        self.fail(requirement_id, message, expected=expected, received=received, exchanges=evidence)
        return False

    def expect_status(self, requirement_id: str, answer: Response, status: int, what: str) -> bool:
        """The rule holds when ``answer`` has ``status``; else fail with "<what> answered <status>"."""
        return self.expect(
            requirement_id,
            answer.status == status,
            f"{what} answered {answer.status}",
            answer=answer,
            expected=str(status),
        )

    def skip(self, requirement_id: str, reason: str) -> None:
        """Nothing could be observed for the requirement on this target (kept only if nothing else was)."""
        state = self._state(requirement_id)
        if state.skip_reason is None:
            state.skip_reason = reason

    def not_supported(self, requirement_id: str, reason: str) -> None:
        """The target does not claim what the requirement needs (kept only if nothing was observed)."""
        self._state(requirement_id).unsupported_reason = reason

    def failed_any(self, requirement_id: str) -> bool:
        """Whether a failure was recorded for the requirement so far (streams included)."""
        return bool(self._state(requirement_id).failures) or any(
            s.judgement.for_requirement(requirement_id) for s in self._streams
        )

    # -- streams ---------------------------------------------------------------------------------

    def stream(self, label: str, judgement: Judgement, exchange: Exchange) -> None:
        """Keep the judgement of the stream called ``label`` (e.g. "chat with include_usage")."""
        self._streams.append(JudgedStream(label, judgement, exchange))

    @property
    def streams(self) -> list[JudgedStream]:
        """The streams judged so far, in the order they were read."""
        return list(self._streams)

    def not_observed(self, requirement_id: str, reason: str) -> None:
        """No stream so far could show the requirement (unless another stream :meth:`saw` it)."""
        self._unobserved.setdefault(requirement_id, reason)

    def saw(self, requirement_id: str) -> None:
        """A stream showed the situation the requirement is about."""
        self._seen.add(requirement_id)

    def _stream_failures(self, requirement_id: str) -> list[_Failure]:
        """One failure per stream that broke the rule: its first violation, with the raw bytes."""
        failures = []
        for judged in self._streams:
            found = judged.judgement.for_requirement(requirement_id)
            if not found:
                continue
            first = found[0]
            more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
            received = first.received or ""
            if first.raw:
                received = f"{received}\nbytes: {first.raw}" if received else f"bytes: {first.raw}"
            evidence = FailureEvidence(
                expected=first.expected, received=received or None, exchanges=(judged.exchange,)
            )
            failures.append(_Failure(f"{judged.label}: {first.headline()}{more}", evidence))
        return failures

    def _stream_verdict(self, requirement_id: str, state: _State) -> None:
        """Fold what the streams showed of a stream rule (no failure of it) into ``state``."""
        if requirement_id in self._unobserved and requirement_id not in self._seen:
            state.skip_reason = self._unobserved[requirement_id]
        elif not self._streams:
            state.skip_reason = state.skip_reason or "no stream could be read from the target"
        else:
            labels = ", ".join(s.label for s in self._streams)
            message = f"held in {len(self._streams)} stream(s): {labels}"
            state.passes.append((message, tuple(s.exchange for s in self._streams)))
            state.observed += 1

    # -- the verdicts ----------------------------------------------------------------------------

    def finish(self, *, complete: bool = True) -> None:
        """Report one verdict per requirement (once; later calls do nothing).

        ``complete=False`` (an exception ended the check): report only failures and passes in the
        check's own words, the rest is left without a verdict for the runner to report.
        """
        if self._finished:
            return
        self._finished = True
        for req, state in self._states.items():
            stream_failures = self._stream_failures(req) if req in self._stream_rules else []
            if req in self._incidental and not stream_failures and req not in self._seen:
                continue
            if stream_failures or state.failures:
                self._report_failures(req, state.failures, stream_failures)
                continue
            if not complete:
                for message, exchanges in state.passes:
                    self._ctx.passed(req, message, exchanges=exchanges)
                continue
            if req in self._stream_rules:
                self._stream_verdict(req, state)
            self._report_rest(req, state)

    def _report_failures(self, req: str, failures: list[_Failure], stream_failures: list[_Failure]) -> None:
        shown = failures[:MAX_FAILURES_PER_REQUIREMENT]
        extra = len(failures) - len(shown)
        for i, failure in enumerate([*shown, *stream_failures]):
            message = failure.message
            if extra and i == len(shown) - 1:
                message += f" (and {extra} more failures of this requirement)"
            self._ctx.failed(req, message, **failure.evidence)

    def _report_rest(self, req: str, state: _State) -> None:
        if state.passes:
            for message, exchanges in state.passes:
                self._ctx.passed(req, message, exchanges=exchanges)
        elif state.unsupported_reason is not None and not state.observed:
            self._ctx.not_supported(req, state.unsupported_reason)
        elif state.observed:
            self._ctx.passed(req, f"held on {state.observed} observed answer(s)", exchanges=state.exchanges)
        else:
            self._ctx.skipped(req, state.skip_reason or "no answer of this check could show this requirement")
