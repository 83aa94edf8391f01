"""The command line as a release gate runs it: exit codes, usage errors, summary, reports, no secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .framework_servers import ServeApp, gateway_app

REPO = Path(__file__).resolve().parents[3]
KEY = "sk-cli-secret-0123456789"

CHECKS_MODULE = """
from llmgw_conformance.registry import check

@check("cli-pass", requirements=["SSE-CONTENT-TYPE"], profiles=["openai-chat"])
def cli_pass(ctx):
    r = ctx.stream("POST", "/v1/chat/completions", json={"model": ctx.target.model, "stream": True})
    if r.headers.get("content-type", "").startswith("text/event-stream"):
        ctx.passed("SSE-CONTENT-TYPE", "ok", exchanges=[r.exchange])
    else:
        ctx.failed("SSE-CONTENT-TYPE", "not a stream", exchanges=[r.exchange])

@check("cli-fail", requirements=["CHAT-DONE-SENTINEL"], profiles=["openai-chat"])
def cli_fail(ctx):
    r = ctx.request("GET", "/echo")
    ctx.failed("CHAT-DONE-SENTINEL", "deliberate failure " + r.text, exchanges=[r.exchange])

@check("cli-crash", requirements=["OAI-MODELS-LIST"], profiles=["openai-chat"])
def cli_crash(ctx):
    raise RuntimeError("deliberate crash")
"""


def run_cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cli_test_checks.py").write_text(CHECKS_MODULE)
    environ = {
        k: v for k, v in os.environ.items() if k not in ("TARGET", "API_KEY", "PROFILE", "CHECK", "SEED")
    }
    environ.update(
        PYTHONPATH=f"{tmp_path}{os.pathsep}{REPO}", CI="true", CHECK_MODULES="cli_test_checks", **env
    )
    return subprocess.run(
        [sys.executable, "-m", "llmgw_conformance", *args],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (
            ["run", "--target", "http://127.0.0.1:9", "--profile", "nope"],
            "unknown profile 'nope'; valid: auth",
        ),
        (["run", "--target", "http://127.0.0.1:9", "--check", "nope"], "'nope'; valid:"),
        (["run", "--target", "http://127.0.0.1:9", "--seed", "abc"], "seed"),
        (["run", "--no-such-flag"], "unrecognized arguments"),
        (["run", "--target", "http://127.0.0.1:9", "--report-dir", "/proc/no/such"], "report directory"),
    ],
)
def test_usage_errors_exit_2_without_traceback(args: list[str], needle: str, tmp_path: Path) -> None:
    done = run_cli(args, tmp_path)
    assert done.returncode == 2, done.stderr
    assert needle in done.stderr and "Traceback" not in done.stderr + done.stdout


def test_exit_codes_summary_and_reports(serve_app: ServeApp, tmp_path: Path) -> None:
    url = serve_app(gateway_app(echo_key=True))
    base = ["run", "--target", url, "--report-dir", "out"]
    passed = run_cli([*base, "--check", "cli-pass"], tmp_path, API_KEY=KEY)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = run_cli([*base, "--check", "cli-pass,cli-fail", "--seed", "3"], tmp_path, API_KEY=KEY)
    assert failed.returncode == 1
    assert "FAILED CHAT-DONE-SENTINEL" in failed.stdout
    assert "make conformance TARGET=" in failed.stdout and "SEED=3" in failed.stdout
    assert "json report: out/report.json" in failed.stdout
    crashed = run_cli([*base, "--check", "cli-crash"], tmp_path, API_KEY=KEY)
    assert crashed.returncode == 3
    assert "SUITE ERROR cli-crash" in crashed.stdout and "Traceback" not in crashed.stdout
    for done in (passed, failed, crashed):
        assert KEY not in done.stdout + done.stderr
    for name in ("report.json", "junit.xml", "report.html"):
        assert KEY not in (tmp_path / "out" / name).read_text()
    doc = json.loads((tmp_path / "out" / "report.json").read_text())
    assert doc["exit_code"] == 3 and doc["target"]["url"] == url


def test_list_names_profiles_checks_and_requirements(tmp_path: Path) -> None:
    done = run_cli(["list"], tmp_path)
    assert done.returncode == 0
    assert "control-admin" in done.stdout and "SSE-CONTENT-TYPE" in done.stdout
    assert "cli-pass" in done.stdout
