"""The pytest plugin as a pytest user meets it: items collected up front, run one by one, selectable.

Each test runs pytest in a subprocess with the plugin against a small fake gateway on a real socket,
with checks (plugin_checks.py) that log each time they run, so a test can tell what actually ran.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from llmgw_conformance.contract import load_contract
from llmgw_conformance.stepped_run import roots_first
from tests.conformance.framework.framework_servers import ServeApp, gateway_app

pytest_plugins = ["pytester"]
REPO = Path(__file__).resolve().parents[3]
KEY = "sk-plugin-items-0123456789"
CHECKS = "plug-two,plug-must-fail,plug-should-fail,plug-slow,plug-not-supported,plug-crash"
#: Every requirement of the profile the checks cover is one item.
OPENAI_CHAT = [r.id for r in load_contract(None).requirement_list if "openai-chat" in r.profiles]


def plugin_args() -> list[str]:
    """``-p llmgw_conformance.pytest_plugin`` unless the installed entry point already loads it."""
    names = {e.value for e in importlib.metadata.entry_points(group="pytest11")}
    return [] if "llmgw_conformance.pytest_plugin" in names else ["-p", "llmgw_conformance.pytest_plugin"]


def ran(log: Path) -> list[str]:
    return log.read_text().split() if log.exists() else []


def run(pytester: pytest.Pytester, url: str, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess(
        *plugin_args(),
        "--conformance-target",
        url,
        "--conformance-api-key",
        KEY,
        "--conformance-checks-module",
        "plugin_test_checks",
        "--conformance-check",
        CHECKS,
        *args,
    )


def test_items_are_collected_without_a_request(pytester: pytest.Pytester, log: Path) -> None:
    # Nothing listens on port 9: collection must not need the target.
    result = run(pytester, "http://127.0.0.1:9", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    collected = [line for line in result.stdout.lines if line.startswith("conformance::")]
    # Catalogue order, with the requirements that usually repeat another's defect last.
    expected = roots_first(r for r in load_contract(None).requirement_list if r.id in OPENAI_CHAT)
    assert collected == [f"conformance::{r.id}" for r in expected]
    assert sorted(collected) == sorted(f"conformance::{req_id}" for req_id in OPENAI_CHAT)
    result.stdout.fnmatch_lines([f"{len(OPENAI_CHAT)} tests collected*"])
    assert ran(log) == []


def test_outcomes_map_onto_pytest_and_each_check_runs_once(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    result = run(pytester, serve_app(gateway_app()), "-rA")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    skipped = len(OPENAI_CHAT) - 6
    assert re.search(rf"=+ 2 failed, 3 passed, {skipped} skipped, 1 should-failed in [\d.]+s", out), out
    assert "FAILED conformance::CHAT-ROLE-FIRST" in out and "deliberate MUST failure" in out
    # A crash of a check is the suite's fault, and says so.
    assert "FAILED conformance::CHAT-USAGE-TOTAL" in out and "SUITE ERROR" in out
    assert "deliberate bug in a check" in out
    # Not supported and not run are skips with their reason.
    assert "not_supported: [plug-not-supported] the target refused stream_options clearly" in out
    # The failed SHOULD passes, is listed once at the end, and raises no warning.
    assert out.count("deliberate SHOULD failure") == 1
    result.stdout.fnmatch_lines(
        ["*conformance: 1 SHOULD requirement(s) not met*", "CHAT-NOTHING-AFTER-DONE*"]
    )
    assert "warning" not in out.lower()
    assert "skipped: [runner] not run: " in out  # requirements of checks --conformance-check left out
    assert sorted(ran(log)) == sorted(CHECKS.split(","))


def test_only_shoulds_failing_exits_0(pytester: pytest.Pytester, log: Path, serve_app: ServeApp) -> None:
    result = run(pytester, serve_app(gateway_app()), "-k", "CHAT-NOTHING-AFTER-DONE")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([f"*= {len(OPENAI_CHAT) - 1} deselected, 1 should-failed in *"])


def test_k_runs_only_the_checks_the_selected_requirements_need(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    result = run(pytester, serve_app(gateway_app()), "-k", "SSE-CONTENT-TYPE or CHAT-DONE-SENTINEL")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=2, deselected=len(OPENAI_CHAT) - 2)
    assert ran(log) == ["plug-two"]


def test_durations_and_junit_times_are_real(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    result = run(
        pytester, serve_app(gateway_app()), "-k", "OAI-MODELS-LIST", "--durations=3", "--junitxml=j.xml"
    )
    assert result.ret == pytest.ExitCode.OK
    match = re.search(r"([\d.]+)s call +conformance::OAI-MODELS-LIST", result.stdout.str())
    assert match and float(match.group(1)) >= 1.2, result.stdout.str()
    (case,) = ET.parse(pytester.path / "j.xml").getroot().iter("testcase")
    assert case.get("name") == "OAI-MODELS-LIST" and float(case.get("time", "0")) >= 1.2
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert properties["level"] == "MUST" and properties["checks"] == "plug-slow"


def test_last_failed_reruns_only_the_failed_requirement(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    url = serve_app(gateway_app())
    first = run(pytester, url)
    assert first.ret == pytest.ExitCode.TESTS_FAILED
    log.unlink()
    again = run(pytester, url, "--lf")
    assert again.ret == pytest.ExitCode.TESTS_FAILED
    # The failed MUST and the crashed check's requirement; the failed SHOULD passed, so it is not rerun.
    again.assert_outcomes(failed=2, deselected=len(OPENAI_CHAT) - 2)
    assert sorted(ran(log)) == ["plug-crash", "plug-must-fail"]


def test_exitfirst_stops_and_the_report_says_what_was_not_run(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    result = run(
        pytester, serve_app(gateway_app()), "-x", "--junitxml=j.xml", "--conformance-report-dir", "out"
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "stopping after 1 failures" in result.stdout.str()
    cases = [c.get("name") for c in ET.parse(pytester.path / "j.xml").getroot().iter("testcase")]
    assert cases[-1] == "CHAT-ROLE-FIRST" and len(cases) < len(OPENAI_CHAT)
    # The report covers every selected requirement: those pytest never reached are not run, and why.
    doc = json.loads((pytester.path / "out" / "report.json").read_text())
    by_id = {r["id"]: r for r in doc["requirements"]}
    assert list(by_id) == OPENAI_CHAT and by_id["CHAT-ROLE-FIRST"]["outcome"] == "failed"
    unreached = by_id["CHAT-USAGE-TOTAL"]
    assert unreached["outcome"] == "skipped" and "pytest stopped the session" in unreached["summary"]
    assert "plug-crash" not in ran(log)
    assert doc["stopped"]["reason"] == "max_failures" and doc["verdict"] == "fail"
    assert KEY not in (pytester.path / "out" / "report.json").read_text()
    result.stdout.fnmatch_lines(["*json report: *out/report.json"])


def test_settings_come_from_the_ini_file(pytester: pytest.Pytester, log: Path, serve_app: ServeApp) -> None:
    url = serve_app(gateway_app())
    pytester.makeini(
        f"[pytest]\nconformance_target = {url}\nconformance_check = plug-two\n"
        "conformance_checks_module = plugin_test_checks\n"
    )
    result = pytester.runpytest_subprocess(*plugin_args(), "--conformance-api-key", KEY)
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    result.assert_outcomes(passed=2, skipped=len(OPENAI_CHAT) - 2)
    # The command line wins over the ini file.
    log.unlink()
    narrowed = pytester.runpytest_subprocess(
        *plugin_args(), "--conformance-api-key", KEY, "--conformance-check", "plug-slow"
    )
    assert narrowed.ret == pytest.ExitCode.OK and ran(log) == ["plug-slow"]


def test_a_failure_caused_by_an_earlier_one_is_one_defect(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    url = serve_app(gateway_app())
    common = [*plugin_args(), "--conformance-target", url, "--conformance-api-key", KEY]
    common += ["--conformance-checks-module", "plugin_test_checks", "--conformance-check", "plug-cascade"]
    result = pytester.runpytest_subprocess(*common, "-rfx")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    outcomes = result.parseoutcomes()
    assert outcomes["failed"] == 1 and outcomes["xfailed"] == 1, result.stdout.str()
    result.stdout.fnmatch_lines(
        ["*FAILED conformance::CHAT-FINISH-VALUE*", "XFAIL conformance::SSE-DATA-JSON*"]
    )
    assert "caused by CHAT-FINISH-VALUE [plug-cascade]" in result.stdout.str()
    # Its root not selected, the consequence is a failure of its own: no defect is hidden.
    alone = pytester.runpytest_subprocess(*common, "-k", "SSE-DATA-JSON")
    assert alone.ret == pytest.ExitCode.TESTS_FAILED
    alone.assert_outcomes(failed=1, deselected=len(OPENAI_CHAT) - 1)
