"""Collect observations per requirement during a check, then report one verdict each.

Why: a check sends many probes and each probe can break several rules. Reporting a pass per probe
would flood the report; reporting nothing for a requirement no probe reached would be a silent pass.
A :class:`Verdicts` keeps, per requirement its check declares, the failures and the number of
times it was actually observed; :meth:`Verdicts.finish` then reports failures (up to a cap, with
their exchanges), a pass that says how many answers were judged, or ``skipped`` with the reason
nothing was observed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from llmgw_conformance.context import CheckContext
from llmgw_conformance.outcomes import Exchange

#: Failures reported per requirement; the rest are counted in the last message.
MAX_FAILURES_PER_REQUIREMENT = 5


@dataclass
class _Failure:
    message: str
    expected: str | None
    received: str | None
    exchanges: tuple[Exchange, ...]
    shrunk_request: str | None


@dataclass
class _State:
    observed: int = 0
    failures: list[_Failure] = field(default_factory=list)
    skip_reason: str | None = None
    unsupported_reason: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)


class Verdicts:
    """Per-requirement accumulator bound to one check's context."""

    def __init__(self, ctx: CheckContext, requirements: list[str] | tuple[str, ...]) -> None:
        self._ctx = ctx
        self._states: dict[str, _State] = {req: _State() for req in requirements}

    def _state(self, requirement_id: str) -> _State:
        # Observations on requirements this check does not declare are dropped: shared judges
        # (error_rules) judge every rule, each check reports only the ones it is registered for.
        return self._states.get(requirement_id) or _State()

    def observed(self, requirement_id: str, exchange: Exchange | None = None) -> None:
        """The requirement was judged on one answer and held."""
        state = self._state(requirement_id)
        state.observed += 1
        if exchange is not None and len(state.exchanges) < 3:
            state.exchanges.append(exchange)

    def fail(
        self,
        requirement_id: str,
        message: str,
        *,
        expected: str | None = None,
        received: str | None = None,
        exchanges: tuple[Exchange, ...] | list[Exchange] = (),
        shrunk_request: str | None = None,
    ) -> None:
        """The requirement was judged on one answer and broken."""
        state = self._state(requirement_id)
        state.observed += 1
        state.failures.append(_Failure(message, expected, received, tuple(exchanges), shrunk_request))

    def skip(self, requirement_id: str, reason: str) -> None:
        """Nothing could be observed for the requirement on this target (kept only if nothing else was)."""
        state = self._state(requirement_id)
        if state.skip_reason is None:
            state.skip_reason = reason

    def not_supported(self, requirement_id: str, reason: str) -> None:
        """The target does not claim what the requirement needs."""
        self._state(requirement_id).unsupported_reason = reason

    def failed_any(self, requirement_id: str) -> bool:
        """Whether a failure was recorded for the requirement so far."""
        return bool(self._state(requirement_id).failures)

    def finish(self) -> None:
        """Report one verdict per requirement (failures first; never a pass without an observation)."""
        for req, state in self._states.items():
            if state.failures:
                shown = state.failures[:MAX_FAILURES_PER_REQUIREMENT]
                extra = len(state.failures) - len(shown)
                for i, failure in enumerate(shown):
                    message = failure.message
                    if extra and i == len(shown) - 1:
                        message += f" (and {extra} more failures of this requirement)"
                    self._ctx.failed(
                        req,
                        message,
                        expected=failure.expected,
                        received=failure.received,
                        exchanges=failure.exchanges,
                        shrunk_request=failure.shrunk_request,
                    )
            elif state.unsupported_reason is not None and not state.observed:
                self._ctx.not_supported(req, state.unsupported_reason)
            elif state.observed:
                self._ctx.passed(
                    req, f"held on {state.observed} observed answer(s)", exchanges=state.exchanges
                )
            else:
                self._ctx.skipped(
                    req, state.skip_reason or "no answer of this check could show this requirement"
                )
