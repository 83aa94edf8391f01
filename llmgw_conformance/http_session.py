"""The suite's only way to talk to a target: bounded requests and streams, each recorded as evidence.

Why a wrapper around httpx and not httpx itself in checks: a conformance suite is pointed at servers
that may be broken or hostile, and it must neither hang nor crash on them. Every request here runs
under the run's limits (connect and read timeouts, a byte cap on bodies, and for streams the idle
gap, the stream budget and the event cap of :mod:`llmgw_conformance.sse`), and *nothing the server does
raises*: a refused connection, a reset, a timeout or an oversized body comes back as a result whose
``error`` says what happened. Every exchange is recorded, redacted, with a curl line that replays it.

Representation of failures (documented here for check authors):

* ``status == 0`` means no HTTP answer at all (connection refused or reset before the status line,
  or no status line within the timeout, or not HTTP at all); ``error`` then says which, e.g.
  ``"timeout: no status line within 2.0s"``, ``"connection_error: ConnectError: ..."`` or
  ``"protocol_error: RemoteProtocolError: ..."``.
* A non-stream body larger than ``max_bytes`` is cut there: ``truncated`` is True, ``error`` names
  the cap and ``text`` holds the first ``max_bytes`` bytes (so ``json()`` most likely fails).
* A body that stops arriving for ``read_timeout_s`` (or took longer than that in total) is cut with
  ``error`` ``"timeout: ..."``; the status and headers already received are kept.
* Streams always carry a transcript; how they ended is ``termination`` (see conformance.sse).

A session given a :class:`~llmgw_conformance.run_control.TargetHealth` tells it whether each exchange
got a complete answer, and raises :class:`~llmgw_conformance.run_control.TargetUnusable` instead of
sending once the target has stopped answering (the one thing here that raises; the runner catches it).
"""

from __future__ import annotations

import functools
import json
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.redaction import BODY_LIMIT, Redactor, curl_command, json_text, truncate
from llmgw_conformance.run_control import STALLED_TERMINATIONS, TargetHealth
from llmgw_conformance.sse import Event, SSEParser, Transcript, read_stream
from llmgw_conformance.verify.evidence import record_stream

#: Events of a stream kept in an Exchange: the first ones and the last ones.
TRANSCRIPT_HEAD = 20
TRANSCRIPT_TAIL = 5
NO_ANSWER = 0


@dataclass
class Limits:
    """The per-request limits a session applies (taken from the run's options)."""

    connect_timeout_s: float = 5.0
    read_timeout_s: float = 30.0
    idle_gap_s: float = 10.0
    stream_budget_s: float = 60.0
    max_events: int = 10_000
    max_bytes: int = 8 * 1024 * 1024


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


def _describe(exc: BaseException) -> str:
    """``kind: ExceptionType: message``; kind is timeout, protocol_error (not valid HTTP),
    decoding_error (a Content-Encoding that does not decode) or connection_error."""
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


def _decode(raw: bytes, headers: httpx.Headers) -> str:
    try:
        return raw.decode(_charset(headers), errors="replace")
    except LookupError:  # an unknown charset name
        return raw.decode("utf-8", errors="replace")


def transcript_evidence(transcript: Transcript, redactor: Redactor) -> dict[str, Any]:
    """The transcript as report evidence: first 20 and last 5 events, data cut to 4 KiB, redacted."""
    doc = transcript.to_json(include_chunks=False)
    events = doc["events"]
    if len(events) > TRANSCRIPT_HEAD + TRANSCRIPT_TAIL:
        doc["events_omitted"] = len(events) - TRANSCRIPT_HEAD - TRANSCRIPT_TAIL
        events = events[:TRANSCRIPT_HEAD] + events[-TRANSCRIPT_TAIL:]
    for ev in events:
        ev["data"] = truncate(ev["data"], BODY_LIMIT)
        ev["raw"] = truncate(ev["raw"], BODY_LIMIT)
    doc["events"] = events
    doc["comments"] = doc["comments"][:TRANSCRIPT_HEAD]
    doc["blocks"] = doc["blocks"][:TRANSCRIPT_HEAD]
    doc["anomalies"] = doc["anomalies"][:TRANSCRIPT_HEAD]
    for item in doc["blocks"] + doc["anomalies"]:
        item["raw"] = truncate(item["raw"], BODY_LIMIT)
    doc["rendered"] = transcript.render(first=TRANSCRIPT_HEAD, last=TRANSCRIPT_TAIL)
    # The stream's bytes (capped), so `verify` can run the judges again on them.
    doc.update(record_stream(transcript))
    result: dict[str, Any] = redactor.deep(doc)
    return result


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every session of the process.

    Why shared: httpx builds a new context (loading the CA bundle) for each client, about 50 ms of
    CPU; a run opens a session per check, so that was close to a second per run, paid again by
    every suite process the kill matrix and the tests start. The context holds no per-target state.
    """
    return httpx.create_ssl_context()


class HttpSession:
    """One httpx client with the run's limits, a redactor and the list of recorded exchanges."""

    def __init__(
        self,
        base_url: str,
        limits: Limits,
        redactor: Redactor,
        *,
        api_key: str | None = None,
        client: httpx.Client | None = None,
        headers: Mapping[str, str] | None = None,
        health: TargetHealth | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        #: Sent with every request (``-H``: gateways behind extra auth headers); a check's own win.
        self.extra_headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.health = health
        self.limits = limits
        self.redactor = redactor
        self.api_key = api_key
        # Room for bursts (backpressure checks send a few hundred requests from threads): httpx's
        # default of 100 connections would turn the suite's own pool wait into "no answer".
        self.client = client or httpx.Client(
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_connections=512, max_keepalive_connections=32),
            verify=tls_context(),
        )
        self.exchanges: list[Exchange] = []

    def close(self) -> None:
        self.client.close()

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (absolute URLs are kept as they are)."""
        if path.startswith(("http://", "https://")):
            return path
        return self.base_url + ("" if path.startswith("/") else "/") + path

    # -- building ------------------------------------------------------------------------------

    def _build(
        self,
        method: str,
        path: str,
        json_body: Any,
        content: bytes | None,
        headers: Mapping[str, str] | None,
        api_key: str | bool | None,
        params: Mapping[str, Any] | None,
        read_timeout: float,
        stream: bool,
    ) -> tuple[httpx.Request, str | None]:
        send_headers: dict[str, str] = {}
        body_text: str | None = None
        if json_body is not None:
            body_text = json_text(json_body)
            content = body_text.encode("utf-8")
            send_headers["content-type"] = "application/json"
        elif content is not None:
            body_text = content.decode("utf-8", errors="backslashreplace")
        if stream:
            send_headers["accept"] = "text/event-stream"
        if self.health is not None:
            self.health.raise_if_tripped()
        send_headers.update(self.extra_headers)
        key = self.api_key if api_key is True else (api_key if isinstance(api_key, str) else None)
        if key:
            send_headers["authorization"] = f"Bearer {key}"
        for name, value in (headers or {}).items():
            send_headers[name.lower()] = value
        timeout = httpx.Timeout(
            connect=self.limits.connect_timeout_s,
            read=read_timeout,
            write=max(read_timeout, self.limits.connect_timeout_s),
            pool=self.limits.connect_timeout_s,
        )
        request = self.client.build_request(
            method.upper(),
            self.url(path),
            content=content,
            headers=send_headers,
            params=dict(params) if params else None,
            timeout=timeout,
        )
        return request, body_text

    def _exchange(
        self,
        request: httpx.Request,
        body_text: str | None,
        status: int | None,
        response_headers: httpx.Headers | None,
        response_body: str | None,
        elapsed: float,
        transcript: dict[str, Any] | None,
        stream: bool,
    ) -> Exchange:
        red = self.redactor
        req_headers = red.headers(request.headers.multi_items())
        url = red.text(str(request.url))
        shown_body = red.text(body_text) if body_text is not None else None
        exchange = Exchange(
            method=request.method,
            url=url,
            request_headers=req_headers,
            request_body=truncate(shown_body),
            status=status,
            response_headers=red.headers(response_headers.multi_items()) if response_headers else {},
            response_body=truncate(red.text(response_body)) if response_body is not None else None,
            elapsed_s=round(elapsed, 6),
            transcript=transcript,
            curl=curl_command(request.method, url, req_headers, shown_body, stream=stream),
        )
        self.exchanges.append(exchange)
        return exchange

    # -- sending -------------------------------------------------------------------------------

    def _send(self, request: httpx.Request) -> httpx.Response:
        """Send ``request``, once more if a kept-alive connection was closed before any answer byte.

        Why: a server may close an idle kept-alive connection at any moment (RFC 9112 section 9.3.1;
        llama.cpp's llama-server closes it after every stream while still advertising keep-alive).
        A request that meets such a connection got no answer at all, so sending it again on a fresh
        connection is what every HTTP client does; without it the suite would record "no answer" and
        lose verdicts. A second disconnect is the target's answer and is reported as it is. A reset
        before the status line is the same race on a connection the server closed without saying so.
        """
        try:
            return self.client.send(request, stream=True)
        except httpx.RemoteProtocolError as exc:
            if "without sending a response" not in str(exc):
                raise
            return self.client.send(request, stream=True)
        except httpx.ReadError as exc:
            # The same race seen as a reset: the server closed the kept-alive connection (without
            # "Connection: close") and the request met the RST before any answer byte.
            if "reset" not in str(exc).lower():
                raise
            return self.client.send(request, stream=True)

    def _note_health(self, status: int, error: str | None, elapsed: float, what: str) -> None:
        """Tell the run's health whether this answer was complete (a cut huge body or a body that
        does not decode was answered; no status line, a timeout or a broken body was not)."""
        if self.health is None:
            return
        broken = error is not None and error.startswith(("timeout", "connection_error", "protocol_error"))
        if status == NO_ANSWER or broken:
            self.health.unanswered(f"{what}: {error}", elapsed)
        else:
            self.health.answered()

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
    ) -> LiveResponse:
        """Send one request and read the whole answer under the limits; never raises for the target."""
        wait = timeout_s if timeout_s is not None else self.limits.read_timeout_s
        request, body_text = self._build(method, path, json, content, headers, api_key, params, wait, False)
        t0 = time.monotonic()
        status, resp_headers, error, truncated = NO_ANSWER, httpx.Headers(), None, False
        raw = bytearray()
        try:
            response = self._send(request)
            status, resp_headers = response.status_code, response.headers
            try:
                for chunk in response.iter_bytes():
                    raw += chunk
                    if len(raw) > self.limits.max_bytes:
                        del raw[self.limits.max_bytes :]
                        truncated = True
                        error = f"body exceeded max_bytes ({self.limits.max_bytes}); cut there"
                        break
                    if time.monotonic() - t0 > wait:
                        error = f"timeout: body not complete within {wait}s"
                        truncated = True
                        break
            finally:
                response.close()
        except (httpx.HTTPError, OSError, ValueError) as exc:
            error = _describe(exc)
            truncated = status != NO_ANSWER
        elapsed = time.monotonic() - t0
        self._note_health(status, error, elapsed, f"{method.upper()} {path}")
        text = _decode(bytes(raw), resp_headers)
        exchange = self._exchange(
            request, body_text, status or None, resp_headers, text, elapsed, None, stream=False
        )
        if error and status == NO_ANSWER:
            exchange = _with_error(exchange, error, self.exchanges)
        return LiveResponse(status, resp_headers, text, exchange, elapsed, error, truncated, bytes(raw))

    def stream(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        api_key: str | bool | None = True,
        stop_when: Callable[[Event], bool] | None = None,
        budget_s: float | None = None,
    ) -> LiveStreamResult:
        """Send one request and read the answer through the strict SSE reader under the limits.

        The answer is read as a stream whatever its status and content type (so an error body or a
        JSON body sent instead of a stream is still recorded, byte for byte); ``body`` holds it as
        text when it is not ``text/event-stream``. Waiting for the status line is bounded by the
        smaller of the read timeout and the stream budget; ``headers_after_s`` says how long it took.
        """
        limits = self.limits
        total = min(limits.stream_budget_s, budget_s) if budget_s is not None else limits.stream_budget_s
        header_wait = max(0.001, min(limits.read_timeout_s, total))
        request, body_text = self._build(method, path, json, None, headers, api_key, None, header_wait, True)
        t0 = time.monotonic()
        parser = SSEParser(max_total_bytes=limits.max_bytes, max_events=limits.max_events, t0=t0)
        try:
            response = self._send(request)
        except (httpx.HTTPError, OSError, ValueError) as exc:
            elapsed = time.monotonic() - t0
            failure = _describe(exc)
            if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
                failure = f"timeout: no status line and headers within {header_wait}s"
            tr = parser.transcript
            parser.close(time.monotonic(), eof=False)
            tr.termination = "connection_error"
            tr.termination_detail = failure
            tr.t_end = time.monotonic()
            exchange = self._exchange(
                request, body_text, None, None, None, elapsed, transcript_evidence(tr, self.redactor), True
            )
            exchange = _with_error(exchange, failure, self.exchanges)
            self._note_health(NO_ANSWER, failure, elapsed, f"{method.upper()} {path} (stream)")
            return LiveStreamResult(
                NO_ANSWER, httpx.Headers(), tr, "connection_error", elapsed, None, exchange, failure
            )
        headers_after = time.monotonic() - t0
        tr = read_stream(
            response,
            idle_timeout=limits.idle_gap_s,
            total_timeout=total,
            stop_when=stop_when,
            t0=t0,
            parser=parser,
        )
        if tr.t_end is None:
            tr.t_end = time.monotonic()
        elapsed = time.monotonic() - t0
        ctype = str(response.headers.get("content-type", ""))
        is_sse = ctype.split(";")[0].strip().lower() == "text/event-stream"
        body = None if is_sse else _decode(bytes(tr.stream), response.headers)
        termination = tr.termination or "connection_error"
        error: str | None = tr.termination_detail if termination == "connection_error" else None
        if self.health is not None:
            # A stream that sent events and then went quiet answered: its stall is SSE-NO-STALL's
            # evidence, and counting it here stopped the run before that check could report it.
            stalled_after_events = termination == "idle_timeout" and bool(tr.events)
            if termination in STALLED_TERMINATIONS and not stalled_after_events:
                what = f"{method.upper()} {path} (stream {termination}: {tr.termination_detail or ''})"
                self.health.unanswered(what, elapsed)
            else:
                self.health.answered()
        exchange = self._exchange(
            request,
            body_text,
            response.status_code,
            response.headers,
            body,
            elapsed,
            transcript_evidence(tr, self.redactor),
            True,
        )
        return LiveStreamResult(
            response.status_code,
            response.headers,
            tr,
            termination,
            headers_after,
            body,
            exchange,
            error,
            list(tr.events),
        )


def _with_error(exchange: Exchange, error: str, log: list[Exchange]) -> Exchange:
    """The exchange with the transport error put where a reader looks for the answer (the body)."""
    from dataclasses import replace

    updated = replace(exchange, response_body=f"[no answer: {error}]")
    if log and log[-1] is exchange:
        log[-1] = updated
    return updated
