"""Errors of the reference server: one exception type, two wire shapes.

Why one type: every layer (auth, body parsing, runtime, control routes, R2's surfaces) raises
`ApiError`; the renderers turn it into the native `ErrorEnvelope` or the OpenAI error body,
with `retriable`, `retry_after_ms` and `Retry-After` derived from the contract's
`x-error-policy` / `x-error-reasons` tables (read from common.yaml, never re-typed).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from starlette.responses import JSONResponse, Response

from llmgw_generated.models.common import (
    ErrorEnvelope,
    ErrorKind,
    ErrorReason,
    OpenAIError,
    OpenAIErrorResponse,
)
from llmgw_reference import spec

if TYPE_CHECKING:
    from llmgw_reference.faults import FaultSet

DEFAULT_RETRY_AFTER_MS = 1000


def is_retriable(code: ErrorKind, reason: ErrorReason | None) -> bool:
    """`retriable` as the contract's tables say for this code and reason."""
    if reason is not None:
        by_reason = spec.error_reasons().get(reason.value)
        if by_reason is not None:
            return bool(by_reason["retriable"])
    policy = spec.error_policy()[code.value]
    rule = policy["retriable"]
    if rule == "by_reason":
        # No reason given: plain backpressure (a full queue), which a later retry can pass.
        return bool(policy["backpressure"])
    return rule is True


def is_backpressure(code: ErrorKind) -> bool:
    """Backpressure codes always carry `policy_label`."""
    return bool(spec.error_policy()[code.value]["backpressure"])


class ApiError(Exception):
    """An error answer (before a stream) or error event (inside one)."""

    def __init__(
        self,
        code: ErrorKind,
        message: str,
        *,
        status: int,
        reason: ErrorReason | None = None,
        retry_after_ms: int | None = None,
        policy_label: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.reason = reason
        self.retriable = is_retriable(code, reason)
        if self.retriable:
            self.retry_after_ms: int | None = max(
                0, retry_after_ms if retry_after_ms is not None else DEFAULT_RETRY_AFTER_MS
            )
        else:
            self.retry_after_ms = None
        if policy_label is None and is_backpressure(code):
            policy_label = "admission"
        self.policy_label = policy_label
        self.param = param
        self.request_id: str | None = None

    def envelope(self) -> ErrorEnvelope:
        """The native error body."""
        return ErrorEnvelope(
            code=self.code,
            message=self.message,
            retriable=True if self.retriable else None,
            retry_after_ms=self.retry_after_ms,
            policy_label=self.policy_label,
            reason=self.reason,
            param=self.param,
            request_id=self.request_id,
        )

    def openai_body(self) -> OpenAIErrorResponse:
        """The OpenAI error body, mapped as common.yaml's info.description says."""
        return OpenAIErrorResponse(
            error=OpenAIError(
                message=self.message,
                type=openai_error_type(self.status),
                param=self.param,
                code=openai_error_code(self.code, self.reason),
                kind=self.code,
                retriable=self.retriable,
                retry_after_ms=self.retry_after_ms,
                policy_label=self.policy_label,
            )
        )

    def headers(self) -> dict[str, str]:
        """Retry-After (= ceil(retry_after_ms / 1000), at least 1) only when retriable."""
        headers: dict[str, str] = {}
        if self.retriable and self.retry_after_ms is not None:
            headers["Retry-After"] = str(max(1, math.ceil(self.retry_after_ms / 1000)))
        if self.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return headers


#: OpenAI's own `error.code` for the cases where OpenAI defines one (common.yaml's mapping table).
OPENAI_CODES = {ErrorReason.UNKNOWN_MODEL: "model_not_found"}


def openai_error_code(code: ErrorKind, reason: ErrorReason | None) -> str:
    """OpenAI `error.code`: OpenAI's own where it has one, else the lower-case reason or kind."""
    if reason is not None and reason in OPENAI_CODES:
        return OPENAI_CODES[reason]
    return (reason.value if reason else code.value).lower()


def openai_error_type(status: int) -> str:
    """OpenAI `error.type` by HTTP status (common.yaml's mapping table)."""
    if status == 401:
        return "authentication_error"
    if status == 403:
        return "permission_error"
    if status == 429:
        return "rate_limit_error"
    if status >= 500 or status == 202:
        return "server_error"
    return "invalid_request_error"


_faults: FaultSet | None = None


def install_fault_set(faults: FaultSet | None) -> None:
    """Lets the fault mechanism reach the error renderer (one of its hook points)."""
    global _faults
    _faults = faults


def _render(err: ApiError, body: dict[str, object]) -> Response:
    headers = err.headers()
    if err.request_id:
        headers["X-Request-Id"] = err.request_id
    status = err.status
    if _faults is not None:
        headers = _faults.error_headers(err, headers)
        status, body = _faults.error_answer(err, status, body)
    return JSONResponse(body, status_code=status, headers=headers)


def native_error_response(err: ApiError) -> Response:
    """The ErrorEnvelope answer."""
    return _render(err, err.envelope().model_dump(mode="json", exclude_none=True))


def openai_error_response(err: ApiError) -> Response:
    """The OpenAIErrorResponse answer (param and code always present, maybe null)."""
    body = err.openai_body().model_dump(mode="json", exclude_none=True)
    inner = body["error"]
    inner.setdefault("param", None)
    inner.setdefault("code", None)
    return _render(err, body)


def error_response_for_path(err: ApiError, path: str) -> Response:
    """The surface's error shape for a request path (OpenAI-tagged operations get the OpenAI body)."""
    entry = spec.match_path(path)
    if entry is not None and entry.openai:
        return openai_error_response(err)
    return native_error_response(err)


def not_found(
    message: str, *, reason: ErrorReason = ErrorReason.NOT_FOUND, param: str | None = None
) -> ApiError:
    """404 INVALID_PARAMS."""
    return ApiError(ErrorKind.INVALID_PARAMS, message, status=404, reason=reason, param=param)


def bad_request(message: str, *, param: str | None = None, reason: ErrorReason | None = None) -> ApiError:
    """400 INVALID_PARAMS."""
    return ApiError(ErrorKind.INVALID_PARAMS, message, status=400, reason=reason, param=param)


def conflict(message: str, *, param: str | None = None) -> ApiError:
    """409 INVALID_PARAMS, reason CONFLICT."""
    return ApiError(ErrorKind.INVALID_PARAMS, message, status=409, reason=ErrorReason.CONFLICT, param=param)


def reason_error(
    reason: ErrorReason, message: str, *, retry_after_ms: int | None = None, policy_label: str | None = None
) -> ApiError:
    """An error with the code and status the contract's `x-error-reasons` give `reason`.

    Why: a reason decides both (`BUDGET_EXHAUSTED` is always 429 `ADMISSION_REJECT`); read from the
    contract, the places that raise it cannot restate them differently.
    """
    rule = spec.error_reasons()[reason.value]
    return ApiError(
        ErrorKind(rule["code"]),
        message,
        status=int(rule["status"]),
        reason=reason,
        retry_after_ms=retry_after_ms,
        policy_label=policy_label,
    )
