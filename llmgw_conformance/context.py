"""What a check sees: the target, the contract, the options, and a way to report.

This module holds the *interface* only (typing Protocols) so that checks are written
against a stable surface; the runner provides the live implementation (conformance.live).
A data member is a plain attribute where the implementation has it with the same type, and a
read-only property where the implementation's type is more specific (``httpx.Headers`` for
``headers``, the discovered target for ``target``); checks read both as attributes. The options
and the contract are their records themselves (plain data, nothing live), and the keywords of a
request, a stream and a failure are TypedDicts shared with the implementations, so each is
declared once.

Failures of the target are values, never exceptions: ``status == 0`` means no HTTP answer
(refused, reset, or no status line in time) and the implementations' ``error`` attribute says
why; see conformance.http_session for the whole representation. Checks never
import the reference server: they know the contract, not an implementation of it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypedDict, Unpack

from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Exchange, FailureEvidence


class Answer(Protocol):
    """What every answer has, streamed or not (already recorded as evidence)."""

    status: int
    exchange: Exchange
    #: Why there is no (complete) answer: None when complete; with ``status == 0`` no answer at all.
    error: str | None

    @property
    def headers(self) -> Mapping[str, str]: ...


class Response(Answer, Protocol):
    """A completed, non-streamed HTTP answer."""

    text: str
    #: The body's bytes as received (``text`` is their decoding).
    content: bytes
    #: Seconds from sending the request to the end of the answer.
    elapsed_s: float

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError when it is not JSON."""


class StreamResult(Answer, Protocol):
    """A streamed answer read by the strict SSE reader under the suite's limits."""

    #: conformance.sse Transcript: every chunk with its time, events, comments, anomalies.
    transcript: Any
    #: How reading ended: "eof", "idle_timeout", "total_timeout", "limit_exceeded",
    #: "connection_error", "closed_by_client" (as in conformance.sse).
    termination: str
    #: Seconds from sending the request to receiving the status line and headers.
    headers_after_s: float
    #: Non-stream body when the answer was not a stream (e.g. an error before the stream).
    body: str | None


class Target(Protocol):
    """What the suite knows about the target, read from it at the start of a run."""

    @property
    def base_url(self) -> str: ...

    #: Capabilities document, or None when the target has no /v1/capabilities (OpenAI-only servers).
    @property
    def capabilities(self) -> Mapping[str, Any] | None: ...

    #: Features claimed in capabilities, plus suite-side ones (e.g. "restricted-key" when a key was given).
    @property
    def features(self) -> frozenset[str]: ...

    #: Model ids usable on the OpenAI surface (from /v1/models) and on native tasks (from the catalog).
    @property
    def models(self) -> Sequence[str]: ...

    #: The model the checks use unless they need another (option --model, else the first listed).
    @property
    def model(self) -> str: ...

    #: The engine named in native tasks (from capabilities), e.g. "vllm".
    @property
    def engine(self) -> str | None: ...

    #: Profiles the target claims (capabilities.profiles), or those inferred for an OpenAI-only server.
    @property
    def profiles(self) -> frozenset[str]: ...

    #: ``capabilities.limits`` (heartbeat_ms, cancel_budget_ms, ...), empty when not declared.
    @property
    def limits(self) -> Mapping[str, Any]: ...

    #: The exchanges discovery had with the target (capabilities, models, profile probes).
    @property
    def exchanges(self) -> Sequence[Exchange]: ...

    def model_for(self, workload: str) -> str:
        """A model serving ``workload`` (completion, embedding, rerank) per the catalog, else ``model``."""


#: The contract as loaded from contracts/ (specs, requirements, grammars, error policy): the loaded
#: record itself (files read once, nothing live), so its members are declared in one place.
Contract = LoadedContract

#: Suite options with documented defaults, as checks read them: the run's own options record (a
#: frozen dataclass, nothing live), so no second list of its fields can drift from it.
Options = SuiteOptions


class SendKeywords(TypedDict, total=False):
    """What a request or a stream may carry besides its method and path.

    Declared once for the context's protocol, the live context and the HTTP session that sends.
    """

    #: A body sent as JSON (with ``content-type: application/json``).
    json: Any
    #: Headers of this request (they win over the run's ``-H`` headers).
    headers: Mapping[str, str] | None
    #: True (the default) sends the run's key, False or None sends none, a str sends that key.
    api_key: str | bool | None


class RequestKeywords(SendKeywords, total=False):
    """The keywords of :meth:`CheckContext.request`."""

    #: Raw body bytes (when ``json`` is not given).
    content: bytes | None
    #: Query parameters.
    params: Mapping[str, Any] | None
    #: Longest wait for the answer (default: the run's read timeout, bounded by the check's budget).
    timeout_s: float | None


class StreamKeywords(SendKeywords, total=False):
    """The keywords of :meth:`CheckContext.stream`."""

    #: ``stop_when(event)`` returning True closes the stream early (e.g. disconnect after a token).
    stop_when: Callable[[Any], bool] | None


class CheckContext(Protocol):
    """Passed to every check: talk to the target, and report per requirement."""

    @property
    def target(self) -> Target: ...

    contract: Contract
    options: Options
    #: Seeded from options.seed and the check name, so each check's choices replay.
    rng: random.Random
    check_name: str

    def request(self, method: str, path: str, **sent: Unpack[RequestKeywords]) -> Response:
        """Send one request (see :class:`RequestKeywords` for what it may carry)."""

    def stream(self, method: str, path: str, **sent: Unpack[StreamKeywords]) -> StreamResult:
        """Send one request and read the answer as a stream under the limits (see
        :class:`StreamKeywords`)."""

    def passed(self, requirement_id: str, message: str = "", *, exchanges: Sequence[Exchange] = ()) -> None:
        """Record that the target honoured the requirement in what this check observed."""

    def failed(self, requirement_id: str, message: str, **evidence: Unpack[FailureEvidence]) -> None:
        """Record a violation, with expected vs received and the exchanges that show it."""

    def skipped(self, requirement_id: str, reason: str) -> None:
        """Record that the requirement was not checked, and why."""

    def not_supported(self, requirement_id: str, reason: str) -> None:
        """Record that the target does not claim what the requirement needs."""
