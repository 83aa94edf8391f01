"""The fixed vocabulary of verdicts, and the records a check produces.

A check never returns a bare boolean: it reports, per requirement id, one of five
outcomes with the evidence that supports it. Keeping the set closed is what lets the
report say "never a silent pass": a requirement whose check did not run is *skipped*
with a reason, one the target does not claim is *not supported*, and a crash of the
suite itself is an *error*, never a failure of the target.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


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
