"""Pure-logic tests: both error shapes map to the right class and fields; the retry arithmetic; bad use
of the SDK fails before anything is sent, with a message that says what to do.
"""

from __future__ import annotations

import json

import pytest

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_sdk import (
    API_KEY_ENV,
    LEGACY_API_KEY_ENV,
    AuthenticationError,
    BackpressureError,
    GatewayClient,
    InvalidRequestError,
    ModelDeprecatedError,
    ModelLoadFailedError,
    ModelLoadingError,
    NotFoundError,
    PermissionDeniedError,
    ProvisioningError,
    RetryPolicy,
    ServerError,
    UsageError,
)
from llmgw_sdk.error_mapping import error_from_response, parse_retry_after
from llmgw_sdk.errors import APIStatusError
from llmgw_sdk.retry_policy import next_wait


def envelope(code: str, reason: str | None = None, **extra: object) -> bytes:
    body: dict[str, object] = {"code": code, "message": f"{code} happened", **extra}
    if reason:
        body["reason"] = reason
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("status", "body", "cls"),
    [
        (401, envelope("INVALID_PARAMS", "UNAUTHENTICATED"), AuthenticationError),
        (403, envelope("INVALID_PARAMS", "FORBIDDEN"), PermissionDeniedError),
        (400, envelope("INVALID_PARAMS", "UNSUPPORTED_FIELD", param="foo"), InvalidRequestError),
        (404, envelope("INVALID_PARAMS", "UNKNOWN_MODEL"), NotFoundError),
        (409, envelope("INVALID_PARAMS", "CONFLICT"), InvalidRequestError),
        (422, envelope("POOL_UNAVAILABLE"), InvalidRequestError),
        (410, envelope("MODEL_DEPRECATED"), ModelDeprecatedError),
        (429, envelope("ADMISSION_REJECT", policy_label="fifo"), BackpressureError),
        (
            202,
            envelope("POOL_UNREADY", "PROVISIONING", retriable=True, retry_after_ms=900),
            ProvisioningError,
        ),
        (
            503,
            envelope("POOL_UNREADY", "MODEL_LOADING", retriable=True, retry_after_ms=10),
            ModelLoadingError,
        ),
        (503, envelope("REPLICA_EXHAUSTED", retriable=True, retry_after_ms=10), ServerError),
        (502, envelope("INTERNAL", "MODEL_LOAD_FAILED"), ModelLoadFailedError),
        (500, envelope("INTERNAL"), ServerError),
    ],
)
def test_envelope_maps_to_its_class(status: int, body: bytes, cls: type[APIStatusError]) -> None:
    error = error_from_response(status, {}, body)
    assert type(error) is cls
    assert error.status == status
    assert error.code is not None and error.message == f"{error.code.value} happened"


def test_envelope_fields_and_header_wait() -> None:
    body = envelope("POOL_UNREADY", "MODEL_LOADING", retriable=True, retry_after_ms=1200, request_id="r-1")
    error = error_from_response(503, {"retry-after": "2"}, body)
    assert isinstance(error, ModelLoadingError)
    assert (error.code, error.reason) == (ErrorKind.POOL_UNREADY, ErrorReason.MODEL_LOADING)
    assert error.retriable is True
    assert error.retry_after_s == 2.0  # the longer of the header (2 s) and the body (1.2 s)
    assert error.request_id == "r-1"
    assert "MODEL_LOADING" in str(error) and "r-1" in str(error)


def test_openai_shape_maps_code_to_reason_and_kind() -> None:
    body = {"error": {"message": "adapter x unknown", "type": "invalid_request_error",
                      "param": "lora_adapter", "code": "unknown_lora"}}  # fmt: skip
    error = error_from_response(400, {"x-request-id": "abc"}, json.dumps(body).encode())
    assert isinstance(error, InvalidRequestError)
    assert error.reason is ErrorReason.UNKNOWN_LORA
    assert error.code is None  # no kind given, and 'unknown_lora' is not an ErrorKind
    assert (error.param, error.openai_type, error.request_id) == (
        "lora_adapter",
        "invalid_request_error",
        "abc",
    )
    assert error.retriable is False and error.retry_after_s is None


def test_openai_429_carries_policy_label_and_retry_after() -> None:
    body = {"error": {"message": "busy", "type": "rate_limit_error", "param": None,
                      "code": "admission_reject", "kind": "ADMISSION_REJECT", "retriable": True,
                      "retry_after_ms": 2500,
                      "policy_label": "fifo-bounded"}}  # fmt: skip
    error = error_from_response(429, {"Retry-After": "3"}, json.dumps(body).encode())
    assert isinstance(error, BackpressureError)
    assert error.code is ErrorKind.ADMISSION_REJECT
    assert error.retry_after == 3.0 and error.policy_label == "fifo-bounded"


def test_non_contract_body_still_gets_the_status_class() -> None:
    error = error_from_response(502, {}, b"<html>Bad Gateway</html>")
    assert type(error) is ServerError
    assert error.code is None
    assert "Bad Gateway" in error.message


def test_undocumented_status_gets_the_base_class() -> None:
    error = error_from_response(301, {"location": "/elsewhere"}, b"")
    assert type(error) is APIStatusError
    assert error.status == 301 and "(empty body)" in error.message


def test_retry_after_http_date_and_garbage() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait, never negative
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("7") == 7.0


def test_full_jitter_bounds_and_budget() -> None:
    error = error_from_response(503, {"retry-after": "1"}, envelope("POOL_UNREADY", "MODEL_LOADING"))
    top = RetryPolicy(random=lambda: 1.0, base_s=2.0, cap_s=5.0, budget_s=100.0)
    assert [next_wait(error, top, retry_number=n, waited_s=0) for n in range(4)] == [2.0, 4.0, 5.0, 5.0]
    bottom = RetryPolicy(random=lambda: 0.0, base_s=2.0)
    assert next_wait(error, bottom, retry_number=3, waited_s=0) == 1.0  # jitter 0, raised to Retry-After
    assert next_wait(error, bottom, retry_number=0, waited_s=bottom.budget_s - 0.5) is None
    assert next_wait(error, RetryPolicy(max_attempts=2), retry_number=1, waited_s=0) is None


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (202, envelope("POOL_UNREADY", "PROVISIONING", retriable=True, retry_after_ms=500), {}),
        (503, envelope("POOL_UNREADY", "MODEL_LOADING"), {}),  # capacity signal: backoff even without a hint
        (503, envelope("REPLICA_EXHAUSTED", retriable=True, retry_after_ms=1000), {"retry-after": "1"}),
        (429, envelope("QUEUE_FULL_DROP_LRU", retriable=True, retry_after_ms=1000, policy_label="lru"), {}),
        (503, b"<html>busy</html>", {"retry-after": "2"}),  # a proxy's 503 with a wait hint
    ],
)
def test_signals_that_are_retried(status: int, body: bytes, headers: dict[str, str]) -> None:
    error = error_from_response(status, headers, body)
    wait = next_wait(error, RetryPolicy(random=lambda: 0.5), retry_number=0, waited_s=0)
    assert wait is not None and wait >= (error.retry_after_s or 0.0)


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (400, envelope("INVALID_PARAMS"), {}),
        (502, envelope("WORKER_RESET", retriable=True, retry_after_ms=1000), {"retry-after": "1"}),
        (503, envelope("REPLICA_EXHAUSTED"), {}),  # no wait hint: not retried
        (504, envelope("DEADLINE_UNMET"), {}),
        (429, envelope("ADMISSION_REJECT", "BUDGET_EXHAUSTED", policy_label="budget"), {}),
    ],
)
def test_signals_that_are_never_retried(status: int, body: bytes, headers: dict[str, str]) -> None:
    error = error_from_response(status, headers, body)
    assert next_wait(error, RetryPolicy(), retry_number=0, waited_s=0) is None


def test_base_url_without_scheme_is_refused() -> None:
    with pytest.raises(UsageError, match="http://"):
        GatewayClient("127.0.0.1:8080", api_key="k")


def test_api_key_never_appears_in_a_repr() -> None:
    with GatewayClient("http://127.0.0.1:9", api_key="sk-secret-value") as client:
        assert "sk-secret-value" not in repr(client.settings)


def test_missing_api_key_names_the_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    monkeypatch.delenv(LEGACY_API_KEY_ENV, raising=False)
    with pytest.raises(UsageError, match=API_KEY_ENV):
        GatewayClient("http://127.0.0.1:9")
    monkeypatch.setenv(API_KEY_ENV, "from-env")
    with GatewayClient("http://127.0.0.1:9") as client:
        assert client.settings.api_key == "from-env"


def test_stream_false_on_a_stream_call_is_refused_before_sending() -> None:
    # Port 9 (discard) is never contacted: the error comes before any connection attempt.
    with GatewayClient("http://127.0.0.1:9", api_key="k", retry=RetryPolicy.never()) as client:
        chat = {"model": "m", "messages": [{"role": "user", "content": "x"}], "stream": False}
        with pytest.raises(UsageError, match="stream_chat"):
            client.stream_chat(chat)
        with pytest.raises(UsageError, match="stream_chat"):
            client.chat({**chat, "stream": True})
        with pytest.raises(UsageError, match="generate"):
            client.stream_generate("m", {"prompt": "x", "max_new_tokens": 1, "stream": False})
        with pytest.raises(UsageError, match="must not be empty"):
            client.stream_task_events("")
