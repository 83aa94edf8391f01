"""The SDK's typed errors.

Every failure a caller can act on has its own class, so application code can write
``except BackpressureError`` instead of parsing status codes.  The classes follow the contract's error
model (``x-error-policy`` / ``x-error-reasons`` on ``ErrorKind`` in ``contracts/openapi/common.yaml``):
what matters for a caller is whether the same request may be sent again (``retriable``), and after how
long (``retry_after_s``).
"""

from __future__ import annotations

import json

from llmgw_generated.models.common import ErrorKind, ErrorReason


class GatewayError(Exception):
    """Base class of every error the SDK raises on purpose."""


class UsageError(GatewayError, ValueError):
    """The SDK was called wrongly (bad ``base_url``, missing API key, ``stream: false`` on a stream call).

    Raised before anything is sent; the message says what to change.
    """


class RequestValidationError(UsageError):
    """A request the SDK cannot validate against the contract's model; nothing was sent.

    ``field`` is the dotted path of the first bad field (``messages.0.role``), ``errors`` every
    ``(field, problem)`` pair.  Raised instead of pydantic's ``ValidationError`` (kept as ``__cause__``)
    so callers catch one family, ``GatewayError``, for everything the SDK raises on purpose.
    """

    def __init__(self, model: str, errors: list[tuple[str, str]]) -> None:
        self.model = model
        self.errors = errors
        self.field = errors[0][0] if errors else ""
        listed = "; ".join(f"{name or '(request)'}: {problem}" for name, problem in errors)
        super().__init__(f"invalid {model}: {listed}")


class APIStatusError(GatewayError):
    """The gateway answered a request with an error status, before any stream byte.

    ``code`` is the contract's ``ErrorKind`` (``None`` when the body was not a contract error body),
    ``reason`` its finer ``ErrorReason``; ``retry_after_s`` is the longest wait the server asked for,
    from the ``Retry-After`` header or ``retry_after_ms`` (``None`` when it asked for none).
    ``status_code`` is the HTTP status, named as httpx and openai name it (``status`` is an alias).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: ErrorKind | None = None,
        reason: ErrorReason | None = None,
        param: str | None = None,
        request_id: str | None = None,
        retriable: bool = False,
        retry_after_s: float | None = None,
        policy_label: str | None = None,
        openai_type: str | None = None,
        body: str = "",
    ) -> None:
        super().__init__(message)
        self.message, self.status_code, self.body = message, status, body
        self.code, self.reason, self.param, self.openai_type = code, reason, param, openai_type
        self.retriable, self.retry_after_s, self.policy_label = retriable, retry_after_s, policy_label
        self.request_id = request_id

    @property
    def status(self) -> int:
        """Alias of ``status_code``."""
        return self.status_code

    def __str__(self) -> str:
        parts = [f"HTTP {self.status_code}"]
        if self.code is not None:
            parts.append(self.code.value)
        if self.reason is not None:
            parts.append(self.reason.value)
        text = " ".join(parts) + f": {self.message}"
        if self.param:
            text += f" (param: {self.param})"
        if self.request_id:
            text += f" [request_id {self.request_id}]"
        return text


class AuthenticationError(APIStatusError):
    """401: no API key or an unknown one."""


class PermissionDeniedError(APIStatusError):
    """403: the key lacks the scope the operation needs."""


class InvalidRequestError(APIStatusError):
    """400/404/405/409/413/415/422: the request is wrong as sent; sending it again will not help."""


class NotFoundError(InvalidRequestError):
    """404: unknown model, task or other resource."""


class ModelDeprecatedError(APIStatusError):
    """410: the model is Retired; new work on it is refused."""


class BackpressureError(APIStatusError):
    """429: the gateway refused the work to protect its queues.

    ``retry_after`` (seconds) is set when the refusal is temporary; ``policy_label`` names the admission
    policy that refused it.  A spent session budget (reason ``BUDGET_EXHAUSTED``) is not retriable.
    """

    @property
    def retry_after(self) -> float | None:
        """Alias of ``retry_after_s``, the name most rate-limit errors use."""
        return self.retry_after_s


class InsufficientCreditsError(APIStatusError):
    """402: the balance cannot pay for the request (reason ``INSUFFICIENT_CREDITS``); nothing ran.

    ``credits_remaining`` is the balance the gateway reported (``None`` if its body had none).
    """

    @property
    def credits_remaining(self) -> float | None:
        """``credits_remaining`` of either error shape (read from the body the error keeps)."""
        try:
            payload = json.loads(self.body)
        except ValueError:
            return None
        inner = payload.get("error") if isinstance(payload, dict) else None
        source = inner if isinstance(inner, dict) else payload
        value = source.get("credits_remaining") if isinstance(source, dict) else None
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


class ProvisioningError(APIStatusError):
    """202 on a synchronous surface: capacity is being provisioned; nothing was executed."""


class ServerError(APIStatusError):
    """5xx: the gateway or a worker failed, or capacity is not there yet."""


class ModelLoadingError(ServerError):
    """503 ``MODEL_LOADING``: the model is loading; the same request may be sent again later."""


class ModelLoadFailedError(ServerError):
    """502 ``MODEL_LOAD_FAILED``: the model cannot be loaded; retrying will not help."""


class StreamError(GatewayError):
    """The server reported an error inside an open stream (native ``error`` event, generate error chunk,
    chat ``data: {"error": ...}``).

    Raised, never yielded as data: the text before it may be partial and must not pass for a result.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        type: str | None = None,
        param: str | None = None,
        kind: ErrorKind | None = None,
        reason: ErrorReason | None = None,
        retriable: bool = False,
        policy_label: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message, self.code, self.type, self.param = message, code, type, param
        self.kind, self.reason = kind, reason
        self.retriable, self.policy_label = retriable, policy_label

    def __str__(self) -> str:
        label = self.code or (self.kind.value if self.kind else None) or "stream error"
        return f"{label}: {self.message}"


class IncompleteStreamError(GatewayError):
    """The stream stopped before its terminator (no terminal event / no ``[DONE]``), or the connection
    dropped mid-stream.  Never retried: generation is not idempotent, and the text so far is partial.
    """


class UnexpectedResponseError(GatewayError):
    """The server answered something the contract does not allow where the SDK expected it: a stream
    with a non-SSE Content-Type, an event whose data is not valid JSON for its schema, a 2xx body that
    does not parse.
    """


class APIConnectionError(GatewayError):
    """The request could not be sent or its answer not received (refused, reset, DNS).  Not retried:
    the server may have started work.
    """


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool timeout)."""
