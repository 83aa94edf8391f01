"""Judge one error answer of the OpenAI-compatible surface by value, listing every problem.

Why beside ``error_rules`` (the native envelope): an OpenAI client reads ``error.type`` to pick its
exception class and ``error.code`` / ``error.param`` to react, so a body whose ``type`` is ``null``,
the string ``"None"`` or a value OpenAI never sends is as broken for it as a missing key; the
schema alone (``type: string``) cannot see that. The documented ``type`` values per status are read
from the contract (common.yaml, ``OpenAIError.properties.type.x-documented-values``), never typed here.
Every problem of a body is returned, so a second, worse one is never hidden behind the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import is_json_content_type, parse_json_object

#: Strings that are a serialised null, not a value (seen from proxies that str() a None).
_NULL_STRINGS = ("None", "null", "undefined", "nil", "")


def documented_types(ctx: CheckContext) -> Mapping[str, list[str]]:
    """Status (``"400"``, ``"5xx"``) -> the ``error.type`` values OpenAI documents for it."""
    try:
        spec = ctx.contract.specs["common.yaml"]
        field = spec["components"]["schemas"]["OpenAIError"]["properties"]["type"]
    except (AttributeError, KeyError, TypeError):
        return {}
    table = field.get("x-documented-values", {})
    return {str(k): [str(v) for v in values] for k, values in table.items()}


def allowed_types(ctx: CheckContext, status: int) -> list[str]:
    """The documented ``type`` values for ``status`` (its own row, else its class's row)."""
    table = documented_types(ctx)
    return table.get(str(status)) or table.get(f"{status // 100}xx") or []


def openai_error_problems(ctx: CheckContext, response: Response) -> list[str]:
    """Every way a non-2xx answer differs from OpenAI's error body, each said with what was received."""
    problems: list[str] = []
    body = parse_json_object(response.text or "")
    if body is None:
        return [f"the body is not a JSON object: {(response.text or '')[:120]!r}"]
    error = body.get("error")
    if not isinstance(error, dict):
        problems.append(f"no `error` object (received keys {sorted(body)[:8]})")
        return problems
    problems.extend(_message_problems(error))
    problems.extend(_type_problems(ctx, error, response.status))
    for key in ("param", "code"):
        problems.extend(_nullable_string_problems(error, key))
    return problems


def _message_problems(error: Mapping[str, Any]) -> list[str]:
    message = error.get("message")
    if not isinstance(message, str) or not message.strip():
        return [f"`error.message` must be a non-empty string, received {message!r}"]
    return []


def _type_problems(ctx: CheckContext, error: Mapping[str, Any], status: int) -> list[str]:
    if "type" not in error:
        return ["`error.type` is missing"]
    value = error["type"]
    if not isinstance(value, str):
        return [f"`error.type` must be a string, received {value!r}"]
    allowed = allowed_types(ctx, status)
    if allowed and value not in allowed:
        return [
            f"`error.type` {value!r} is not a value OpenAI documents for status {status} "
            f"(expected one of {allowed})"
        ]
    return []


def _nullable_string_problems(error: Mapping[str, Any], key: str) -> list[str]:
    if key not in error:
        return [f"`error.{key}` is missing (OpenAI always sends it, a string or null)"]
    value = error[key]
    if value is None:
        return []
    if not isinstance(value, str):
        return [f"`error.{key}` must be a string or null, received {type(value).__name__} {value!r}"]
    if value.strip() in _NULL_STRINGS:
        return [f"`error.{key}` is the string {value!r}, a serialised null (send null instead)"]
    return []


def content_type_problem(response: Response) -> str | None:
    """Why the error answer's Content-Type is not application/json, or None."""
    if is_json_content_type(response.headers):
        return None
    got = next((v for k, v in response.headers.items() if k.lower() == "content-type"), None)
    return f"Content-Type is {got!r}, not application/json"


def openai_error_value_problems(response: Response) -> list[str] | None:
    """OAI-ERROR-VALUES: a ``code`` repeating the HTTP status, a ``message`` that is a serialised object.

    None when the answer has no error object (nothing to judge: that is OAI-ERROR-SHAPE's finding).
    """
    body = parse_json_object(response.text or "")
    error = body.get("error") if body is not None else None
    if not isinstance(error, dict):
        return None
    problems = []
    code = error.get("code")
    if isinstance(code, str) and code.strip() == str(response.status):
        problems.append(f"`error.code` {code!r} repeats the HTTP status instead of naming the error")
    message = error.get("message")
    if isinstance(message, str) and message.strip()[:1] in ("{", "[") and message.strip()[-1:] in ("}", "]"):
        problems.append(f"`error.message` is a serialised object: {message[:120]!r}")
    return problems
