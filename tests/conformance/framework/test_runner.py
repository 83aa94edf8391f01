"""The runner: isolation, budgets, aggregation per requirement and profile, and exit codes."""

from __future__ import annotations

import time
from collections.abc import Callable

from llmgw_conformance.context import CheckContext
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.registry import CheckSpec, TargetViolation
from llmgw_conformance.results import EXIT_MUST_FAILED, EXIT_OK, EXIT_SUITE_ERROR
from llmgw_conformance.runner import run_suite

from .framework_servers import ServeApp, gateway_app

KEY = "sk-test-runner-0123456789"


def spec(
    name: str,
    reqs: tuple[str, ...],
    fn: Callable[[CheckContext], None],
    profiles: tuple[str, ...] = ("tasks",),
) -> CheckSpec:
    return CheckSpec(name, reqs, profiles, (), fn, "")


def passes(ctx: CheckContext) -> None:
    response = ctx.request("GET", "/v1/models")
    ctx.passed("SSE-CONTENT-TYPE", "fine", exchanges=[response.exchange])


def fails(ctx: CheckContext) -> None:
    ctx.failed("NAT-FIRST-STARTED", "first event is token", expected="started", received="token")


def violates(ctx: CheckContext) -> None:
    ctx.request("GET", "/v1/models")
    raise TargetViolation("NAT-STARTED-ONCE", "two started events", expected="1", received="2")


def crashes(ctx: CheckContext) -> None:
    raise RuntimeError(f"bug in a check {KEY}")


def hangs(ctx: CheckContext) -> None:
    time.sleep(30)


def silent(ctx: CheckContext) -> None:
    return None


def should_fails(ctx: CheckContext) -> None:
    ctx.failed("NAT-METRICS", "no metrics event")


def opts(url: str, **kw: object) -> SuiteOptions:
    base = SuiteOptions(target=url, api_key=KEY, profiles=("tasks",), read_timeout_s=2, check_budget_s=1)
    return base.replace(**kw)


def test_outcomes_are_aggregated_and_the_run_survives_crashes_and_hangs(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    registry = {
        s.name: s
        for s in (
            spec("a-passes", ("SSE-CONTENT-TYPE",), passes),
            spec("b-fails", ("NAT-FIRST-STARTED",), fails),
            spec("c-violates", ("NAT-STARTED-ONCE",), violates),
            spec("d-crashes", ("NAT-EVENT-NAMES",), crashes),
            spec("e-hangs", ("NAT-TOKEN-INDEX",), hangs),
            spec("f-silent", ("NAT-TERMINAL-ONCE",), silent),
            spec("g-also-passes", ("SSE-CONTENT-TYPE",), passes),
        )
    }
    t0 = time.monotonic()
    result = run_suite(opts(url), registry=registry)
    assert time.monotonic() - t0 < 10
    reqs = result.requirements
    assert reqs["SSE-CONTENT-TYPE"].outcome == Outcome.PASSED
    assert reqs["SSE-CONTENT-TYPE"].checks == ["a-passes", "g-also-passes"]
    assert reqs["NAT-FIRST-STARTED"].outcome == Outcome.FAILED
    violation = reqs["NAT-STARTED-ONCE"].findings[0]
    assert (violation.outcome, violation.expected, violation.received) == (Outcome.FAILED, "1", "2")
    assert violation.exchanges, "a TargetViolation carries the check's last exchanges"
    assert reqs["NAT-EVENT-NAMES"].outcome == Outcome.ERROR
    assert reqs["NAT-TOKEN-INDEX"].outcome == Outcome.ERROR
    assert "budget" in reqs["NAT-TOKEN-INDEX"].summary()
    assert reqs["NAT-TERMINAL-ONCE"].outcome == Outcome.SKIPPED
    assert "without a verdict" in reqs["NAT-TERMINAL-ONCE"].summary()
    assert (
        reqs["NAT-METRICS"].outcome == Outcome.SKIPPED
        and "no registered check" in reqs["NAT-METRICS"].summary()
    )
    errors = {e.check: e for e in result.suite_errors}
    assert "RuntimeError" in errors["d-crashes"].traceback and KEY not in errors["d-crashes"].traceback
    assert "exceeded its budget" in errors["e-hangs"].message
    assert result.profiles["tasks"].result == "failure"
    assert result.exit_code == EXIT_MUST_FAILED
    assert (
        reqs["NAT-FIRST-STARTED"].reproduction
        == f"llm-gateway-conformance run --target {url} --check b-fails --profile tasks --seed 0"
    )


def test_exit_codes(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    registry = {"a": spec("a", ("SSE-CONTENT-TYPE",), passes), "s": spec("s", ("NAT-METRICS",), should_fails)}
    ok = run_suite(opts(url, checks=("a",)), registry=registry)
    assert ok.exit_code == EXIT_OK and ok.verdict == "partial"  # the tasks MUSTs were not all run
    # A --check rerun marks the rest *not run*, counted apart from the skips (issue 10, class 5):
    assert ok.requirements["NAT-METRICS"].not_run and "not run" in ok.requirements["NAT-METRICS"].summary()
    counts = ok.profiles["tasks"].counts
    assert counts["MUST"]["skipped"] == 0 and counts["MUST"]["not_run"] > 0
    assert "not run" in ok.profiles["tasks"].reason
    # Only a SHOULD failed: still exit 0, and the profile is partial (MUSTs were not all run).
    should = run_suite(opts(url), registry={"s": spec("s", ("NAT-METRICS",), should_fails)})
    assert should.requirements["NAT-METRICS"].outcome == Outcome.FAILED and should.exit_code == EXIT_OK
    assert should.profiles["tasks"].result == "partial"
    crashed = run_suite(opts(url), registry={"c": spec("c", ("NAT-EVENT-NAMES",), crashes)})
    assert crashed.exit_code == EXIT_SUITE_ERROR and crashed.verdict == "error"


def test_profile_not_claimed_is_not_supported_and_never_success(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())  # claims control, tasks, openai-chat
    registry = {"r": spec("r", ("RERANK-ORDER",), passes, ("rerank",))}
    result = run_suite(opts(url, profiles=("rerank",)), registry=registry)
    assert result.profiles["rerank"].result == "not_supported"
    assert all(r.outcome == Outcome.NOT_SUPPORTED for r in result.requirements.values())
    assert any(c.name == "r" and c.outcome.startswith("not_run") for c in result.checks)


def test_run_budget_stops_starting_checks(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    registry = {
        "a": spec("a", ("NAT-TOKEN-INDEX",), hangs),
        "b": spec("b", ("SSE-CONTENT-TYPE",), passes),
    }
    t0 = time.monotonic()
    result = run_suite(opts(url, run_budget_s=0.5, check_budget_s=5), registry=registry)
    assert time.monotonic() - t0 < 8
    assert result.requirements["SSE-CONTENT-TYPE"].outcome == Outcome.ERROR
    assert any("run budget" in e.message for e in result.suite_errors)


def test_pass_only_when_every_must_of_a_claimed_profile_passed(serve_app: ServeApp) -> None:
    url = serve_app(gateway_app(profiles=["rerank"]))
    contract_reqs = (
        "TASK-RERANK-RESULT",
        "RERANK-ORDER",
        "RESP-SCHEMA",
        "RESP-STATUS-DOCUMENTED",
        "RESP-NO-5XX-ON-BAD-INPUT",
        "RESP-CONTENT-TYPE",
    )

    def all_pass(ctx: CheckContext) -> None:
        for req in contract_reqs:
            ctx.passed(req)

    result = run_suite(
        opts(url, profiles=("rerank",)), registry={"p": spec("p", contract_reqs, all_pass, ("rerank",))}
    )
    assert result.profiles["rerank"].result == "success"
    assert result.verdict == "pass" and result.exit_code == EXIT_OK


def test_a_profile_whose_every_requirement_is_not_supported_claims_nothing() -> None:
    from llmgw_conformance.outcomes import Finding
    from llmgw_conformance.results import RequirementResult, profile_result

    results = []
    for req in ("OAI-N-STREAM", "CHAT-LOGPROBS"):
        result = RequirementResult(req, "MUST", "text", ("openai-extended",))
        result.add(Finding(req, Outcome.NOT_SUPPORTED, "runner", "the target does not claim feature n"))
        results.append(result)
    assert profile_result("openai-extended", "", True, results).result == "not_supported"
    results[0].findings.clear()
    results[0].add(Finding("OAI-N-STREAM", Outcome.PASSED, "c"))
    assert profile_result("openai-extended", "", True, results).result == "success"
