"""What a check sees: the target, the contract, the options, and a way to report.

This module holds the *interface* only (typing Protocols) so that checks are written
against a stable surface; the runner provides the live implementation (conformance.live).
Data members are declared as read-only properties so that implementations may use more
specific types (e.g. ``httpx.Headers`` for ``headers``); checks read them as attributes.

Failures of the target are values, never exceptions: ``status == 0`` means no HTTP answer
(refused, reset, or no status line in time) and the implementations' ``error`` attribute says
why; see conformance.http_session for the whole representation. Checks never
import the reference server: they know the contract, not an implementation of it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from llmgw_conformance.outcomes import Exchange


class Response(Protocol):
    """A completed, non-streamed HTTP answer (already recorded as evidence)."""

    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def text(self) -> str: ...

    #: The body's bytes as received (``text`` is their decoding).
    @property
    def content(self) -> bytes: ...

    #: Seconds from sending the request to the end of the answer.
    @property
    def elapsed_s(self) -> float: ...

    @property
    def exchange(self) -> Exchange: ...

    #: Why there is no (complete) answer: None when complete; with ``status == 0`` no answer at all.
    @property
    def error(self) -> str | None: ...

    def json(self) -> Any:
        """The body parsed as JSON; raises ValueError when it is not JSON."""


class StreamResult(Protocol):
    """A streamed answer read by the strict SSE reader under the suite's limits."""

    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    #: conformance.sse Transcript: every chunk with its time, events, comments, anomalies.
    @property
    def transcript(self) -> Any: ...

    #: How reading ended: "eof", "idle_timeout", "total_timeout", "limit_exceeded",
    #: "connection_error", "closed_by_client" (as in conformance.sse).
    @property
    def termination(self) -> str: ...

    #: Seconds from sending the request to receiving the status line and headers.
    @property
    def headers_after_s(self) -> float: ...

    #: Non-stream body when the answer was not a stream (e.g. an error before the stream).
    @property
    def body(self) -> str | None: ...

    @property
    def exchange(self) -> Exchange: ...

    #: Why there is no (complete) answer: None when complete; with ``status == 0`` no answer at all.
    @property
    def error(self) -> str | None: ...


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


class Contract(Protocol):
    """The contract as loaded from contracts/: specs, requirements, grammars, error policy."""

    @property
    def requirements(self) -> Mapping[str, Mapping[str, Any]]: ...

    @property
    def grammars(self) -> Mapping[str, Mapping[str, Any]]: ...

    @property
    def error_policy(self) -> Mapping[str, Mapping[str, Any]]: ...

    @property
    def error_reasons(self) -> Mapping[str, Mapping[str, Any]]: ...

    def schema_errors(self, schema_name: str, instance: Any) -> list[str]:
        """Validation errors of ``instance`` against components/schemas/``schema_name`` (any spec)."""

    def operation(self, operation_id: str) -> Mapping[str, Any]:
        """The operation object, with keys "method", "path", "spec" added."""

    #: Profile name -> {description, default, state_changing, load} from the catalogue.
    @property
    def profiles(self) -> Mapping[str, Mapping[str, Any]]: ...

    #: File name (``common.yaml``, ...) -> the parsed OpenAPI document.
    @property
    def specs(self) -> Mapping[str, Mapping[str, Any]]: ...

    #: The folder the contract was loaded from (holds openapi/ and requirements.yaml).
    @property
    def directory(self) -> Path: ...

    def operations(self) -> Sequence[Mapping[str, Any]]:
        """Every operation of both specs (as :meth:`operation` returns them), in file order."""

    def required_scope(self, operation_id: str) -> str | None:
        """``x-required-scope`` of the operation, None when it needs no key."""


class Options(Protocol):
    """Suite options with documented defaults (see conformance.options)."""

    @property
    def seed(self) -> int: ...

    @property
    def connect_timeout_s(self) -> float: ...

    @property
    def read_timeout_s(self) -> float: ...

    @property
    def idle_gap_s(self) -> float: ...

    @property
    def stream_budget_s(self) -> float: ...

    @property
    def header_budget_s(self) -> float: ...

    @property
    def max_events(self) -> int: ...

    @property
    def max_bytes(self) -> int: ...

    @property
    def max_tokens(self) -> int: ...

    @property
    def examples(self) -> int: ...

    #: The run's key with every scope, and the control:read-only key (None when not given).
    @property
    def api_key(self) -> str | None: ...

    @property
    def restricted_api_key(self) -> str | None: ...

    #: Profiles named for the run (empty: the defaults were used).
    @property
    def profiles(self) -> tuple[str, ...]: ...

    @property
    def check_budget_s(self) -> float: ...

    @property
    def run_budget_s(self) -> float: ...


class CheckContext(Protocol):
    """Passed to every check: talk to the target, and report per requirement."""

    @property
    def target(self) -> Target: ...

    @property
    def contract(self) -> Contract: ...

    @property
    def options(self) -> Options: ...

    #: Seeded from options.seed and the check name, so each check's choices replay.
    @property
    def rng(self) -> random.Random: ...

    @property
    def check_name(self) -> str: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        api_key: str | bool | None = True,
        params: Mapping[str, Any] | None = None,
        timeout_s: float | None = None,
    ) -> Response:
        """Send one request.

        ``api_key``: True sends the run's key, False or None sends none, a str sends that key.
        """

    def stream(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        api_key: str | bool | None = True,
        stop_when: Callable[[Any], bool] | None = None,
    ) -> StreamResult:
        """Send one request and read the answer as a stream under the limits.

        ``stop_when(event)`` returning True closes the stream early (e.g. disconnect after a token).
        """

    def passed(self, requirement_id: str, message: str = "", *, exchanges: Sequence[Exchange] = ()) -> None:
        """Record that the target honoured the requirement in what this check observed."""

    def failed(
        self,
        requirement_id: str,
        message: str,
        *,
        expected: str | None = None,
        received: str | None = None,
        exchanges: Sequence[Exchange] = (),
        shrunk_request: str | None = None,
    ) -> None:
        """Record a violation, with expected vs received and the exchanges that show it."""

    def skipped(self, requirement_id: str, reason: str) -> None:
        """Record that the requirement was not checked, and why."""

    def not_supported(self, requirement_id: str, reason: str) -> None:
        """Record that the target does not claim what the requirement needs."""
