"""Judging the answers a saturated target gives instead of a stream: refusals and admissions.

Why apart from the stream judges: a refusal is an HTTP answer before any stream byte, and what makes
it usable is in its status, headers and envelope (a documented error code, ``retry_after_ms`` with a
``Retry-After`` header that agrees, a ``policy_label`` on backpressure errors). The native surface
(tasks, generate) follows ERR-RETRY-AFTER and ERR-POLICY-LABEL; the OpenAI surface OAI-RETRY-AFTER.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, Final

import httpx

from llmgw_conformance.contract import load_contract

if TYPE_CHECKING:
    from llmgw_conformance.load.judging import StreamOutcome

BACKPRESSURE_CODES: Final = frozenset({"ADMISSION_REJECT", "QUEUE_FULL_DROP_LRU"})
#: OpenAI codes that need the user to act: a 429 with one of them may omit Retry-After.
USER_ACTION_CODES: Final = frozenset({"insufficient_quota", "billing_hard_limit_reached"})


@cache
def documented_codes() -> frozenset[str]:
    """Error codes of the contract's ``x-error-policy``."""
    return frozenset(load_contract().error_policy)


def _envelope(response: httpx.Response) -> dict[str, Any] | None:
    try:
        doc = response.json()
    except ValueError:
        return None
    if isinstance(doc, Mapping) and isinstance(doc.get("error"), Mapping):
        return dict(doc["error"])
    return dict(doc) if isinstance(doc, Mapping) else None


def judge_refusal(outcome: StreamOutcome, response: httpx.Response) -> None:
    """A non-2xx answer to a valid request under load; records the refusal's code on ``outcome``."""
    envelope = _envelope(response) or {}
    code = envelope.get("kind") or envelope.get("code")
    outcome.refusal_code = str(code) if code is not None else f"HTTP {response.status_code}"
    if outcome.kind in ("chat", "chat-usage"):
        _judge_openai_refusal(outcome, response, envelope)
    else:
        _judge_native_refusal(outcome, response, envelope)


def _judge_openai_refusal(
    outcome: StreamOutcome, response: httpx.Response, envelope: Mapping[str, Any]
) -> None:
    if response.status_code not in (429, 503):
        return
    if envelope.get("code") in USER_ACTION_CODES or envelope.get("retriable") is False:
        return
    value = response.headers.get("retry-after", "")
    if value.isdigit() and int(value) >= 1:
        outcome.hold("OAI-RETRY-AFTER")
    else:
        outcome.fail(
            "OAI-RETRY-AFTER",
            f"a {response.status_code} answer under load has Retry-After {value or '(none)'}",
            expected="integer seconds, at least 1",
            received=value or "(none)",
        )


def _judge_native_refusal(
    outcome: StreamOutcome, response: httpx.Response, envelope: Mapping[str, Any]
) -> None:
    status, code = response.status_code, envelope.get("code")
    if code not in documented_codes():
        outcome.fail(
            "BP-BURST-NO-LOSS",
            f"a refusal under load is not a documented error ({status})",
            expected="an error envelope with a code of x-error-policy",
            received=response.text[:200],
        )
        return
    outcome.hold("BP-BURST-NO-LOSS")
    if status >= 500 and code in BACKPRESSURE_CODES:
        outcome.fail("BP-QUEUE-BOUNDED", f"overload answered {status}", expected="429", received=str(code))
    elif status == 429 and code in BACKPRESSURE_CODES:
        outcome.hold("BP-QUEUE-BOUNDED")
    if code in BACKPRESSURE_CODES:
        label = envelope.get("policy_label")
        if isinstance(label, str) and label.strip():
            outcome.hold("ERR-POLICY-LABEL")
        else:
            outcome.fail(
                "ERR-POLICY-LABEL", f"a {code} refusal has no policy_label", received=str(envelope)[:200]
            )
    _judge_retry_after(outcome, response, envelope)


def _judge_retry_after(outcome: StreamOutcome, response: httpx.Response, envelope: Mapping[str, Any]) -> None:
    """ERR-RETRY-AFTER: retriable errors carry retry_after_ms and Retry-After = ceil(ms / 1000) >= 1."""
    header = response.headers.get("retry-after")
    ms = envelope.get("retry_after_ms")
    if envelope.get("retriable") is not True:
        if header is None and ms is None:
            outcome.hold("ERR-RETRY-AFTER")
        else:
            outcome.fail(
                "ERR-RETRY-AFTER",
                "a non-retriable refusal carries a retry time",
                expected="neither retry_after_ms nor Retry-After",
                received=f"retry_after_ms={ms}, Retry-After={header}",
            )
        return
    wanted = str(max(1, math.ceil(ms / 1000))) if isinstance(ms, int) and not isinstance(ms, bool) else None
    if wanted is not None and header == wanted:
        outcome.hold("ERR-RETRY-AFTER")
    else:
        outcome.fail(
            "ERR-RETRY-AFTER",
            f"a retriable {response.status_code} refusal under load has retry_after_ms={ms} and "
            f"Retry-After {header or '(none)'}",
            expected=f"Retry-After {wanted or 'ceil(retry_after_ms / 1000)'} with retry_after_ms",
            received=f"Retry-After {header or '(none)'}",
        )


def judge_task_admission(outcome: StreamOutcome, answer: httpx.Response, capacity: int | None) -> None:
    """An admitted task's queue position stays below the declared capacity (BP-QUEUE-BOUNDED)."""
    try:
        position = answer.json().get("queue_position")
    except (ValueError, AttributeError):
        return
    if capacity is not None and isinstance(position, int) and position >= capacity:
        outcome.fail(
            "BP-QUEUE-BOUNDED",
            f"a task was admitted at queue position {position}",
            expected=f"positions below the queue capacity {capacity}",
            received=str(position),
        )
