"""Judge one error answer against the contract's error tables.

Why a module of its own: every area (auth, tasks, catalog, pools, backpressure) provokes errors,
and each of those answers must honour the same rules (ERR-ENVELOPE, ERR-STATUS-MATCHES-CODE,
ERR-RETRIABLE, ERR-RETRY-AFTER, ERR-POLICY-LABEL, RESP-NO-TRACEBACK). The rules are read from
``x-error-policy`` / ``x-error-reasons`` (``ctx.contract.error_policy`` / ``error_reasons``), never
re-typed here, so a contract change changes the verdicts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.leaks import find_leaks, find_traceback
from llmgw_conformance.probes.verdicts import Verdicts

__all__ = ["find_traceback", "judge_leaks", "judge_native_error"]

NATIVE_ERROR_REQUIREMENTS = (
    "ERR-ENVELOPE",
    "ERR-STATUS-MATCHES-CODE",
    "ERR-RETRIABLE",
    "ERR-RETRY-AFTER",
    "ERR-POLICY-LABEL",
    "RESP-NO-TRACEBACK",
)


def judge_leaks(ctx: CheckContext, verdicts: Verdicts, response: Response, label: str = "") -> None:
    """RESP-NO-TRACEBACK, RESP-NO-INTERNAL-TEXT and AUTH-NO-SECRET-ECHO on one answer (every leak listed,
    JSON strings decoded); a check reports only those it declares."""
    ex = response.exchange
    error_answer = not 200 <= response.status < 300
    leaks = find_leaks(response.text or "", error_answer=error_answer, secrets=_sent_secrets(ctx))
    prefix = f"{label}: " if label else ""
    kinds = {"RESP-NO-TRACEBACK": (False, False), "AUTH-NO-SECRET-ECHO": (True, False)}
    kinds["RESP-NO-INTERNAL-TEXT"] = (False, True)
    for requirement, (secret, internal) in kinds.items():
        found = [leak for leak in leaks if leak.secret == secret and leak.internal == internal]
        if found:
            verdicts.fail(
                requirement,
                prefix + "the answer shows " + "; ".join(leak.kind for leak in found),
                expected="no stack frame, internal exception text, server path or secret in any answer",
                received="\n".join(f"{leak.kind}: {leak.excerpt!r}" for leak in found),
                exchanges=[ex],
            )
        else:
            verdicts.observed(requirement, ex)


def _sent_secrets(ctx: CheckContext) -> tuple[str | None, ...]:
    return (ctx.options.api_key, ctx.options.restricted_api_key)


def parse_json_object(text: str) -> dict[str, Any] | None:
    """``text`` parsed as a JSON object, or None (never raises on hostile bodies)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def field_map(obj: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """``obj[key]`` when it is an object, else an empty mapping (hostile answers have any shape)."""
    value = obj.get(key)
    return value if isinstance(value, Mapping) else {}


def field_list(obj: Mapping[str, Any], key: str) -> list[Any]:
    """``obj[key]`` when it is a list, else an empty list."""
    value = obj.get(key)
    return value if isinstance(value, list) else []


def as_int(value: Any, default: int = 0) -> int:
    """``value`` when it is an integer (not a bool), else ``default``: target data has any type."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def is_json_content_type(headers: Mapping[str, str]) -> bool:
    """Whether Content-Type is application/json (parameters allowed)."""
    value = _header(headers, "content-type") or ""
    return value.split(";")[0].strip().lower() == "application/json"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def expected_retriable(ctx: CheckContext, code: str, reason: str | None) -> bool:
    """``retriable`` as the contract's tables give it for ``code`` and ``reason``."""
    reasons = ctx.contract.error_reasons
    if reason and reason in reasons and "retriable" in reasons[reason]:
        return bool(reasons[reason]["retriable"])
    policy = ctx.contract.error_policy.get(code, {})
    value = policy.get("retriable", False)
    if value == "by_reason":
        # No reason that decides it: backpressure is retriable (common.yaml, "In short").
        return bool(policy.get("backpressure", False))
    return bool(value)


@dataclass(frozen=True)
class ErrorExpectation:
    """What a probe expects, beyond the generic rules (all optional)."""

    status: int | None = None
    code: str | None = None
    reason: str | None = None
    #: The requirement an unexpected status or code breaks (e.g. TASK-UNKNOWN-MODEL).
    requirement: str | None = None


def judge_native_error(
    ctx: CheckContext,
    verdicts: Verdicts,
    response: Response,
    expectation: ErrorExpectation | None = None,
) -> dict[str, Any] | None:
    """Judge a non-2xx answer of a native operation; returns the parsed envelope when there is one."""
    ex = response.exchange
    judge_leaks(ctx, verdicts, response)
    expectation = expectation or ErrorExpectation()
    if expectation.requirement and expectation.status is not None and response.status != expectation.status:
        verdicts.fail(
            expectation.requirement,
            f"answered {response.status} where the contract gives {expectation.status}"
            + (" (the request was accepted, not refused)" if 200 <= response.status < 300 else ""),
            expected=f"status {expectation.status}",
            received=f"status {response.status}: {(response.text or '')[:300]}",
            exchanges=[ex],
        )
    if 200 <= response.status < 300:
        return None
    body = parse_json_object(response.text or "")
    problems: list[str] = []
    if not is_json_content_type(response.headers):
        problems.append(
            f"Content-Type is {_header(response.headers, 'content-type')!r}, not application/json"
        )
    if body is None:
        problems.append("the body is not a JSON object")
    else:
        problems.extend(ctx.contract.schema_errors("ErrorEnvelope", body))
        message = body.get("message")
        if not isinstance(message, str) or not message.strip():
            problems.append("`message` is missing or empty")
    if problems:
        verdicts.fail(
            "ERR-ENVELOPE",
            f"the {response.status} answer is not one ErrorEnvelope: " + "; ".join(problems),
            expected="application/json ErrorEnvelope {code: ErrorKind, message: non-empty, ...}",
            received=(response.text or "")[:300],
            exchanges=[ex],
        )
    else:
        verdicts.observed("ERR-ENVELOPE", ex)
    if body is None or body.get("code") not in ctx.contract.error_policy:
        return body
    code = str(body["code"])
    reason = body.get("reason") if isinstance(body.get("reason"), str) else None
    _judge_status(ctx, verdicts, response, code, reason)
    _judge_retry(ctx, verdicts, response, body, code, reason)
    if expectation.requirement:
        wrong = (expectation.code is not None and code != expectation.code) or (
            expectation.reason is not None and reason != expectation.reason
        )
        if wrong:
            verdicts.fail(
                expectation.requirement,
                f"refused with code {code} reason {reason}",
                expected=f"code {expectation.code} reason {expectation.reason}",
                received=f"code {code} reason {reason}",
                exchanges=[ex],
            )
        elif expectation.status is None or response.status == expectation.status:
            verdicts.observed(expectation.requirement, ex)
    return body


def _judge_status(
    ctx: CheckContext, verdicts: Verdicts, response: Response, code: str, reason: str | None
) -> None:
    ex = response.exchange
    allowed = list(ctx.contract.error_policy[code].get("statuses", []))
    req = "ERR-STATUS-MATCHES-CODE"
    if response.status not in allowed:
        verdicts.fail(
            req,
            f"status {response.status} is not one x-error-policy allows for code {code}",
            expected=f"one of {allowed}",
            received=str(response.status),
            exchanges=[ex],
        )
        return
    rule = ctx.contract.error_reasons.get(reason or "")
    if rule is not None and (rule.get("status") != response.status or rule.get("code") != code):
        verdicts.fail(
            req,
            f"reason {reason} goes with {rule.get('code')} {rule.get('status')}",
            expected=f"{rule.get('code')} with status {rule.get('status')}",
            received=f"{code} with status {response.status}",
            exchanges=[ex],
        )
        return
    if response.status == 202 and reason != "PROVISIONING":
        verdicts.fail(
            req, "202 is allowed only with reason PROVISIONING", received=f"reason {reason}", exchanges=[ex]
        )
        return
    verdicts.observed(req, ex)


def _judge_retry(
    ctx: CheckContext,
    verdicts: Verdicts,
    response: Response,
    body: Mapping[str, Any],
    code: str,
    reason: str | None,
) -> None:
    ex = response.exchange
    want = expected_retriable(ctx, code, reason)
    raw = body.get("retriable", False)
    if not isinstance(raw, bool):
        verdicts.fail("ERR-RETRIABLE", "`retriable` is not a boolean", received=repr(raw), exchanges=[ex])
        got = bool(raw)
    elif raw != want:
        verdicts.fail(
            "ERR-RETRIABLE",
            f"`retriable` is {raw} for {code}/{reason}",
            expected=str(want).lower(),
            received=str(raw).lower(),
            exchanges=[ex],
        )
        got = raw
    else:
        verdicts.observed("ERR-RETRIABLE", ex)
        got = raw
    header = _header(response.headers, "retry-after")
    ms = body.get("retry_after_ms")
    req = "ERR-RETRY-AFTER"
    if got:
        if not isinstance(ms, int) or isinstance(ms, bool) or ms < 0:
            verdicts.fail(
                req,
                "a retriable error has no valid `retry_after_ms`",
                expected="an integer >= 0",
                received=repr(ms),
                exchanges=[ex],
            )
        elif header is None or not header.strip().isdigit():
            verdicts.fail(
                req,
                "a retriable error has no integer Retry-After header",
                received=repr(header),
                exchanges=[ex],
            )
        elif int(header) != max(1, math.ceil(ms / 1000)):
            verdicts.fail(
                req,
                "Retry-After does not equal ceil(retry_after_ms / 1000), at least 1",
                expected=str(max(1, math.ceil(ms / 1000))),
                received=header,
                exchanges=[ex],
            )
        else:
            verdicts.observed(req, ex)
    elif ms is not None or header is not None:
        verdicts.fail(
            req,
            "a non-retriable error carries retry_after_ms or Retry-After",
            expected="neither",
            received=f"retry_after_ms={ms!r}, Retry-After={header!r}",
            exchanges=[ex],
        )
    else:
        verdicts.observed(req, ex)
    if ctx.contract.error_policy[code].get("backpressure"):
        label = body.get("policy_label")
        if not isinstance(label, str) or not label.strip():
            verdicts.fail(
                "ERR-POLICY-LABEL",
                f"{code} without a non-empty policy_label",
                received=repr(label),
                exchanges=[ex],
            )
        else:
            verdicts.observed("ERR-POLICY-LABEL", ex)
