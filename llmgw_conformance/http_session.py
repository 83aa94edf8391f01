"""The suite's only way to talk to a target: bounded requests and streams, each recorded as evidence.

Why a wrapper around httpx and not httpx itself in checks: a conformance suite is pointed at servers
that may be broken or hostile, and it must neither hang nor crash on them. Every request here runs
under the run's limits (connect and read timeouts, a byte cap on bodies, and for streams the idle
gap, the stream budget and the event cap of :mod:`llmgw_conformance.sse`), and *nothing the server does
raises*: a refused connection, a reset, a timeout or an oversized body comes back as a result whose
``error`` says what happened. Every exchange is recorded, redacted, with a curl line that replays it.

What comes back, and how each way of failing reads, is documented in
:mod:`llmgw_conformance.http_answers` (for check authors).

A session given a :class:`~llmgw_conformance.run_control.TargetHealth` tells it whether each exchange
got a complete answer, and raises :class:`~llmgw_conformance.run_control.TargetUnusable` instead of
sending once the target has stopped answering (the one thing here that raises; the runner catches it).
"""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Mapping
from typing import Any, Unpack

import httpx

from llmgw_conformance.context import RequestKeywords, SendKeywords, StreamKeywords
from llmgw_conformance.http_answers import (
    NO_ANSWER,
    Limits,
    LiveResponse,
    LiveStreamResult,
    decode_body,
    describe_failure,
)
from llmgw_conformance.http_evidence import (
    TRANSCRIPT_HEAD,
    TRANSCRIPT_TAIL,
    exchange_record,
    transcript_evidence,
    with_error,
)
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.redaction import Redactor, json_text
from llmgw_conformance.run_control import STALLED_TERMINATIONS, TargetHealth
from llmgw_conformance.sse import SSEParser, Transcript, read_stream

#: Names other modules import from here (the session's records and evidence live beside it).
__all__ = [
    "NO_ANSWER",
    "TRANSCRIPT_HEAD",
    "TRANSCRIPT_TAIL",
    "HttpSession",
    "Limits",
    "LiveResponse",
    "LiveStreamResult",
    "tls_context",
    "transcript_evidence",
]


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
        sent: SendKeywords,
        read_timeout: float,
        stream: bool,
        content: bytes | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> tuple[httpx.Request, str | None]:
        """The request to send: ``sent``'s body, headers and key (``content`` and ``params`` only a
        plain request may carry), timed out after ``read_timeout``."""
        json_body, headers, api_key = sent.get("json"), sent.get("headers"), sent.get("api_key", True)
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

    def _logged(self, exchange: Exchange) -> Exchange:
        """Keep ``exchange`` (built by :func:`~llmgw_conformance.http_evidence.exchange_record`) in
        this session's log, and hand it on."""
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

    def request(self, method: str, path: str, **sent: Unpack[RequestKeywords]) -> LiveResponse:
        """Send one request and read the whole answer under the limits; never raises for the target."""
        wanted = sent.get("timeout_s")
        wait = self.limits.read_timeout_s if wanted is None else wanted
        request, body_text = self._build(
            method, path, sent, wait, False, sent.get("content"), sent.get("params")
        )
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
            error = describe_failure(exc)
            truncated = status != NO_ANSWER
        elapsed = time.monotonic() - t0
        self._note_health(status, error, elapsed, f"{method.upper()} {path}")
        text = decode_body(bytes(raw), resp_headers)
        exchange = self._logged(
            exchange_record(self.redactor, request, body_text, status or None, resp_headers, text, elapsed)
        )
        if error and status == NO_ANSWER:
            exchange = with_error(exchange, error, self.exchanges)
        return LiveResponse(status, resp_headers, text, exchange, elapsed, error, truncated, bytes(raw))

    def stream(
        self, method: str, path: str, *, budget_s: float | None = None, **sent: Unpack[StreamKeywords]
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
        request, body_text = self._build(method, path, sent, header_wait, True)
        t0 = time.monotonic()
        parser = SSEParser(max_total_bytes=limits.max_bytes, max_events=limits.max_events, t0=t0)
        what = f"{method.upper()} {path}"
        try:
            response = self._send(request)
        except (httpx.HTTPError, OSError, ValueError) as exc:
            return self._stream_not_answered(request, body_text, parser, exc, header_wait, t0, what)
        headers_after = time.monotonic() - t0
        tr = read_stream(
            response,
            idle_timeout=limits.idle_gap_s,
            total_timeout=total,
            stop_when=sent.get("stop_when"),
            t0=t0,
            parser=parser,
        )
        if tr.t_end is None:
            tr.t_end = time.monotonic()
        elapsed = time.monotonic() - t0
        ctype = str(response.headers.get("content-type", ""))
        is_sse = ctype.split(";")[0].strip().lower() == "text/event-stream"
        body = None if is_sse else decode_body(bytes(tr.stream), response.headers)
        termination = tr.termination or "connection_error"
        error: str | None = tr.termination_detail if termination == "connection_error" else None
        self._note_stream_health(tr, termination, elapsed, what)
        evidence = transcript_evidence(tr, self.redactor)
        status = response.status_code
        exchange = self._logged(
            exchange_record(
                self.redactor, request, body_text, status, response.headers, body, elapsed, evidence
            )
        )
        return LiveStreamResult(
            status, response.headers, tr, termination, headers_after, body, exchange, error, list(tr.events)
        )

    def _stream_not_answered(
        self,
        request: httpx.Request,
        body_text: str | None,
        parser: SSEParser,
        exc: BaseException,
        header_wait: float,
        t0: float,
        what: str,
    ) -> LiveStreamResult:
        """A stream whose status line never came: an empty transcript ended ``connection_error``.

        Why a transcript at all: stream checks read ``termination`` and the transcript whatever
        happened, so "no answer" has the same shape as any other way a stream ends.
        """
        elapsed = time.monotonic() - t0
        failure = describe_failure(exc)
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            failure = f"timeout: no status line and headers within {header_wait}s"
        tr = parser.transcript
        parser.close(time.monotonic(), eof=False)
        tr.termination = "connection_error"
        tr.termination_detail = failure
        tr.t_end = time.monotonic()
        evidence = transcript_evidence(tr, self.redactor)
        exchange = self._logged(
            exchange_record(self.redactor, request, body_text, None, None, None, elapsed, evidence)
        )
        exchange = with_error(exchange, failure, self.exchanges)
        self._note_health(NO_ANSWER, failure, elapsed, f"{what} (stream)")
        return LiveStreamResult(
            NO_ANSWER, httpx.Headers(), tr, "connection_error", elapsed, None, exchange, failure
        )

    def _note_stream_health(self, tr: Transcript, termination: str, elapsed: float, what: str) -> None:
        """Tell the run's health whether a stream was answered (once per stream, after it ended)."""
        if self.health is None:
            return
        # A stream that sent events and then went quiet answered: its stall is SSE-NO-STALL's
        # evidence, and counting it here stopped the run before that check could report it.
        stalled_after_events = termination == "idle_timeout" and bool(tr.events)
        if termination in STALLED_TERMINATIONS and not stalled_after_events:
            self.health.unanswered(f"{what} (stream {termination}: {tr.termination_detail or ''})", elapsed)
        else:
            self.health.answered()
