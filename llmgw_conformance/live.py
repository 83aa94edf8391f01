"""The live :class:`~conformance.context.CheckContext`: what the runner hands to each check.

Why a context object and not module globals: each check gets its own seeded random generator, its
own list of findings and its own time budget, so checks can run isolated, replay exactly from a
seed, and be stopped when they overrun. Requests go through the run's shared
:class:`~conformance.http_session.HttpSession` (one connection pool, one redactor), but every
exchange a check makes is also kept on its context, so a finding can cite it.

Budget: every request and stream is bounded by the check's remaining budget as well as by the
limits; once the budget is spent, the next request raises :class:`CheckBudgetExceeded`, which the
runner reports as ``error`` "check exceeded its budget" (it is the suite's limit, not the target's
fault).

For tests of checks, :func:`make_context` builds a context against any URL in one call and returns
the list the findings land in.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Unpack

from llmgw_conformance.context import RequestKeywords, StreamKeywords
from llmgw_conformance.contract import LoadedContract, load_contract
from llmgw_conformance.http_session import HttpSession, Limits, LiveResponse, LiveStreamResult
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Exchange, FailureEvidence, Finding, Outcome
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.target import DiscoveredTarget, discover


class CheckBudgetExceeded(Exception):
    """Raised by a context whose check has used up its time budget."""


class NoModelKnown(Exception):
    """Raised instead of sending ``"model": ""``: the target lists no model and none was given.

    Why raise: a request with an empty model tests nothing the check meant to test, and its refusal
    would read as the target's failure; the runner turns it into *skipped* with this reason.
    """

    REASON = "no model is known (the target lists none and no --model was given)"


def _guard_model(target: Any, body: Any) -> None:
    if isinstance(body, Mapping) and body.get("model") == "" and not getattr(target, "model", ""):
        raise NoModelKnown(NoModelKnown.REASON)


def limits_from(options: SuiteOptions) -> Limits:
    """The per-request limits of a session: the run's options of the same names."""
    return Limits(**{f.name: getattr(options, f.name) for f in dataclasses.fields(Limits)})


def check_rng(seed: int, check_name: str) -> random.Random:
    """The generator of one check: the same seed and name always give the same choices."""
    return random.Random(f"{seed}:{check_name}")


class LiveContext:
    """Implements :class:`llmgw_conformance.context.CheckContext` over a live target."""

    def __init__(
        self,
        *,
        target: DiscoveredTarget,
        contract: LoadedContract,
        options: SuiteOptions,
        session: HttpSession,
        check_name: str,
        findings: list[Finding] | None = None,
        budget_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        guard_model: bool = False,
    ) -> None:
        self.target = target
        #: Raise NoModelKnown instead of sending ``"model": ""`` (the runner turns it into skips; a
        #: test that calls a check directly through make_context gets the old behaviour).
        self.guard_model = guard_model
        self.contract = contract
        self.options = options
        self.session = session
        self.check_name = check_name
        self.rng = check_rng(options.seed, check_name)
        self.findings: list[Finding] = findings if findings is not None else []
        #: Every exchange this check made, in order.
        self.exchanges: list[Exchange] = []
        self._clock = clock
        budget = options.check_budget_s if budget_s is None else budget_s
        self.deadline = clock() + budget

    # -- budget --------------------------------------------------------------------------------

    def remaining_s(self) -> float:
        """Seconds left in this check's budget."""
        return self.deadline - self._clock()

    def _bounded(self, wanted: float) -> float:
        left = self.remaining_s()
        if left <= 0:
            raise CheckBudgetExceeded(f"check {self.check_name!r} exceeded its budget")
        return max(0.001, min(wanted, left))

    def _sending(self, body: Any, wanted_s: float) -> float:
        """The wait one request or stream may take, bounded by the check's budget; with the model
        guard on, a body with ``"model": ""`` is refused before it is sent."""
        if self.guard_model:
            _guard_model(self.target, body)
        return self._bounded(wanted_s)

    # -- talking to the target -----------------------------------------------------------------

    @property
    def api_key(self) -> str | None:
        return self.options.api_key

    @property
    def restricted_api_key(self) -> str | None:
        return self.options.restricted_api_key

    def url(self, path: str) -> str:
        return self.session.url(path)

    def request(self, method: str, path: str, **sent: Unpack[RequestKeywords]) -> LiveResponse:
        wanted = sent.get("timeout_s")
        sent["timeout_s"] = self._sending(
            sent.get("json"), self.options.read_timeout_s if wanted is None else wanted
        )
        response = self.session.request(method, path, **sent)
        self.exchanges.append(response.exchange)
        return response

    def stream(self, method: str, path: str, **sent: Unpack[StreamKeywords]) -> LiveStreamResult:
        budget = self._sending(sent.get("json"), self.options.stream_budget_s)
        result = self.session.stream(method, path, budget_s=budget, **sent)
        self.exchanges.append(result.exchange)
        return result

    # -- reporting -----------------------------------------------------------------------------

    def _record(self, finding: Finding) -> None:
        if finding.requirement_id not in self.contract.requirements:
            raise KeyError(
                f"check {self.check_name!r} reported on {finding.requirement_id!r}, "
                "which is not in the requirement catalogue"
            )
        redactor = self.session.redactor
        self.findings.append(
            Finding(
                requirement_id=finding.requirement_id,
                outcome=finding.outcome,
                check=finding.check,
                message=redactor.text(finding.message),
                expected=redactor.text(finding.expected) if finding.expected is not None else None,
                received=redactor.text(finding.received) if finding.received is not None else None,
                exchanges=finding.exchanges,
                shrunk_request=(
                    redactor.text(finding.shrunk_request) if finding.shrunk_request is not None else None
                ),
                details=redactor.deep(finding.details),
            )
        )

    def passed(self, requirement_id: str, message: str = "", *, exchanges: Sequence[Exchange] = ()) -> None:
        self._record(
            Finding(requirement_id, Outcome.PASSED, self.check_name, message, exchanges=tuple(exchanges))
        )

    def failed(self, requirement_id: str, message: str, **evidence: Unpack[FailureEvidence]) -> None:
        self._record(Finding.failure(requirement_id, self.check_name, message, **evidence))

    def skipped(self, requirement_id: str, reason: str) -> None:
        self._record(Finding(requirement_id, Outcome.SKIPPED, self.check_name, reason))

    def not_supported(self, requirement_id: str, reason: str) -> None:
        self._record(Finding(requirement_id, Outcome.NOT_SUPPORTED, self.check_name, reason))

    def close(self) -> None:
        """Close the HTTP session (for contexts made by :func:`make_context`; the runner closes its own)."""
        self.session.close()

    def error(self, requirement_id: str, message: str) -> None:
        """Record that the suite itself failed on this requirement (used by the runner)."""
        self._record(Finding(requirement_id, Outcome.ERROR, self.check_name, message))


def make_context(
    base_url: str,
    api_key: str | None,
    check_name: str,
    options: SuiteOptions | None = None,
    restricted_api_key: str | None = None,
) -> tuple[LiveContext, list[Finding]]:
    """A context for ``check_name`` against ``base_url`` (discovery done), and its findings list.

    For tests: call the check function with the context, then assert on the findings. ``options``
    gives the limits (their target and keys are replaced by the arguments).
    """
    opts = (options or SuiteOptions()).replace(
        target=base_url, api_key=api_key, restricted_api_key=restricted_api_key
    )
    contract = load_contract(opts.contracts_dir)
    redactor = Redactor.for_keys(api_key, restricted_api_key)
    session = HttpSession(base_url, limits_from(opts), redactor, api_key=api_key)
    target = discover(session, model=opts.model, restricted_api_key=restricted_api_key)
    ctx = LiveContext(target=target, contract=contract, options=opts, session=session, check_name=check_name)
    return ctx, ctx.findings
