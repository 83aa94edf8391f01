"""What a session hands back: the run's limits, the two kinds of answer, and how a failure reads.

Why apart from :mod:`llmgw_conformance.http_session`: checks, probes, the preflight and the
differential runner read these records and their ``error`` strings without sending anything; the
session is the one place that fills them. The failure wording here is part of the suite's contract
with check authors.

Representation of failures:

* ``status == 0`` means no HTTP answer at all (connection refused or reset before the status line,
  or no status line within the timeout, or not HTTP at all); ``error`` then says which, e.g.
  ``"timeout: no status line within 2.0s"``, ``"connection_error: ConnectError: ..."`` or
  ``"protocol_error: RemoteProtocolError: ..."``.
* A non-stream body larger than ``max_bytes`` is cut there: ``truncated`` is True, ``error`` names
  the cap and ``text`` holds the first ``max_bytes`` bytes (so ``json()`` most likely fails).
* A body that stops arriving for ``read_timeout_s`` (or took longer than that in total) is cut with
  ``error`` ``"timeout: ..."``; the status and headers already received are kept.
* Streams always carry a transcript; how they ended is ``termination`` (see conformance.sse).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.sse import Event, Transcript

#: ``status`` of an answer that never came (no status line at all).
NO_ANSWER = 0


@dataclass
class Limits:
    """The per-request limits a session applies.

    No defaults here: the documented defaults are the run's options of the same names
    (``SuiteOptions``), and ``llmgw_conformance.live.limits_from`` builds a Limits from them, so a
    default is changed in one place."""

    connect_timeout_s: float
    read_timeout_s: float
    idle_gap_s: float
    stream_budget_s: float
    max_events: int
    max_bytes: int


@dataclass
class LiveResponse:
    """A non-stream answer (implements :class:`llmgw_conformance.context.Response`)."""

    status: int
    headers: httpx.Headers
    text: str
    exchange: Exchange
    elapsed_s: float
    #: Why the answer is missing or incomplete (see the module docstring); None when complete.
    error: str | None = None
    truncated: bool = False
    content: bytes = b""

    def json(self) -> Any:
        """The body parsed as JSON; ValueError (json.JSONDecodeError) when it is not JSON."""
        return json.loads(self.text)

    @property
    def answered(self) -> bool:
        return self.status != NO_ANSWER


@dataclass
class LiveStreamResult:
    """A streamed answer (implements :class:`llmgw_conformance.context.StreamResult`)."""

    status: int
    headers: httpx.Headers
    transcript: Transcript
    termination: str
    headers_after_s: float
    body: str | None
    exchange: Exchange
    error: str | None = None
    events: list[Event] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.status != NO_ANSWER


def describe_failure(exc: BaseException) -> str:
    """``kind: ExceptionType: message``; kind is timeout, protocol_error (not valid HTTP),
    decoding_error (a Content-Encoding that does not decode) or connection_error.

    Why a kind first: the run's health and the checks tell "no answer" from "an answer that does not
    decode" by this prefix alone, whatever httpx's exception hierarchy becomes.
    """
    if isinstance(exc, httpx.TimeoutException):
        kind = "timeout"
    elif isinstance(exc, httpx.RemoteProtocolError):
        kind = "protocol_error"
    elif isinstance(exc, httpx.DecodingError):
        kind = "decoding_error"
    else:
        kind = "connection_error"
    text = str(exc)
    return f"{kind}: {type(exc).__name__}" + (f": {text}" if text else "")


def _charset(headers: httpx.Headers) -> str:
    ctype = str(headers.get("content-type", ""))
    for part in ctype.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return str(value.strip('"'))
    return "utf-8"


def decode_body(raw: bytes, headers: httpx.Headers) -> str:
    """The body as text in its declared charset; never raises (a hostile body is still evidence)."""
    try:
        return raw.decode(_charset(headers), errors="replace")
    except LookupError:  # an unknown charset name
        return raw.decode("utf-8", errors="replace")
