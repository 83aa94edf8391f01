"""The fixed vocabulary of verdicts, and the records a check produces.

A check never returns a bare boolean: it reports, per requirement id, one of five
outcomes with the evidence that supports it. Keeping the set closed is what lets the
report say "never a silent pass": a requirement whose check did not run is *skipped*
with a reason, one the target does not claim is *not supported*, and a crash of the
suite itself is an *error*, never a failure of the target.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack


class Outcome(enum.StrEnum):
    """Verdict for one requirement. Order of severity is given by :data:`SEVERITY`."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    NOT_SUPPORTED = "not_supported"
    ERROR = "error"


#: When several checks report on one requirement, the most severe outcome wins.
SEVERITY: dict[Outcome, int] = {
    Outcome.PASSED: 0,
    Outcome.NOT_SUPPORTED: 1,
    Outcome.SKIPPED: 2,
    Outcome.ERROR: 3,
    Outcome.FAILED: 4,
}


class Level(enum.StrEnum):
    """RFC 2119 level of a requirement; MUST and SHOULD are graded apart."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


@dataclass(frozen=True)
class Exchange:
    """One HTTP exchange as evidence: what was sent and what came back.

    Bodies are kept as text, truncated by the recorder; headers are already redacted
    (no Authorization, no API keys) by the time an Exchange exists.
    """

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str | None
    status: int | None
    response_headers: dict[str, str]
    response_body: str | None
    elapsed_s: float
    #: Rendered stream transcript (conformance.sse Transcript), when the answer was a stream.
    transcript: dict[str, Any] | None = None
    #: A `curl` command that replays the request (`-N` for streams), secrets replaced by $API_KEY.
    curl: str = ""


@dataclass(frozen=True)
class Cause:
    """The earlier failure a failure follows from (same request, same defect): one defect, one count."""

    requirement_id: str
    check: str
    message: str


#: Key of ``Finding.details`` that marks a "not run" skip: the requirement was left out of this run
#: on purpose (a ``--check`` rerun, or its only checks belong to a profile that was not selected).
#: Why a skip and not a sixth outcome: the outcome set is fixed and shared with the report schema,
#: JUnit and the pytest plugin; a not-run skip is shown and counted apart and never makes a profile
#: partial, because nothing about the target was left unproven by this run's own selection.
NOT_RUN = "not_run"


class FailureEvidence(TypedDict, total=False):
    """What a failure may carry besides its message: the keywords of every way of failing a
    requirement (``ctx.failed``, ``verdicts.fail``, ``TargetViolation``), declared once here."""

    #: What the requirement asks for, and what the target did instead.
    expected: str | None
    received: str | None
    #: The exchanges that show the failure.
    exchanges: Sequence[Exchange]
    #: For hypothesis-found failures: the shrunk request, as JSON text.
    shrunk_request: str | None


@dataclass(frozen=True)
class Finding:
    """One verdict on one requirement, produced by one check."""

    requirement_id: str
    outcome: Outcome
    check: str
    #: One line a person reads first, e.g. "event #3 is `token` but `started` must come first".
    message: str = ""
    expected: str | None = None
    received: str | None = None
    exchanges: tuple[Exchange, ...] = ()
    #: For hypothesis-found failures: the shrunk request, as JSON text.
    shrunk_request: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    #: Set on a failure that follows from another one (see conformance.causes); counted once, there.
    caused_by: Cause | None = None

    @classmethod
    def failure(
        cls, requirement_id: str, check: str, message: str, **evidence: Unpack[FailureEvidence]
    ) -> Finding:
        """A failed verdict with its evidence (absent keys are empty)."""
        return cls(
            requirement_id,
            Outcome.FAILED,
            check,
            message,
            expected=evidence.get("expected"),
            received=evidence.get("received"),
            exchanges=tuple(evidence.get("exchanges", ())),
            shrunk_request=evidence.get("shrunk_request"),
        )

    @property
    def not_run(self) -> bool:
        return self.outcome == Outcome.SKIPPED and bool(self.details.get(NOT_RUN))
