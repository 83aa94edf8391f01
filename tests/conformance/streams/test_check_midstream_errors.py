"""The mid-stream error checks over real HTTP: a deadline_ms cuts a chat or generate stream of the fake.

They pass when the fake ends the cut stream with the right error terminal and ``[DONE]``, fail on each
way of sending it wrong, and never pass when no error could be provoked. Through the runner, the plain
grammar checks no longer turn the two requirements into "skipped" on a healthy target, and a target
without feature ``deadlines`` gets "not supported".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_target import FakeTarget, MakeContext, outcomes  # type: ignore[import-not-found]

from llmgw_conformance.checks.midstream_errors import chat_midstream_error, generate_midstream_error
from llmgw_conformance.contract import load_contract
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.registry import registered_checks
from llmgw_conformance.runner import run_suite
from llmgw_conformance.selection import plan_run

CHECKS = {"chat-midstream-error": chat_midstream_error, "generate-midstream-error": generate_midstream_error}
REPO = Path(__file__).resolve().parents[3]
REQUIREMENT = {"chat-midstream-error": "CHAT-ERROR-EVENT", "generate-midstream-error": "GEN-ERROR-CHUNK"}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_passes_when_the_deadline_ends_the_stream_correctly(
    fake: FakeTarget, context: MakeContext, name: str
) -> None:
    ctx, findings = context(name)
    CHECKS[name](ctx)
    assert outcomes(findings) == {REQUIREMENT[name]: Outcome.PASSED}
    passed = findings[0]
    assert "deadline_ms" in passed.message and passed.exchanges
    assert "deadline_ms" in str(passed.exchanges[0].request_body)


@pytest.mark.parametrize(
    ("fault", "name"),
    [
        ("midstream-error-as-content", "chat-midstream-error"),
        ("midstream-error-no-done", "chat-midstream-error"),
        ("gen-error-not-done", "generate-midstream-error"),
        ("gen-error-no-sentinel", "generate-midstream-error"),
    ],
)
def test_fails_on_each_wrong_error_terminal(
    fake: FakeTarget, context: MakeContext, fault: str, name: str
) -> None:
    fake.faults = {fault}
    ctx, findings = context(name)
    CHECKS[name](ctx)
    assert outcomes(findings) == {REQUIREMENT[name]: Outcome.FAILED}
    failure = findings[0]
    assert failure.message and failure.exchanges and failure.expected


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_no_provoked_error_is_never_a_pass(fake: FakeTarget, context: MakeContext, name: str) -> None:
    fake.faults = {"deadline-ignored"}
    ctx, findings = context(name)
    CHECKS[name](ctx)
    assert outcomes(findings) == {REQUIREMENT[name]: Outcome.SKIPPED}
    assert "past its deadline" in findings[0].message


def test_the_runner_passes_both_rules_with_the_grammar_checks_beside(fake: FakeTarget) -> None:
    """The plain grammar checks see no error on a healthy target and must not outrank the pass."""
    names = ("chat-stream-grammar", "generate-stream-grammar", *sorted(CHECKS))
    options = SuiteOptions(target=fake.url, api_key="sk-test", checks=names, stream_budget_s=20.0)
    result = run_suite(options)
    for requirement_id in REQUIREMENT.values():
        verdict = result.requirements[requirement_id]
        assert verdict.outcome is Outcome.PASSED, verdict.summary()
        assert [f.check for f in verdict.findings] in (
            ["chat-midstream-error"],
            ["generate-midstream-error"],
        )


def test_a_target_without_deadlines_gets_not_supported() -> None:
    options = SuiteOptions(profiles=("openai-chat", "generate"))
    plan = plan_run(
        options,
        load_contract(),
        registered_checks(),
        claimed_profiles={"openai-chat", "generate"},
        features={"generate"},
    )
    for name, requirement_id in REQUIREMENT.items():
        assert "deadlines" in plan.not_run[name]
        assert plan.preset[requirement_id].outcome is Outcome.NOT_SUPPORTED


def test_the_embedded_reference_passes_both_rules(tmp_path: Path) -> None:
    """The reference honours deadline_ms on chat and generate, so the embedded run judges both rules."""
    env = {k: v for k, v in os.environ.items() if k not in ("TARGET", "API_KEY", "PROFILE", "CHECK", "SEED")}
    env.update(CI="true", PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "llmgw_conformance", "run", "--check", ",".join(REQUIREMENT.values())]
    done = subprocess.run(
        [*command, "--report-dir", str(tmp_path), "--seed", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    doc = json.loads((tmp_path / "report.json").read_text())
    verdicts = {r["id"]: r["outcome"] for r in doc["requirements"] if r["id"] in REQUIREMENT.values()}
    assert verdicts == {"CHAT-ERROR-EVENT": "passed", "GEN-ERROR-CHUNK": "passed"}, doc["requirements"]
