"""The SDK's IO-free core: one call as a generator of IO steps, with every decision made here.

Why a generator of steps (the sans-IO pattern of h11, and the shape of httpx's own ``Auth.auth_flow``):
the sync and async clients differ only in *how* they wait for IO, never in *what* they send or how
they judge an answer.  A flow yields :class:`SendRequest`, :class:`ReadBody` or :class:`Pause`; the
shell (:mod:`llmgw_sdk.flow_runners`) performs the step with its httpx client and sends the result back,
or throws the transport error in.  Building the request, the retry rule, error mapping (from status,
headers and body bytes), the bounded read of error bodies and the SSE check all live here, once, and
can be tested by feeding the flow responses by hand.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import httpx
from pydantic import BaseModel

from llmgw_sdk.error_mapping import error_from_response
from llmgw_sdk.errors import APIConnectionError, APIStatusError, APITimeoutError, UnexpectedResponseError
from llmgw_sdk.event_streams import monotonic_now
from llmgw_sdk.operations import Exchange, JsonCall
from llmgw_sdk.response_checks import SSE_HEADERS, is_event_stream, parse_json_model
from llmgw_sdk.retry_policy import RetryPolicy, next_wait

R = TypeVar("R")
M = TypeVar("M", bound=BaseModel)

ERROR_BODY_LIMIT = 64 * 1024
"""Most bytes of an error answer the SDK reads (the contract's error bodies are far smaller)."""


@dataclass(frozen=True)
class SendRequest:
    """Step: send this request; answer with the open (unread) ``httpx.Response``."""

    method: str
    path: str
    json: Any
    params: Mapping[str, Any] | None
    headers: Mapping[str, str]
    timeout: httpx.Timeout


@dataclass(frozen=True)
class ReadBody:
    """Step: read the body (all of it, or up to ``limit`` bytes), close the response; answer the bytes.

    The limit keeps a hostile or broken server from making the SDK buffer an error body without end.
    """

    response: httpx.Response
    limit: int | None


@dataclass(frozen=True)
class Pause:
    """Step: wait ``seconds`` with the policy's ``sleep`` (or ``async_sleep``) before the next try."""

    seconds: float
    policy: RetryPolicy


IOStep = SendRequest | ReadBody | Pause
Flow = Generator[IOStep, object, R]
"""A call in progress: yields steps, is sent their results, returns the call's result."""


@dataclass(frozen=True)
class CallOptions:
    """What one call may override, and the client's defaults it falls back to."""

    default_retry: RetryPolicy
    default_timeout: httpx.Timeout
    retry: RetryPolicy | None = None
    timeout: float | httpx.Timeout | None = None
    headers: Mapping[str, str] | None = None

    def policy_for(self, exchange: Exchange) -> RetryPolicy:
        """The operation's own rule (``never`` for long-polls, cancels) wins over the call's and client's."""
        return exchange.retry or self.retry or self.default_retry

    def timeout_for(self) -> httpx.Timeout:
        if self.timeout is None:
            return self.default_timeout
        if isinstance(self.timeout, httpx.Timeout):
            return self.timeout
        return httpx.Timeout(self.timeout)


def _answer(value: object, kind: type[R]) -> R:
    """The result a shell sent back, checked: a wrong kind is a bug of the shell, said at once."""
    if not isinstance(value, kind):
        raise TypeError(f"a flow step expected {kind.__name__}, the shell sent {type(value).__name__}")
    return value


def _sent(step: SendRequest) -> Flow[httpx.Response]:
    try:
        answer = yield step
    except httpx.TimeoutException as exc:
        raise APITimeoutError(f"{step.method} {step.path}: timed out ({exc!r})") from exc
    except httpx.TransportError as exc:
        raise APIConnectionError(f"{step.method} {step.path}: connection failed ({exc!r})") from exc
    return _answer(answer, httpx.Response)


def _read(step: SendRequest, response: httpx.Response, limit: int | None) -> Flow[bytes]:
    where = f"{step.method} {step.path}"
    try:
        answer = yield ReadBody(response, limit)
    except httpx.TimeoutException as exc:
        raise APITimeoutError(f"{where}: timed out reading the answer ({exc!r})") from exc
    except httpx.TransportError as exc:
        raise APIConnectionError(f"{where}: connection failed reading the answer ({exc!r})") from exc
    return _answer(answer, bytes)


def _accepted(exchange: Exchange, step: SendRequest, response: httpx.Response) -> Flow[httpx.Response]:
    """A successful answer: read (JSON) or left open (a stream, once it is declared as SSE)."""
    if not exchange.stream:
        yield from _read(step, response, None)
        return response
    if is_event_stream(response):
        return response
    head = yield from _read(step, response, ERROR_BODY_LIMIT)
    raise UnexpectedResponseError(
        f"{step.method} {step.path}: expected a text/event-stream answer, got status "
        f"{response.status_code} with Content-Type "
        f"{response.headers.get('content-type', '(none)')!r}: {head[:200]!r}"
    )


def send_flow(exchange: Exchange, options: CallOptions) -> Flow[tuple[httpx.Response, float]]:
    """Send with the retry rules; return the successful response and when its request was sent.

    A streaming response is returned open (its body unread); any other is read and closed.  Every
    other answer becomes its typed error, which is retried only as :mod:`llmgw_sdk.retry_policy` says.
    """
    policy = options.policy_for(exchange)
    first_try = policy.clock()
    step = SendRequest(
        exchange.method,
        exchange.path,
        exchange.body,
        exchange.params,
        {**(SSE_HEADERS if exchange.stream else {}), **(options.headers or {})},
        options.timeout_for(),
    )
    for retry_number in itertools.count():
        sent_at = monotonic_now()
        response = yield from _sent(step)
        if response.status_code in exchange.ok:
            return (yield from _accepted(exchange, step, response)), sent_at
        body = yield from _read(step, response, ERROR_BODY_LIMIT)
        error: APIStatusError = error_from_response(response.status_code, response.headers, body)
        wait = next_wait(error, policy, retry_number=retry_number, waited_s=policy.clock() - first_try)
        if wait is None:
            raise error
        yield Pause(wait, policy)
    raise AssertionError("unreachable: itertools.count() never ends")


def json_flow(call: JsonCall[M], options: CallOptions) -> Flow[tuple[M, httpx.Response]]:
    """One JSON call: its answer as the contract model, with the response (for its headers)."""
    response, _ = yield from send_flow(call.exchange, options)
    return parse_json_model(call.answer, response), response


class FlowRunner(Generic[R]):
    """Steps a flow for a shell: ``next_step()`` until None, feeding ``answer()`` or ``fail()`` between.

    Keeps the generator protocol (send, throw, ``StopIteration.value``) out of the shells, so that each
    shell's loop is only its own IO.
    """

    def __init__(self, flow: Flow[R]) -> None:
        self._flow = flow
        self._reply: object = None
        self._error: BaseException | None = None
        self._done = False
        self._result: R | None = None

    def next_step(self) -> IOStep | None:
        """The next IO step, or None once the flow returned (its result is :meth:`result`)."""
        try:
            if self._error is not None:
                error, self._error = self._error, None
                return self._flow.throw(error)
            return self._flow.send(self._reply)
        except StopIteration as finished:
            self._done, self._result = True, finished.value
            return None

    def answer(self, value: object) -> None:
        """The result of the step just performed."""
        self._reply = value

    def fail(self, error: BaseException) -> None:
        """The step just performed raised ``error`` (a transport error); the flow decides what it means."""
        self._error = error

    def result(self) -> R:
        if not self._done:
            raise RuntimeError("the flow has not finished")
        return cast(R, self._result)
