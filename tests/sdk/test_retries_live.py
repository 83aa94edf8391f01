"""Retry rules over real HTTP: what is retried, how long the SDK waits, and what is never retried.

Each test scripts a small real server (see scripted_gateway.py) and counts the requests it received;
waits are recorded by an injected sleep on fake time, so the tests check the exact waits without
waiting.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from llmgw_sdk import (
    AsyncGatewayClient,
    BackpressureError,
    GatewayClient,
    InvalidRequestError,
    ModelLoadingError,
    ProvisioningError,
    RetryPolicy,
    collect_chat_stream,
)
from tests.sdk.fake_time import FakeTime
from tests.sdk.scripted_gateway import ScriptedGateway, error_json
from tests.sdk.wire_samples import API_KEY, CHAT_COMPLETION, CHAT_REQUEST, chat_chunk, openai_error, sse_data

CHAT = ("POST", "/v1/chat/completions")
GEN = ("POST", "/v1/generate/synth-small")

MODEL_LOADING = openai_error(
    "model synth-small is loading", "server_error", "model_loading", kind="POOL_UNREADY",
    retriable=True, retry_after_ms=1500,
)  # fmt: skip


def fail_then(gateway: ScriptedGateway, failures: Sequence[Response], success: Response) -> None:
    """Answer the chat path with ``failures`` in turn, then ``success`` for every later request."""
    answers = iter(failures)

    async def handler(request: Request) -> Response:
        return next(answers, success)

    gateway.on(*CHAT, handler)


def test_model_loading_twice_then_success_waits_what_the_server_asks(
    gateway: ScriptedGateway, fake_time: FakeTime
) -> None:
    loading = [error_json(503, MODEL_LOADING, retry_after=2), error_json(503, MODEL_LOADING, retry_after=2)]
    fail_then(gateway, loading, JSONResponse(CHAT_COMPLETION))
    with GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy()) as client:
        completion = client.chat(CHAT_REQUEST)
    assert completion.choices[0].message.content == "hello"
    assert gateway.count(*CHAT) == 3
    # Jitter is 0 here, so each wait is exactly the server's ask: Retry-After 2 s beats retry_after_ms 1.5 s.
    assert fake_time.waits == [2.0, 2.0]


def test_jittered_backoff_is_never_shorter_than_retry_after(
    gateway: ScriptedGateway, fake_time: FakeTime
) -> None:
    loading = [error_json(503, MODEL_LOADING, retry_after=1) for _ in range(3)]
    fail_then(gateway, loading, JSONResponse(CHAT_COMPLETION))
    policy = fake_time.policy(jitter=1.0, base_s=0.75, cap_s=2.5)
    with GatewayClient(gateway.base_url, api_key=API_KEY, retry=policy) as client:
        client.chat(CHAT_REQUEST)
    # Full jitter at its top: min(cap, base * 2**n) = 0.75, 1.5, 2.5 (capped),
    # each raised to 1.5 s when shorter (the body's retry_after_ms).
    assert fake_time.waits == [1.5, 1.5, 2.5]


def test_stream_is_retried_only_before_it_opens(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    body = [
        sse_data(chat_chunk("hi", role=True)),
        sse_data(chat_chunk(None, finish="stop")),
        sse_data("[DONE]"),
    ]
    fail_then(gateway, [error_json(503, MODEL_LOADING, retry_after=1)], gateway.sse(body))
    with GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy()) as client:
        result = collect_chat_stream(client.stream_chat(CHAT_REQUEST))
    assert result.text == "hi"
    assert gateway.count(*CHAT) == 2
    assert fake_time.waits == [1.5]


def test_429_with_retry_after_is_retried(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    busy = openai_error(
        "queue full", "rate_limit_error", "admission_reject", kind="ADMISSION_REJECT",
        retriable=True, retry_after_ms=3000, policy_label="fifo-bounded",
    )  # fmt: skip
    fail_then(gateway, [error_json(429, busy, retry_after=3)], JSONResponse(CHAT_COMPLETION))
    with GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy()) as client:
        client.chat(CHAT_REQUEST)
    assert gateway.count(*CHAT) == 2
    assert fake_time.waits == [3.0]


def test_429_without_retry_after_is_raised_at_once(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    spent = {"code": "ADMISSION_REJECT", "reason": "BUDGET_EXHAUSTED", "message": "session budget spent",
             "retriable": False, "policy_label": "session-budget"}  # fmt: skip

    async def handler(request: Request) -> Response:
        return error_json(429, spent)

    gateway.on(*GEN, handler)
    client = GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy())
    with client, pytest.raises(BackpressureError) as caught:
        client.generate("synth-small", {"prompt": "hi", "max_new_tokens": 4})
    assert gateway.count(*GEN) == 1
    assert fake_time.waits == []
    assert caught.value.retriable is False
    assert caught.value.retry_after is None
    assert caught.value.policy_label == "session-budget"


def test_400_is_never_retried(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    bad = openai_error("unknown field 'foo'", "invalid_request_error", "unsupported_field", param="foo")
    fail_then(gateway, [error_json(400, bad)], JSONResponse(CHAT_COMPLETION))
    client = GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy())
    with client, pytest.raises(InvalidRequestError) as caught:
        client.chat(CHAT_REQUEST)
    assert gateway.count(*CHAT) == 1
    assert caught.value.param == "foo"
    assert caught.value.openai_type == "invalid_request_error"


def test_budget_bounds_the_total_wait(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    loading = [error_json(503, MODEL_LOADING, retry_after=2) for _ in range(5)]
    fail_then(gateway, loading, JSONResponse(CHAT_COMPLETION))
    client = GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy(budget_s=5.0))
    with client, pytest.raises(ModelLoadingError) as caught:
        client.chat(CHAT_REQUEST)
    # 2 + 2 = 4 s fit in the 5 s budget; a third wait would end at 6 s, so the third answer is raised.
    assert fake_time.waits == [2.0, 2.0]
    assert gateway.count(*CHAT) == 3
    assert caught.value.retry_after_s == 2.0


def test_provisioning_without_wait_for_capacity_raises_first_signal(
    gateway: ScriptedGateway, fake_time: FakeTime
) -> None:
    provisioning = openai_error("capacity is being provisioned", "server_error", "provisioning",
                                kind="POOL_UNREADY", retriable=True, retry_after_ms=1000)  # fmt: skip
    twice = [error_json(202, provisioning, retry_after=1), error_json(202, provisioning, retry_after=1)]
    fail_then(gateway, twice, JSONResponse(CHAT_COMPLETION))
    with GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy()) as client:
        with pytest.raises(ProvisioningError):
            client.chat(CHAT_REQUEST, retry=fake_time.policy(wait_for_capacity=False))
        assert gateway.count(*CHAT) == 1
        # The client's own policy waits for capacity: the same signal is now retried.
        client.chat(CHAT_REQUEST)
    assert gateway.count(*CHAT) == 3
    assert fake_time.waits == [1.0]


def test_per_call_policy_overrides_the_client_policy(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    fail_then(gateway, [error_json(503, MODEL_LOADING, retry_after=1)], JSONResponse(CHAT_COMPLETION))
    with GatewayClient(gateway.base_url, api_key=API_KEY, retry=RetryPolicy.never()) as client:
        client.chat(CHAT_REQUEST, retry=fake_time.policy())
    assert gateway.count(*CHAT) == 2


def test_async_client_retries_the_same_way(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    loading = [error_json(503, MODEL_LOADING, retry_after=2), error_json(503, MODEL_LOADING, retry_after=2)]
    fail_then(gateway, loading, JSONResponse(CHAT_COMPLETION))

    async def run() -> str | None:
        async with AsyncGatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy()) as client:
            completion = await client.chat(CHAT_REQUEST)
        return completion.choices[0].message.content

    assert asyncio.run(run()) == "hello"
    assert gateway.count(*CHAT) == 3
    assert fake_time.waits == [2.0, 2.0]
