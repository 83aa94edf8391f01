"""Judging one answer by the problems found in it: first that it is a 200 JSON object at all, then
that its contents show no problem.

Why here: the capability, capacity, task, embedding, rerank, key and image checks each read one
answer, list what is wrong with it, and report one verdict naming the first problems. When the
answer is not even a 200 JSON object of the right kind, the rule fails on that alone and the check
stops. One place keeps both steps (their messages and what they quote) the same for all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from llmgw_conformance.context import Response
from llmgw_conformance.probes.error_rules import parse_json_object
from llmgw_conformance.probes.verdicts import Verdicts

#: How much of a body the failure quotes.
RECEIVED_CHARS = 300


def ok_object(
    verdicts: Verdicts,
    requirement_id: str,
    response: Response,
    what: str,
    *,
    expected: str | None = None,
    holds: Callable[[dict[str, Any]], bool] = lambda _: True,
    status: int = 200,
) -> dict[str, Any] | None:
    """The answer's JSON object when it has ``status`` and its object ``holds``; else None, after
    failing ``requirement_id`` with "<what> answered <its status>".

    Nothing is observed when it succeeds: the check judges the object next, and that judgement
    is the one observation of the rule.
    """
    answer = parse_json_object(response.text or "") if response.status == status else None
    if answer is not None and holds(answer):
        return answer
    verdicts.fail(
        requirement_id,
        f"{what} answered {response.status}",
        expected=expected,
        received=(response.text or "")[:RECEIVED_CHARS],
        exchanges=[response.exchange],
    )
    return None


def judge_problems(
    verdicts: Verdicts,
    requirement_id: str,
    response: Response,
    problems: Sequence[str],
    *,
    expected: str | None = None,
    shown: int = 3,
) -> bool:
    """``requirement_id`` holds on ``response`` when no problem was found in it; else it fails
    naming the first ``shown`` problems and quoting the body. Returns whether it held."""
    return verdicts.expect(
        requirement_id,
        not problems,
        "; ".join(problems[:shown]),
        answer=response,
        expected=expected,
        received=(response.text or "")[:RECEIVED_CHARS],
    )
