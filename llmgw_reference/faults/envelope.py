"""Faults that break the error envelope rules (native ErrorEnvelope and the OpenAI error shape)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from llmgw_reference.faults.base import Fault, register_faults

if TYPE_CHECKING:
    from llmgw_reference.errors import ApiError

Body = dict[str, object]
TRACEBACK = (
    'Traceback (most recent call last):\n  File "/srv/gateway/app.py", line 42, in handle\n'
    "    raise RuntimeError(request)\nRuntimeError: boom"
)


#: `NativeErrorKeyChanged.value` that removes the key instead of setting it.
DROPPED = object()


def _is_native(body: Body) -> bool:
    return "code" in body and "error" not in body


def _openai_inner(body: Body) -> Body | None:
    inner = body.get("error")
    return inner if isinstance(inner, dict) else None


#: Which error bodies a fault changes: the native envelope, the OpenAI error shape, or either.
SURFACES: dict[str, Callable[[Body], bool]] = {
    "native": _is_native,
    "openai": lambda body: _openai_inner(body) is not None,
    "any": lambda body: True,
}


class ErrorStatusChanged(Fault):
    """Answers the errors of `surface` whose status is `when` (None: every status) with `to_status`."""

    surface = "native"
    when: int | None = None
    to_status = 200

    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if SURFACES[self.surface](body) and self.when in (None, status):
            return self.to_status, body
        return status, body


class NativeErrorKeyChanged(Fault):
    """Sets `key` of every native error body to `value`, or leaves it out (`value` is DROPPED)."""

    key = ""
    value: object = DROPPED

    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if not _is_native(body):
            return status, body
        if self.value is DROPPED:
            return status, {k: v for k, v in body.items() if k != self.key}
        return status, body | {self.key: self.value}


class ErrorMessageSuffixed(Fault):
    """Appends `suffix` to the message of every error (both surfaces) whose status is `when` (None: all)."""

    suffix = ""
    when: int | None = None

    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if self.when not in (None, status):
            return status, body
        inner = _openai_inner(body)
        if inner is not None:
            return status, {"error": inner | {"message": f"{inner.get('message')}{self.suffix}"}}
        return status, body | {"message": f"{body.get('message')}{self.suffix}"}


class ErrorRetriableFlipped(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if not _is_native(body) or body.get("retriable"):
            return status, body
        return status, body | {"retriable": True, "retry_after_ms": 1000}

    def error_headers(self, err: ApiError, headers: dict[str, str]) -> dict[str, str]:
        return headers if err.retriable else headers | {"Retry-After": "1"}


class ErrorRetryAfterDisagrees(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        ms = body.get("retry_after_ms")
        if not _is_native(body) or not isinstance(ms, int):
            return status, body
        return status, body | {"retry_after_ms": ms + 5000}


class ErrorOpenAIFlat(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        inner = _openai_inner(body)
        return (status, dict(inner)) if inner is not None else (status, body)


class ErrorOpenAIIntegerCode(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        inner = _openai_inner(body)
        return (status, {"error": inner | {"code": status}}) if inner is not None else (status, body)


class JsonContentTypeText(Fault):
    def response_headers(self, path: str, status: int, headers: dict[str, str]) -> dict[str, str]:
        out = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        return out | {"content-type": "text/plain"} if ctype.startswith("application/json") else headers


class ImagePart422(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        unreadable = status == 400 and ".content[" in str(err.param or "") and "content parts" in err.message
        return (422, body) if unreadable else (status, body)


register_faults(
    (
        "error-status-200",
        ["TASK-ERRORS-BEFORE-STREAM", "TASK-UNKNOWN-MODEL", "GEN-ERRORS-BEFORE-STREAM"],
        "Answers every native error with status 200 (the envelope kept as the body).",
        ErrorStatusChanged,
        {"to_status": 200},
    ),
    (
        "error-wrong-status",
        ["ERR-STATUS-MATCHES-CODE", "TASK-UNKNOWN-MODEL"],
        "Answers native 404 errors with 400.",
        ErrorStatusChanged,
        {"when": 404, "to_status": 400},
    ),
    (
        "error-unknown-code",
        ["ERR-ENVELOPE"],
        "Gives native errors the code `OOPS`.",
        NativeErrorKeyChanged,
        {"key": "code", "value": "OOPS"},
    ),
    (
        "error-missing-code",
        ["ERR-ENVELOPE"],
        "Leaves `code` out of native errors.",
        NativeErrorKeyChanged,
        {"key": "code"},
    ),
    (
        "error-retriable-flipped",
        ["ERR-RETRIABLE"],
        "Marks non-retriable native errors retriable (with a consistent retry_after_ms).",
        ErrorRetriableFlipped,
        {},
    ),
    (
        "error-no-retry-after-ms",
        ["ERR-RETRY-AFTER"],
        "Leaves `retry_after_ms` out of retriable native errors (the header is kept).",
        NativeErrorKeyChanged,
        {"key": "retry_after_ms"},
    ),
    (
        "error-retry-after-disagrees",
        ["ERR-RETRY-AFTER"],
        "Sends retry_after_ms 5 s longer than the Retry-After header says.",
        ErrorRetryAfterDisagrees,
        {},
    ),
    (
        "error-no-policy-label",
        ["ERR-POLICY-LABEL"],
        "Leaves `policy_label` out of backpressure errors.",
        NativeErrorKeyChanged,
        {"key": "policy_label"},
    ),
    (
        "error-openai-flat",
        ["OAI-ERROR-SHAPE"],
        "Answers OpenAI-surface errors with a flat `{message, type}` object (no `error` wrapper).",
        ErrorOpenAIFlat,
        {},
    ),
    (
        "error-openai-integer-code",
        ["OAI-ERROR-SHAPE"],
        "Sends the OpenAI error `code` as the integer HTTP status.",
        ErrorOpenAIIntegerCode,
        {},
    ),
    (
        "error-traceback",
        ["RESP-NO-TRACEBACK"],
        "Appends a Python stack trace to the message of every error (both surfaces).",
        ErrorMessageSuffixed,
        {"suffix": f"\n{TRACEBACK}"},
    ),
    (
        "error-empty-message",
        ["ERR-ENVELOPE"],
        'Sends native errors with message "".',
        NativeErrorKeyChanged,
        {"key": "message", "value": ""},
    ),
    (
        "error-status-200-openai",
        ["CHAT-ERRORS-BEFORE-STREAM"],
        "Answers every OpenAI-surface error with status 200 (the error object kept as the body).",
        ErrorStatusChanged,
        {"surface": "openai", "to_status": 200},
    ),
    (
        "error-undocumented-status",
        ["RESP-STATUS-DOCUMENTED"],
        "Answers native 400 errors with 418, a status no operation documents.",
        ErrorStatusChanged,
        {"when": 400, "to_status": 418},
    ),
    (
        "error-5xx-on-bad-input",
        ["RESP-NO-5XX-ON-BAD-INPUT"],
        "Answers every 400 (both surfaces) with 500.",
        ErrorStatusChanged,
        {"surface": "any", "when": 400, "to_status": 500},
    ),
    (
        "json-content-type-text",
        ["RESP-CONTENT-TYPE"],
        "Labels every JSON answer text/plain.",
        JsonContentTypeText,
        {},
    ),
    (
        "retired-model-served",
        ["CAT-RETIRED-REJECTED"],
        "Answers work on a Retired model with status 200 instead of 410.",
        ErrorStatusChanged,
        {"surface": "any", "when": 410, "to_status": 200},
    ),
    (
        "image-part-422",
        ["OAI-IMAGE-PART"],
        "Refuses chat requests with an image, audio or file content part with 422 instead of 400.",
        ImagePart422,
        {},
    ),
)
