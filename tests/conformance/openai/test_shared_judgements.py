"""The judgements the OpenAI and stream checks share since issue 15 folded their copies: a refusal as
OpenAI makes it (:class:`Refusal`, :func:`pass_if_refused`) and the token-limit differential
(:func:`judge_stop_at_limit`). Pure logic on a mock context and stand-in answers; the checks
that use them are proved on live targets by their own tests and the kill matrix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast
from unittest.mock import Mock

import pytest

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.openai_answers import Refusal, pass_if_refused
from llmgw_conformance.probes.token_limits import judge_stop_at_limit
from llmgw_conformance.probes.verdicts import Verdicts

UNKNOWN_MODEL = Refusal(404, "invalid_request_error", "model_not_found")


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    exchange: Any = "exchange-1"

    @property
    def text(self) -> str:
        return json.dumps(self.body)

    def json(self) -> Any:
        return self.body


Report = tuple[str, str, dict[str, Any]]


def reports(sink: Mock) -> list[Report]:
    """What the collector wrote to the context's sink: (requirement, outcome, details) per call."""
    return [(c.args[0], name, {"message": c.args[1], **c.kwargs}) for name, c in _calls(sink)]


def _calls(sink: Mock) -> list[tuple[str, Any]]:
    return [(name, c) for name in ("passed", "failed", "skipped") for c in getattr(sink, name).call_args_list]


def error_answer(status: int, error_type: str, code: str | None) -> Answer:
    return Answer(status, {"error": {"message": "no", "type": error_type, "param": None, "code": code}})


def test_a_refusal_reads_as_openai_writes_it() -> None:
    assert str(UNKNOWN_MODEL) == "404 invalid_request_error model_not_found"
    assert str(Refusal(400, code="unknown_lora")) == "400 unknown_lora"


@pytest.mark.parametrize(
    ("answer", "given"),
    [
        (error_answer(404, "invalid_request_error", "model_not_found"), True),
        (error_answer(400, "invalid_request_error", "model_not_found"), False),
        (error_answer(404, "not_found_error", "model_not_found"), False),
        (error_answer(404, "invalid_request_error", None), False),
        (Answer(404, {"detail": "not found"}), False),
    ],
)
def test_status_type_and_code_must_all_match(answer: Answer, given: bool) -> None:
    assert UNKNOWN_MODEL.given_by(cast(Response, answer)) is given


def test_a_refusal_left_open_in_type_and_code_takes_any() -> None:
    assert Refusal(400).given_by(cast(Response, error_answer(400, "anything", "any_code")))


def judge_refusal(answer: Answer) -> list[Report]:
    sink = Mock()
    with Verdicts(cast(CheckContext, sink), ["R-1"]) as verdicts:
        pass_if_refused(verdicts, "R-1", "model x", cast(Response, answer), UNKNOWN_MODEL)
    return reports(sink)


def test_the_refusal_passes_in_its_own_words() -> None:
    [(req, outcome, detail)] = judge_refusal(error_answer(404, "invalid_request_error", "model_not_found"))
    assert (req, outcome) == ("R-1", "passed")
    assert detail["message"] == "refused 404 invalid_request_error model_not_found"
    assert detail["exchanges"] == ("exchange-1",)


def test_an_answer_that_is_not_the_refusal_fails_with_its_status_and_body() -> None:
    answer = Answer(200, {"choices": []})
    [(req, outcome, detail)] = judge_refusal(answer)
    assert (req, outcome) == ("R-1", "failed")
    assert detail["message"] == "model x: answered 200"
    assert detail["expected"] == "404 invalid_request_error model_not_found"
    assert detail["received"] == f"200 {answer.text}"
    assert detail["exchanges"] == ("exchange-1",)


def judge_rerun(rerun_tokens: object) -> list[Report]:
    sink = Mock()
    evidence = [cast(Exchange, "rerun")]
    with Verdicts(cast(CheckContext, sink), ["R-1"]) as verdicts:
        verdicts.observed("R-1")
        judge_stop_at_limit(verdicts, "R-1", "a choice cut by max_tokens 4", 4, rerun_tokens, evidence)
    return reports(sink)


def test_a_rerun_that_goes_past_the_limit_shows_the_stop_was_a_cut() -> None:
    [(req, outcome, detail)] = judge_rerun(9)
    assert (req, outcome) == ("R-1", "failed")
    assert detail["message"].startswith("a choice cut by max_tokens 4 ended with finish_reason stop")
    assert "produced 9 tokens" in detail["message"]
    assert (detail["expected"], detail["received"]) == ("length", "stop")
    assert detail["exchanges"] == ("rerun",)


@pytest.mark.parametrize("rerun_tokens", [4, 3, None, "9"])
def test_a_rerun_that_stops_at_the_limit_or_gives_no_count_proves_nothing(rerun_tokens: object) -> None:
    [(req, outcome, _)] = judge_rerun(rerun_tokens)
    assert (req, outcome) == ("R-1", "passed")
