"""OpenAI-surface requests and answers the checks share: the cheapest chat request, an answer's error object,
an expected status, and the Retry-After rule on busy answers.

Why here: the OpenAI surface, extended, honoured-parameter and load checks all send the same tiny chat
request and read error answers the same way; one place keeps them alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.verdicts import Verdicts


def tiny_chat(ctx: CheckContext, **extra: Any) -> dict[str, Any]:
    """The cheapest valid chat request: one short message, one output token."""
    body: dict[str, Any] = {
        "model": ctx.target.model,
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 1,
    }
    body.update(extra)
    return body


def error_body(response: Response) -> dict[str, Any] | None:
    """The ``error`` object of an answer, or None when the body has none."""
    try:
        doc = response.json()
    except ValueError:
        return None
    error = doc.get("error") if isinstance(doc, dict) else None
    return error if isinstance(error, dict) else None


def expect_status(
    verdicts: Verdicts,
    requirement_id: str,
    label: str,
    response: Response,
    status: int,
    *,
    error_type: str | None = None,
    code: str | None = None,
) -> bool:
    """Record a failure (and return False) unless ``response`` is ``status`` with that type and code."""
    error = error_body(response) or {}
    wrong = (
        response.status != status
        or (error_type is not None and error.get("type") != error_type)
        or (code is not None and error.get("code") != code)
    )
    if wrong:
        want = " ".join(str(x) for x in (status, error_type, code) if x is not None)
        verdicts.fail(
            requirement_id,
            f"{label}: answered {response.status}",
            expected=want,
            received=f"{response.status} {response.text[:300]}",
            exchanges=[response.exchange],
        )
    return not wrong


#: OpenAI codes of 429s that waiting does not cure (the user must act), so Retry-After may be absent.
USER_ACTION_CODES: Final = frozenset({"insufficient_quota", "billing_hard_limit_reached", "budget_exhausted"})


def retry_expected(response: Response) -> bool:
    """Whether a 429/503 tells the client to come back (not: user action needed, or not retriable)."""
    error = error_body(response) or {}
    return error.get("code") not in USER_ACTION_CODES and error.get("retriable") is not False


def judge_retry_after(verdicts: Verdicts, answers: Sequence[Response]) -> None:
    """OAI-RETRY-AFTER on every retriable 429 or 503 among ``answers``; skipped when there was none.

    A 429 that needs the user to act (OpenAI's ``insufficient_quota``) or that the gateway marks
    ``retriable: false`` may omit the header, as OpenAI does.
    """
    busy = [a for a in answers if a.status in (429, 503) and retry_expected(a)]
    if not busy:
        verdicts.skip("OAI-RETRY-AFTER", f"none of {len(answers)} answers was a retriable 429 or 503")
        return
    for response in busy:
        value = str(response.headers.get("retry-after", ""))
        if not (value.isdigit() and int(value) >= 1):
            verdicts.fail(
                "OAI-RETRY-AFTER",
                f"a {response.status} answer has Retry-After {value or '(none)'}",
                expected="integer seconds, at least 1",
                received=value or "(none)",
                exchanges=[response.exchange],
            )
            return
    verdicts.passed(
        "OAI-RETRY-AFTER",
        f"{len(busy)} 429/503 answers with Retry-After",
        exchanges=[r.exchange for r in busy],
    )
