"""Faults that break the error envelope rules (native ErrorEnvelope and the OpenAI error shape)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmgw_reference.faults.base import Fault, fault

if TYPE_CHECKING:
    from llmgw_reference.errors import ApiError

Body = dict[str, object]
TRACEBACK = (
    'Traceback (most recent call last):\n  File "/srv/gateway/app.py", line 42, in handle\n'
    "    raise RuntimeError(request)\nRuntimeError: boom"
)


def _is_native(body: Body) -> bool:
    return "code" in body and "error" not in body


def _openai_inner(body: Body) -> Body | None:
    inner = body.get("error")
    return inner if isinstance(inner, dict) else None


@fault(
    "error-status-200",
    breaks=["TASK-ERRORS-BEFORE-STREAM", "TASK-UNKNOWN-MODEL", "GEN-ERRORS-BEFORE-STREAM"],
    description="Answers every native error with status 200 (the envelope kept as the body).",
)
class ErrorStatus200(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (200, body) if _is_native(body) else (status, body)


@fault(
    "error-wrong-status",
    breaks=["ERR-STATUS-MATCHES-CODE", "TASK-UNKNOWN-MODEL"],
    description="Answers native 404 errors with 400.",
)
class ErrorWrongStatus(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (400, body) if status == 404 and _is_native(body) else (status, body)


@fault("error-unknown-code", breaks=["ERR-ENVELOPE"], description="Gives native errors the code `OOPS`.")
class ErrorUnknownCode(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (status, body | {"code": "OOPS"}) if _is_native(body) else (status, body)


@fault("error-missing-code", breaks=["ERR-ENVELOPE"], description="Leaves `code` out of native errors.")
class ErrorMissingCode(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if not _is_native(body):
            return status, body
        return status, {k: v for k, v in body.items() if k != "code"}


@fault(
    "error-retriable-flipped",
    breaks=["ERR-RETRIABLE"],
    description="Marks non-retriable native errors retriable (with a consistent retry_after_ms).",
)
class ErrorRetriableFlipped(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if not _is_native(body) or body.get("retriable"):
            return status, body
        return status, body | {"retriable": True, "retry_after_ms": 1000}

    def error_headers(self, err: ApiError, headers: dict[str, str]) -> dict[str, str]:
        return headers if err.retriable else headers | {"Retry-After": "1"}


@fault(
    "error-no-retry-after-ms",
    breaks=["ERR-RETRY-AFTER"],
    description="Leaves `retry_after_ms` out of retriable native errors (the header is kept).",
)
class ErrorNoRetryAfterMs(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if not _is_native(body):
            return status, body
        return status, {k: v for k, v in body.items() if k != "retry_after_ms"}


@fault(
    "error-retry-after-disagrees",
    breaks=["ERR-RETRY-AFTER"],
    description="Sends retry_after_ms 5 s longer than the Retry-After header says.",
)
class ErrorRetryAfterDisagrees(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        ms = body.get("retry_after_ms")
        if not _is_native(body) or not isinstance(ms, int):
            return status, body
        return status, body | {"retry_after_ms": ms + 5000}


@fault(
    "error-no-policy-label",
    breaks=["ERR-POLICY-LABEL"],
    description="Leaves `policy_label` out of backpressure errors.",
)
class ErrorNoPolicyLabel(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        if not _is_native(body):
            return status, body
        return status, {k: v for k, v in body.items() if k != "policy_label"}


@fault(
    "error-openai-flat",
    breaks=["OAI-ERROR-SHAPE"],
    description="Answers OpenAI-surface errors with a flat `{message, type}` object (no `error` wrapper).",
)
class ErrorOpenAIFlat(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        inner = _openai_inner(body)
        return (status, dict(inner)) if inner is not None else (status, body)


@fault(
    "error-openai-integer-code",
    breaks=["OAI-ERROR-SHAPE"],
    description="Sends the OpenAI error `code` as the integer HTTP status.",
)
class ErrorOpenAIIntegerCode(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        inner = _openai_inner(body)
        return (status, {"error": inner | {"code": status}}) if inner is not None else (status, body)


@fault(
    "error-traceback",
    breaks=["RESP-NO-TRACEBACK"],
    description="Appends a Python stack trace to the message of every error (both surfaces).",
)
class ErrorTraceback(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        inner = _openai_inner(body)
        if inner is not None:
            return status, {"error": inner | {"message": f"{inner.get('message')}\n{TRACEBACK}"}}
        return status, body | {"message": f"{body.get('message')}\n{TRACEBACK}"}


@fault("error-empty-message", breaks=["ERR-ENVELOPE"], description='Sends native errors with message "".')
class ErrorEmptyMessage(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (status, body | {"message": ""}) if _is_native(body) else (status, body)


@fault(
    "error-status-200-openai",
    breaks=["CHAT-ERRORS-BEFORE-STREAM"],
    description="Answers every OpenAI-surface error with status 200 (the error object kept as the body).",
)
class ErrorStatus200OpenAI(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (200, body) if _openai_inner(body) is not None else (status, body)


@fault(
    "error-undocumented-status",
    breaks=["RESP-STATUS-DOCUMENTED"],
    description="Answers native 400 errors with 418, a status no operation documents.",
)
class ErrorUndocumentedStatus(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (418, body) if status == 400 and _is_native(body) else (status, body)


@fault(
    "error-5xx-on-bad-input",
    breaks=["RESP-NO-5XX-ON-BAD-INPUT"],
    description="Answers every 400 (both surfaces) with 500.",
)
class Error5xxOnBadInput(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (500, body) if status == 400 else (status, body)


@fault(
    "json-content-type-text",
    breaks=["RESP-CONTENT-TYPE"],
    description="Labels every JSON answer text/plain.",
)
class JsonContentTypeText(Fault):
    def response_headers(self, path: str, status: int, headers: dict[str, str]) -> dict[str, str]:
        out = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        ctype = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        return out | {"content-type": "text/plain"} if ctype.startswith("application/json") else headers


@fault(
    "retired-model-served",
    breaks=["CAT-RETIRED-REJECTED"],
    description="Answers work on a Retired model with status 200 instead of 410.",
)
class RetiredModelServed(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        return (200, body) if status == 410 else (status, body)


@fault(
    "image-part-422",
    breaks=["OAI-IMAGE-PART"],
    description="Refuses chat requests with an image, audio or file content part with 422 instead of 400.",
)
class ImagePart422(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        unreadable = status == 400 and ".content[" in str(err.param or "") and "content parts" in err.message
        return (422, body) if unreadable else (status, body)
