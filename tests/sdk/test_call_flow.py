"""The SDK's IO-free core, driven by hand: no server, no sockets, only the steps a flow asks for and the
answers a shell would give.  (The same flows are proven over real HTTP by the ``*_live`` tests.)
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from llmgw_sdk import APITimeoutError, BackpressureError, NotFoundError, RetryPolicy, UnexpectedResponseError
from llmgw_sdk import operations as ops
from llmgw_sdk.call_flow import (
    ERROR_BODY_LIMIT,
    CallOptions,
    FlowRunner,
    IOStep,
    Pause,
    ReadBody,
    SendRequest,
    json_flow,
    send_flow,
)
from llmgw_sdk.flow_runners import BoundedBody

MODELS = b'{"object": "list", "data": []}'
ERROR_429 = b'{"error": {"message": "busy", "type": "rate_limit", "code": "backpressure", "retriable": true}}'


def options(headers: dict[str, str] | None = None) -> CallOptions:
    retry = RetryPolicy(random=lambda: 0.0, clock=lambda: 0.0)
    return CallOptions(retry, httpx.Timeout(5.0), headers=headers)


def answer(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> httpx.Response:
    request = httpx.Request("GET", "http://gateway.test/v1/x")
    return httpx.Response(status, content=body, headers=headers, request=request)


def steps(runner: FlowRunner[Any], replies: list[object]) -> list[IOStep]:
    """Run the flow, giving each step the next reply (an exception is thrown in); the steps it asked for."""
    asked: list[IOStep] = []
    for reply in replies:
        step = runner.next_step()
        assert step is not None, f"the flow finished early, after {asked}"
        asked.append(step)
        if isinstance(reply, BaseException):
            runner.fail(reply)
        else:
            runner.answer(reply)
    assert runner.next_step() is None, "the flow asked for more steps than scripted"
    return asked


def test_a_json_call_sends_its_request_then_reads_and_parses_the_answer() -> None:
    ok = answer(200, MODELS)
    runner = FlowRunner(json_flow(ops.list_models(), options(headers={"X-T": "1"})))
    send, read = steps(runner, [ok, MODELS])
    assert isinstance(send, SendRequest) and (send.method, send.path) == ("GET", "/v1/models")
    assert send.headers == {"X-T": "1"} and send.timeout == httpx.Timeout(5.0)
    assert isinstance(read, ReadBody) and read.limit is None and read.response is ok
    model, response = runner.result()
    assert model.object == "list" and response is ok


def test_a_429_with_a_wait_hint_is_retried_after_the_hinted_wait() -> None:
    busy = answer(429, ERROR_429, headers={"Retry-After": "2"})
    runner = FlowRunner(json_flow(ops.list_models(), options()))
    asked = steps(runner, [busy, ERROR_429, None, answer(200, MODELS), MODELS])
    assert [type(step) for step in asked] == [SendRequest, ReadBody, Pause, SendRequest, ReadBody]
    assert isinstance(asked[1], ReadBody) and asked[1].limit == ERROR_BODY_LIMIT
    assert isinstance(asked[2], Pause) and asked[2].seconds == 2.0


def test_the_operations_never_rule_beats_the_clients_retry_policy() -> None:
    busy = answer(429, ERROR_429, headers={"Retry-After": "1"})
    runner = FlowRunner(json_flow(ops.get_task("t-1", 0), options()))
    with pytest.raises(BackpressureError):
        steps(runner, [busy, ERROR_429])


def test_a_404_is_mapped_and_not_retried() -> None:
    runner = FlowRunner(json_flow(ops.list_models(), options()))
    with pytest.raises(NotFoundError):
        steps(runner, [answer(404, b"<html>no</html>"), b"<html>no</html>"])


def test_a_transport_timeout_thrown_in_becomes_api_timeout_error() -> None:
    runner = FlowRunner(json_flow(ops.list_models(), options()))
    with pytest.raises(APITimeoutError, match="GET /v1/models: timed out"):
        steps(runner, [httpx.ConnectTimeout("slow")])


def test_a_stream_asks_for_sse_and_is_left_open_only_when_the_answer_is_sse() -> None:
    call = ops.task_events("t-1")
    sse = answer(200, headers={"Content-Type": "text/event-stream; charset=utf-8"})
    runner = FlowRunner(send_flow(call.exchange, options()))
    (send,) = steps(runner, [sse])
    assert isinstance(send, SendRequest) and send.headers["Accept"] == "text/event-stream"
    response, _sent_at = runner.result()
    assert response is sse
    json_answer = answer(200, b"{}", {"Content-Type": "application/json"})
    refused = FlowRunner(send_flow(call.exchange, options()))
    with pytest.raises(UnexpectedResponseError, match="expected a text/event-stream answer"):
        steps(refused, [json_answer, b"{}"])


def test_a_shell_sending_the_wrong_kind_of_answer_is_told_at_once() -> None:
    runner = FlowRunner(json_flow(ops.list_models(), options()))
    with pytest.raises(TypeError, match="expected Response"):
        steps(runner, [b"not a response"])


def test_bounded_body_stops_at_its_limit() -> None:
    body = BoundedBody(5)
    assert body.add(b"abc") is False
    assert body.add(b"defgh") is True
    assert body.content() == b"abcde"
