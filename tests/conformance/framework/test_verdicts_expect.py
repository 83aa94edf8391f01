"""``Verdicts.expect`` / ``expect_status``: one call that observes or fails, as the long form did.

Pure logic on a recording context and a stand-in answer: the question is only what gets reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.verdicts import Verdicts


@dataclass
class Answer:
    status: int
    text: str
    exchange: Any = "exchange-1"


@dataclass
class Recorder:
    seen: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def passed(self, requirement_id: str, message: str = "", **kw: Any) -> None:
        self.seen.append((requirement_id, "passed", {"message": message, **kw}))

    def failed(self, requirement_id: str, message: str, **kw: Any) -> None:
        self.seen.append((requirement_id, "failed", {"message": message, **kw}))

    def skipped(self, requirement_id: str, reason: str) -> None:
        self.seen.append((requirement_id, "skipped", {"message": reason}))


def run(answer: Answer, status: int) -> tuple[bool, Recorder]:
    recorder = Recorder()
    with Verdicts(cast(CheckContext, recorder), ["R-1"]) as verdicts:
        held = verdicts.expect_status("R-1", cast(Response, answer), status, "deleting the model")
    return held, recorder


def test_expected_status_is_an_observation_with_its_exchange() -> None:
    held, recorder = run(Answer(204, ""), 204)
    assert held is True
    [(req, outcome, detail)] = recorder.seen
    assert (req, outcome) == ("R-1", "passed")
    assert detail["exchanges"] == ["exchange-1"]


def test_other_status_fails_with_what_status_and_body() -> None:
    held, recorder = run(Answer(500, "x" * 500), 204)
    assert held is False
    [(req, outcome, detail)] = recorder.seen
    assert (req, outcome) == ("R-1", "failed")
    assert detail["message"] == "deleting the model answered 500"
    assert detail["expected"] == "204"
    assert detail["received"] == "x" * 200
    assert detail["exchanges"] == ("exchange-1",)


def test_expect_keeps_a_given_received_and_exchanges() -> None:
    recorder = Recorder()
    with Verdicts(cast(CheckContext, recorder), ["R-1"]) as verdicts:
        verdicts.expect(
            "R-1",
            False,
            "listed anyway",
            answer=cast(Response, Answer(200, "body")),
            received="['m']",
            exchanges=[cast(Any, "a"), cast(Any, "b")],
        )
    [(_, outcome, detail)] = recorder.seen
    assert outcome == "failed"
    assert detail["received"] == "['m']"
    assert detail["exchanges"] == ("a", "b")
