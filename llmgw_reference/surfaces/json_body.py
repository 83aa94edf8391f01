"""Reading a JSON request body with the contract's own verdict: clear 4xx answers, never a 5xx.

Order of checks: media type (415) and size (413) by the core's ``read_body``; JSON syntax (400);
surface-specific pre-checks (image parts, for a precise ``param``); then the contract's schema
(400, reason ``UNSUPPORTED_FIELD`` for an unknown field).  Schema validation uses JSON Schema
semantics (``61.0`` is an integer, ``"5"`` is not), see ``contract_schemas``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from llmgw_generated.models.common import ErrorReason
from llmgw_reference.errors import ApiError, bad_request
from llmgw_reference.request_body import read_body, validation_error
from llmgw_reference.surfaces.contract_schemas import first_violation

M = TypeVar("M", bound=BaseModel)


def unsupported_field(param: str, message: str | None = None) -> ApiError:
    """The contract's answer to a field (or content part) this server does not honour."""
    return bad_request(
        message or f"unsupported field: {param}", param=param, reason=ErrorReason.UNSUPPORTED_FIELD
    )


def parse_validated(model: type[M], body: dict[str, Any]) -> M:
    """``body`` (already schema-valid) as the generated model; a disagreement is still a 400."""
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise validation_error(exc) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


async def read_json_body(
    request: Request, schema_name: str, pre_check: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """The body as a dict that conforms to ``data.yaml``'s ``schema_name``, or an ``ApiError``."""
    raw = await read_body(request)
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise bad_request(f"the body is not valid JSON: {str(exc)[:200]}") from None
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    if pre_check is not None:
        pre_check(body)
    try:
        violation = first_violation(schema_name, body)
    except RecursionError:
        raise bad_request("the body is nested too deeply") from None
    if violation is not None:
        if violation.unknown_field and violation.param:
            raise unsupported_field(violation.param, violation.message)
        raise bad_request(violation.message, param=violation.param)
    return body
