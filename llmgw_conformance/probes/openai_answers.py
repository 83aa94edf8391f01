"""OpenAI-surface requests and answers the checks share: the cheapest chat request, an answer's error
object, an expected refusal or completion, and the Retry-After rule on busy answers.

Why here: the OpenAI surface, extended, honoured-parameter and load checks all send the same tiny chat
request and read error answers the same way; one place keeps them alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.verdicts import Verdicts

#: How much of an answer's body a failure about it quotes.
RECEIVED_CHARS: Final = 300


def tiny_chat(ctx: CheckContext, **extra: Any) -> dict[str, Any]:
    """The cheapest valid chat request: one short message, one output token."""
    body: dict[str, Any] = {
        "model": ctx.target.model,
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 1,
    }
    body.update(extra)
    return body


def answer_object(response: Response, key: str) -> dict[str, Any] | None:
    """The object under ``key`` of a JSON answer (``error``, ``usage``), or None when it has none."""
    try:
        doc = response.json()
    except ValueError:
        return None
    found = doc.get(key) if isinstance(doc, dict) else None
    return found if isinstance(found, dict) else None


def error_body(response: Response) -> dict[str, Any] | None:
    """The ``error`` object of an answer, or None when the body has none."""
    return answer_object(response, "error")


def status_and_body(response: Response) -> str:
    """What a failure about an answer shows as received: its status and the start of its body."""
    return f"{response.status} {response.text[:RECEIVED_CHARS]}"


@dataclass(frozen=True)
class Refusal:
    """How OpenAI refuses a request: the status, and the error's type and code where they are fixed."""

    status: int
    error_type: str | None = None
    code: str | None = None

    def __str__(self) -> str:
        """The refusal in words: "404 invalid_request_error model_not_found"."""
        return " ".join(str(x) for x in (self.status, self.error_type, self.code) if x is not None)

    def given_by(self, response: Response) -> bool:
        """Whether ``response`` is this refusal (a type or code left None may be anything)."""
        error = error_body(response) or {}
        return (
            response.status == self.status
            and (self.error_type is None or error.get("type") == self.error_type)
            and (self.code is None or error.get("code") == self.code)
        )


def expect_refused(
    verdicts: Verdicts, requirement_id: str, label: str, response: Response, refusal: Refusal
) -> bool:
    """Record a failure "<label>: answered <status>" (and return False) unless ``response`` is ``refusal``."""
    return verdicts.expect(
        requirement_id,
        refusal.given_by(response),
        f"{label}: answered {response.status}",
        answer=response,
        expected=str(refusal),
        received=status_and_body(response),
    )


def pass_if_refused(
    verdicts: Verdicts, requirement_id: str, label: str, response: Response, refusal: Refusal
) -> None:
    """The requirement passes when ``response`` is ``refusal``, else fails: the whole judgement of a
    check that sends one request the target must refuse."""
    if expect_refused(verdicts, requirement_id, label, response, refusal):
        verdicts.passed(requirement_id, f"refused {refusal}", exchanges=[response.exchange])


def not_a_completion(response: Response) -> str | None:
    """Why ``response`` is not an accepted chat request (200 and a usable completion), or None.

    Accepted means answered: 200 with at least one choice carrying a message. Whether that body
    has every key the schema requires is RESP-SCHEMA's question; judging it here too made a missing
    ``choices[].logprobs`` key (llama-server, LiteLLM, transformers serve) read as "not accepted"
    under every requirement that sends a valid request, one defect counted four times.
    """
    if response.status != 200:
        return f"answered {response.status}"
    try:
        doc: Any = response.json()
    except ValueError:
        return "answered 200 with a body that is not JSON"
    choices = doc.get("choices") if isinstance(doc, dict) else None
    if not isinstance(choices, list) or not choices:
        return "answered 200 with a body that has no choices"
    if not all(isinstance(c, dict) and isinstance(c.get("message"), dict) for c in choices):
        return "answered 200 with a choice that has no message"
    return None


def expect_completion(
    verdicts: Verdicts,
    requirement_id: str,
    what: str,
    response: Response,
    *,
    expected: str = "200 with a chat completion",
    exchanges: Sequence[Exchange] = (),
) -> bool:
    """Record a failure "<what>: <why not>" (and return False) unless ``response`` is a completion."""
    problem = not_a_completion(response)
    return verdicts.expect(
        requirement_id,
        problem is None,
        f"{what}: {problem}",
        answer=response,
        expected=expected,
        received=status_and_body(response),
        exchanges=exchanges,
    )


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
