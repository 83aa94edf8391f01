"""A target that answers preflight and discovery, then stops answering: the run ends after a bounded
number of unanswered exchanges, the remaining requirements *not run: target unusable*."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from llmgw_conformance.context import CheckContext
from llmgw_conformance.contract import load_contract
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.registry import CheckSpec
from llmgw_conformance.run_control import MAX_UNANSWERED
from llmgw_conformance.runner import run_suite
from tools.killmatrix.hostile import HostilePaths


@pytest.fixture
def answering_chat(hostile: HostilePaths) -> Iterator[HostilePaths]:
    """The hostile server with a chat path that answers completely (discovery probes chat), so that
    only the checks' own paths go silent."""
    before, hostile.chat_mode = hostile.chat_mode, "invalid-utf8"
    yield hostile
    hostile.chat_mode = before


FAST = dict(connect_timeout_s=2, read_timeout_s=2, idle_gap_s=1, stream_budget_s=2, check_budget_s=20)


def asking(path: str, requirement: str, stream: bool) -> CheckSpec:
    def judge(ctx: CheckContext) -> None:
        r = ctx.stream("POST", path, json={"stream": True}) if stream else ctx.request("GET", path)
        if r.error or getattr(r, "termination", "done") != "done":
            ctx.failed(requirement, f"no complete answer: {r.error}", exchanges=[r.exchange])
        else:
            ctx.passed(requirement, exchanges=[r.exchange])

    return CheckSpec(f"ask-{requirement}", (requirement,), ("openai-chat",), (), judge, "")


@pytest.mark.parametrize(("path", "stream"), [("/silent", False), ("/endless", True), ("/trickle", False)])
def test_run_stops_after_a_bounded_number_of_unanswered_exchanges(
    answering_chat: HostilePaths, path: str, stream: bool
) -> None:
    hostile = answering_chat
    contract = load_contract()
    musts = [r.id for r in contract.requirement_list if "openai-chat" in r.profiles and r.level == "MUST"][:8]
    registry = {spec.name: spec for spec in (asking(path, req, stream) for req in musts)}
    options = SuiteOptions(
        target=hostile.base_url,
        api_key="sk-hostile-0123456789",
        profiles=("openai-chat",),
        declared_profiles=("openai-chat",),
        checks=tuple(registry),
        **FAST,  # type: ignore[arg-type]
    )
    t0 = time.monotonic()
    result = run_suite(options, registry=registry)
    took = time.monotonic() - t0
    assert took < 30, took  # 3 exchanges of at most ~2-5 s each, not 8 checks' worth
    assert result.stopped == "target_unusable" and "stopped answering" in result.stop_message
    failed = [r for r in musts if result.requirements[r].outcome == Outcome.FAILED]
    not_run = [r for r in musts if "not run: target unusable" in result.requirements[r].summary()]
    # the unanswered exchanges in a row may include discovery's last ones: at most MAX_UNANSWERED fail
    assert 1 <= len(failed) <= MAX_UNANSWERED, [result.requirements[r].summary() for r in musts]
    assert len(not_run) == len(musts) - len(failed)
    assert result.exit_code == 1 and result.suite_errors == []


def test_answers_of_any_status_keep_the_run_going(answering_chat: HostilePaths) -> None:
    """A 404 is an answer: a target that answers everything badly is judged, never 'unusable'."""
    hostile = answering_chat
    contract = load_contract()
    musts = [r.id for r in contract.requirement_list if "openai-chat" in r.profiles and r.level == "MUST"][:6]
    registry = {spec.name: spec for spec in (asking("/no-such-path", req, False) for req in musts)}
    options = SuiteOptions(
        target=hostile.base_url,
        api_key="sk-hostile-0123456789",
        profiles=("openai-chat",),
        declared_profiles=("openai-chat",),
        checks=tuple(registry),
        **FAST,  # type: ignore[arg-type]
    )
    result = run_suite(options, registry=registry)
    assert result.stopped == ""
    assert all(result.requirements[r].outcome == Outcome.PASSED for r in musts), [
        result.requirements[r].summary() for r in musts
    ]
