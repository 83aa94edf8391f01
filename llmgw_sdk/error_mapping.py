"""Turn an HTTP error answer into the right typed error, from either of the contract's two error shapes.

Native operations answer with ``ErrorEnvelope``; OpenAI-compatible ones with ``OpenAIErrorResponse``
(``{"error": {message, type, param, code, kind?, retriable?, retry_after_ms?, policy_label?}}``).  Both
are parsed with the generated pydantic models.  A body in neither shape (a proxy's HTML page) still
gives an error of the class its status calls for, with the start of the body as message, so callers
never see a raw parsing failure.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from pydantic import ValidationError

from llmgw_generated.models.common import ErrorEnvelope, ErrorKind, ErrorReason, OpenAIErrorResponse
from llmgw_sdk import errors

_BODY_SNIPPET = 300


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (integer seconds or an HTTP date); ``None`` if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def kind_from_code(value: str | None) -> ErrorKind | None:
    """The ``ErrorKind`` a (possibly lower-case) code names, or ``None`` if it names none."""
    try:
        return ErrorKind(value.upper()) if value else None
    except ValueError:
        return None


#: OpenAI's own codes the contract uses instead of a lower-case reason (common.yaml's mapping table).
OPENAI_CODE_REASONS = {"model_not_found": ErrorReason.UNKNOWN_MODEL}


def reason_from_code(value: str | None) -> ErrorReason | None:
    """The ``ErrorReason`` an OpenAI ``code`` (OpenAI's own, or a lower-case reason) names, or ``None``."""
    if value in OPENAI_CODE_REASONS:
        return OPENAI_CODE_REASONS[value]
    try:
        return ErrorReason(value.upper()) if value else None
    except ValueError:
        return None


def _longest_wait(header_s: float | None, body_ms: int | None) -> float | None:
    """The server's two wait hints may disagree by rounding; never wait less than either asks."""
    waits = [w for w in (header_s, None if body_ms is None else body_ms / 1000.0) if w is not None]
    return max(waits) if waits else None


#: The error class of a status, where the status alone decides it.
STATUS_CLASSES: dict[int, type[errors.APIStatusError]] = {
    202: errors.ProvisioningError,
    401: errors.AuthenticationError,
    402: errors.InsufficientCreditsError,
    403: errors.PermissionDeniedError,
    404: errors.NotFoundError,
    410: errors.ModelDeprecatedError,
    429: errors.BackpressureError,
}

#: The error class of a status and reason pair that names a more precise failure than the status.
REASON_CLASSES: dict[tuple[int, ErrorReason], type[errors.APIStatusError]] = {
    (503, ErrorReason.MODEL_LOADING): errors.ModelLoadingError,
    (502, ErrorReason.MODEL_LOAD_FAILED): errors.ModelLoadFailedError,
}


def _class_for(status: int, reason: ErrorReason | None) -> type[errors.APIStatusError]:
    if status in STATUS_CLASSES:
        return STATUS_CLASSES[status]
    if reason is not None and (status, reason) in REASON_CLASSES:
        return REASON_CLASSES[status, reason]
    if status >= 500:
        return errors.ServerError
    if status >= 400:
        return errors.InvalidRequestError
    return errors.APIStatusError  # a status the operation does not document (a redirect, an odd 2xx)


def error_from_response(status: int, headers: Mapping[str, str], body: bytes) -> errors.APIStatusError:
    """The typed error for one non-success answer (header names are matched case-insensitively)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    header_wait = parse_retry_after(lowered.get("retry-after"))
    header_request_id = lowered.get("x-request-id")
    text = body.decode("utf-8", errors="replace")
    try:
        payload: object = json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        payload = None

    if isinstance(payload, dict) and isinstance(payload.get("error"), dict):
        try:
            oai = OpenAIErrorResponse.model_validate(payload).error
        except ValidationError:
            pass
        else:
            reason = reason_from_code(oai.code)
            kind = oai.kind or kind_from_code(oai.code)
            return _class_for(status, reason)(
                oai.message,
                status=status,
                code=kind,
                reason=reason,
                param=oai.param,
                request_id=header_request_id,
                retriable=bool(oai.retriable) or header_wait is not None,
                retry_after_s=_longest_wait(header_wait, oai.retry_after_ms),
                policy_label=oai.policy_label,
                openai_type=oai.type,
                body=text,
            )
    if isinstance(payload, dict) and "code" in payload:
        try:
            env = ErrorEnvelope.model_validate(payload)
        except ValidationError:
            pass
        else:
            return _class_for(status, env.reason)(
                env.message,
                status=status,
                code=env.code,
                reason=env.reason,
                param=env.param,
                request_id=env.request_id or header_request_id,
                retriable=bool(env.retriable) or header_wait is not None,
                retry_after_s=_longest_wait(header_wait, env.retry_after_ms),
                policy_label=env.policy_label,
                body=text,
            )
    snippet = text.strip()[:_BODY_SNIPPET] or "(empty body)"
    return _class_for(status, None)(
        f"unexpected error body: {snippet}",
        status=status,
        request_id=header_request_id,
        retriable=header_wait is not None,
        retry_after_s=header_wait,
        body=text,
    )
