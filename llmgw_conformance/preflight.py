"""One cheap round of requests, before any check, that decides whether a run can mean anything.

Why: against a target that is not there, not HTTP, silent, or refusing the key, every check fails
for the same reason, and a report with dozens of MUST failures (exit 1) reads like a verdict on the
gateway when it is a verdict on the run's settings. Preflight says it in one line instead: what was
tried, what happened and what to change, and the run ends with exit 3 (target unusable) and a report
marked so, in at most :data:`PREFLIGHT_BUDGET_S` seconds.

What makes a target unusable here, in the order it is tried:

* the base URL already ends in the API prefix ``/v1`` (the suite adds ``/v1/...`` itself);
* the host name does not resolve;
* ``GET /v1/models`` gets no complete answer: connection refused, no connection or no answer within
  the (capped) timeouts, not HTTP, a body that never completes;
* ``GET /v1/models`` answers 401 or 403 (the key is missing or refused: every check would meet it);
* ``GET /v1/models`` answers 2xx with a body that is not JSON, or one larger than ``max_bytes``
  (whatever listens there is not an OpenAI-compatible API at this base URL).

Anything else that answers over HTTP is usable: a wrong status or body there is for the checks to
judge. The requests run in a worker thread with a hard deadline, because name resolution is not
bounded by httpx's timeouts.
"""

from __future__ import annotations

import dataclasses
import socket
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from llmgw_conformance.http_session import HttpSession, Limits, LiveResponse
from llmgw_conformance.live import limits_from
from llmgw_conformance.options import SuiteOptions, public_url
from llmgw_conformance.redaction import Redactor

#: The whole preflight ends within this many seconds, whatever the target does.
PREFLIGHT_BUDGET_S = 14.0
#: Caps on the run's timeouts for preflight's requests (a listing of models is cheap on any server).
CONNECT_CAP_S = 5.0
READ_CAP_S = 5.0
#: The path prefix of every operation of the contract.
API_PREFIX = "/v1"
KEY_HINT = "set LLMGW_API_KEY (or --api-key)"


@dataclass(frozen=True)
class PreflightResult:
    """``problem`` is empty when the target is usable, else the one line that says why not."""

    problem: str = ""
    #: The answer to ``GET /v1/models`` when one came (for the report's evidence).
    response: LiveResponse | None = None

    @property
    def usable(self) -> bool:
        return not self.problem


def _host_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def _transport_problem(where: str, tried: str, error: str, limits: Limits) -> str:
    """The line for a request that got no complete answer (``error`` as http_session describes it)."""
    lowered = error.lower()
    if "refused" in lowered:
        return (
            f"nothing accepts connections at {where} ({tried}: connection refused); "
            "start the gateway or fix --target"
        )
    if error.startswith("timeout: ConnectTimeout"):
        return (
            f"no TCP connection to {where} within {limits.connect_timeout_s:g}s ({tried}); "
            "check the host, port and firewall, or raise --connect-timeout"
        )
    if error.startswith("timeout"):
        return (
            f"{where} accepted the connection but sent no complete answer to {tried} within "
            f"{limits.read_timeout_s:g}s ({error}); check that an HTTP server listens there"
        )
    if error.startswith("protocol_error"):
        return (
            f"{where} does not speak HTTP/1.1 ({tried}: {error}); check the port and the scheme (http/https)"
        )
    return f"{tried} got no answer from {where} ({error}); check --target"


def _judge(session: HttpSession, options: SuiteOptions, where: str) -> PreflightResult:
    host, port = _host_port(session.base_url)
    try:
        socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        return PreflightResult(f"the host {host!r} does not resolve ({exc}); check the name in --target")
    tried = f"GET {public_url(session.base_url)}{API_PREFIX}/models"
    response = session.request("GET", f"{API_PREFIX}/models")
    if not response.answered or (
        response.error and not response.error.startswith(("body exceeded", "decoding"))
    ):
        return PreflightResult(
            _transport_problem(where, tried, response.error or "no answer", session.limits), response
        )
    if response.status in (401, 403):
        if not options.api_key:
            why = f"{tried} answered {response.status} and no API key was given; {KEY_HINT}"
        else:
            why = (
                f"{tried} answered {response.status}: the API key was refused; "
                "check LLMGW_API_KEY (or --api-key)"
            )
        return PreflightResult(why, response)
    if 200 <= response.status < 300 and not _is_json(response):
        ctype = response.headers.get("content-type", "no content type")
        return PreflightResult(
            f"{tried} answered {response.status} ({ctype}) with a body that is not JSON; "
            "check that --target is the gateway's base URL",
            response,
        )
    return PreflightResult("", response)


def _is_json(response: LiveResponse) -> bool:
    try:
        response.json()
    except ValueError:
        return False
    return True


def preflight(
    options: SuiteOptions, redactor: Redactor, headers: dict[str, str] | None = None
) -> PreflightResult:
    """Decide, in at most :data:`PREFLIGHT_BUDGET_S` seconds, whether ``options.target`` can be judged."""
    target = options.target or ""
    path = urlsplit(target).path.rstrip("/")
    if path.endswith(API_PREFIX):
        base = public_url(target).rstrip("/")[: -len(API_PREFIX)]
        return PreflightResult(
            f"the base URL {public_url(target)} already ends in the API prefix {API_PREFIX} (the suite adds "
            f"{API_PREFIX}/... to it); use --target {base}"
        )
    host, port = _host_port(target)
    where = f"{host}:{port}"
    limits = dataclasses.replace(
        limits_from(options),
        connect_timeout_s=min(options.connect_timeout_s, CONNECT_CAP_S),
        read_timeout_s=min(options.read_timeout_s, READ_CAP_S),
    )
    session = HttpSession(target, limits, redactor, api_key=options.api_key, headers=headers)
    box: list[PreflightResult] = []
    worker = threading.Thread(target=lambda: box.append(_judge(session, options, where)), daemon=True)
    worker.start()
    worker.join(PREFLIGHT_BUDGET_S)
    session.close()
    if box:
        return box[0]
    return PreflightResult(
        f"no answer from {where} within {PREFLIGHT_BUDGET_S:g}s (name resolution or connection hung); "
        "check --target"
    )
