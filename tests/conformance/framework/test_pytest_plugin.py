"""The pytest plugin: one item per requirement with --conformance-target, and nothing at all without."""

from __future__ import annotations

import importlib.metadata
import os
from pathlib import Path

import pytest

from .framework_servers import ServeApp, gateway_app
from .test_cli import CHECKS_MODULE

pytest_plugins = ["pytester"]
REPO = Path(__file__).resolve().parents[3]
KEY = "sk-plugin-secret-0123456789"


def _load_plugin() -> list[str]:
    """``-p conformance.pytest_plugin`` unless the installed package's entry point already loads it."""
    names = {e.value for e in importlib.metadata.entry_points(group="pytest11")}
    return [] if "llmgw_conformance.pytest_plugin" in names else ["-p", "llmgw_conformance.pytest_plugin"]


def _prepare(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makepyfile(plugin_test_checks=CHECKS_MODULE)
    monkeypatch.setenv("PYTHONPATH", f"{pytester.path}{os.pathsep}{REPO}")
    for name in ("TARGET", "PROFILE", "CHECK", "SEED"):
        monkeypatch.delenv(name, raising=False)
    # The key from the environment, under the suite's variable as named before and after the prefix.
    monkeypatch.setenv("API_KEY", KEY)
    monkeypatch.setenv("LLMGW_API_KEY", KEY)


def test_items_per_requirement_fail_with_the_findings_message(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, serve_app: ServeApp
) -> None:
    _prepare(pytester, monkeypatch)
    url = serve_app(gateway_app(echo_key=True))
    result = pytester.runpytest_subprocess(
        *_load_plugin(),
        "--conformance-target",
        url,
        "--conformance-check",
        "cli-pass,cli-fail",
        "--conformance-checks-module",
        "plugin_test_checks",
        "--conformance-report-dir",
        "plugin-reports",
        "-rA",
    )
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 1 and outcomes["failed"] == 1 and outcomes["skipped"] >= 1
    result.stdout.fnmatch_lines(
        [
            "*CHAT-DONE-SENTINEL (MUST)*",
            "*deliberate failure*",
            "*reproduce: llm-gateway-conformance run*",
            "*FAILED conformance::CHAT-DONE-SENTINEL*",
        ]
    )
    assert "PASSED conformance::SSE-CONTENT-TYPE" in result.stdout.str()
    assert KEY not in result.stdout.str() + result.stderr.str()
    assert result.ret == 1
    reports = pytester.path / "plugin-reports"
    assert {p.name for p in reports.iterdir()} >= {"report.json", "junit.xml", "report.html"}
    assert KEY not in (reports / "report.json").read_text()


def test_usage_error_is_a_pytest_usage_error(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepare(pytester, monkeypatch)
    result = pytester.runpytest_subprocess(
        *_load_plugin(),
        "--conformance-target",
        "http://127.0.0.1:9",
        "--conformance-profile",
        "nope",
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "unknown profile 'nope'" in result.stderr.str()


def test_without_a_target_the_plugin_changes_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prepare(pytester, monkeypatch)
    pytester.makepyfile(test_plain="def test_one():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess(*_load_plugin())
    result.assert_outcomes(passed=1)
    assert "conformance::" not in result.stdout.str()
