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

@check("cli-fail2", requirements=["SSE-STREAM-ENDS"], profiles=["openai-chat"])
def cli_fail2(ctx):
    ctx.failed("SSE-STREAM-ENDS", "second deliberate failure")

@check("cli-crash", requirements=["OAI-MODELS-LIST"], profiles=["openai-chat"])
def cli_crash(ctx):
    raise RuntimeError("deliberate crash")
"""


def run_cli(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "cli_test_checks.py").write_text(CHECKS_MODULE)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LLMGW_")}
    environ.update(
        PYTHONPATH=f"{tmp_path}{os.pathsep}{REPO}", CI="true", LLMGW_CHECK_MODULES="cli_test_checks", **env
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
            "unknown profile 'nope'; valid: accounts-keys, accounts-usage, auth",
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
    passed = run_cli([*base, "--check", "cli-pass"], tmp_path, LLMGW_API_KEY=KEY)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = run_cli([*base, "--check", "cli-pass,cli-fail", "--seed", "3"], tmp_path, LLMGW_API_KEY=KEY)
    assert failed.returncode == 1
    assert "FAILED CHAT-DONE-SENTINEL" in failed.stdout
    assert f"reproduce: llm-gateway-conformance run --target {url} --check" in failed.stdout
    assert "--seed 3" in failed.stdout
    assert "json report: out/report.json" in failed.stdout
    crashed = run_cli([*base, "--check", "cli-crash"], tmp_path, LLMGW_API_KEY=KEY)
    assert crashed.returncode == 4
    assert "SUITE ERROR cli-crash" in crashed.stdout and "Traceback" not in crashed.stdout
    for done in (passed, failed, crashed):
        assert KEY not in done.stdout + done.stderr
    for name in ("report.json", "junit.xml", "report.html"):
        assert KEY not in (tmp_path / "out" / name).read_text()
    doc = json.loads((tmp_path / "out" / "report.json").read_text())
    assert doc["exit_code"] == 4 and doc["target"]["url"] == url


def test_list_names_profiles_checks_and_requirements(tmp_path: Path) -> None:
    done = run_cli(["list"], tmp_path)
    assert done.returncode == 0
    assert "control-admin" in done.stdout and "SSE-CONTENT-TYPE" in done.stdout
    assert "cli-pass" in done.stdout


def test_version_and_help_name_the_variables_and_exit_codes(tmp_path: Path) -> None:
    from llmgw_conformance import __version__
    from llmgw_conformance.options import ENV_VARS

    version = run_cli(["--version"], tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"llm-gateway-conformance {__version__}"
    shown = run_cli(["run", "--help"], tmp_path)
    assert shown.returncode == 0
    for variable in ENV_VARS:
        assert variable in shown.stdout, variable
    assert variable.startswith("LLMGW_")
    for words in ("3 target unusable", "4 the suite's", "130 / 143", "[tool.llm-gateway-conformance]"):
        assert words in " ".join(shown.stdout.split()), words
    for flag in (
        "--header",
        "--exclude-check",
        "--max-failures",
        "--json",
        "--junit",
        "--html",
        "--config",
    ):
        assert flag in shown.stdout, flag


def test_ci_conventions(serve_app: ServeApp, tmp_path: Path) -> None:
    """Config file under env under flags; -H sent and redacted; report copies; plain, unwrapped lines."""
    url = serve_app(gateway_app(echo_key=True))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.llm-gateway-conformance]\nseed = 5\nreport-dir = "from-config"\ncheck = ["cli-pass"]\n'
    )
    secret = "gk-0123456789abcdefghij"
    args = ["run", "--target", url, "--check", "cli-pass,cli-fail", "-H", f"X-Gateway-Key: {secret}"]
    args += [
        "-H",
        "X-Team: blue",
        "--json",
        "copies/r.json",
        "--junit",
        "copies/j.xml",
        "--html",
        "copies/r.html",
    ]
    done = run_cli(args, tmp_path, LLMGW_API_KEY=KEY, LLMGW_SEED="6", NO_COLOR="1")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    doc = json.loads((tmp_path / "from-config" / "report.json").read_text())  # report-dir from the file
    assert doc["seed"] == 6  # the environment beats the file
    assert doc["options"]["checks"] == ["cli-pass", "cli-fail"]  # the flag beats the file
    assert doc["options"]["headers"] == ["X-Gateway-Key: [redacted]", "X-Team: blue"]
    failure = next(r for r in doc["requirements"] if r["id"] == "CHAT-DONE-SENTINEL")
    assert '"x-team":"blue"' in failure["findings"][0]["message"]  # the headers were sent
    for name in ("copies/r.json", "copies/j.xml", "copies/r.html", "from-config/report.html"):
        text = (tmp_path / name).read_text()
        assert secret not in text and KEY not in text, name
    assert secret not in done.stdout + done.stderr and "\x1b[" not in done.stdout
    reproduce = [
        line for line in done.stdout.splitlines() if "reproduce: llm-gateway-conformance run" in line
    ]
    assert len(reproduce) == 1 and len(reproduce[0]) > 120  # one line, not wrapped at the console width
    assert "--seed 6 " in reproduce[0]
    assert reproduce[0].endswith("-H 'X-Gateway-Key: $HEADER_X_GATEWAY_KEY' -H 'X-Team: blue'")


def test_exclude_check_and_max_failures(serve_app: ServeApp, tmp_path: Path) -> None:
    url = serve_app(gateway_app())
    base = ["run", "--target", url, "--report-dir", "out", "--check", "cli-pass,cli-fail,cli-fail2"]
    excluded = run_cli([*base, "--exclude-check", "cli-fail,SSE-STREAM-ENDS"], tmp_path, LLMGW_API_KEY=KEY)
    assert excluded.returncode == 0, excluded.stdout[-2000:]
    runs = {
        c["name"]: c["outcome"] for c in json.loads((tmp_path / "out" / "report.json").read_text())["checks"]
    }
    assert runs["cli-fail"] == runs["cli-fail2"] == "not_run: excluded by --exclude-check"
    stopped = run_cli([*base, "--max-failures", "1"], tmp_path, LLMGW_API_KEY=KEY)
    assert stopped.returncode == 1
    doc = json.loads((tmp_path / "out" / "report.json").read_text())
    assert doc["stopped"]["reason"] == "max_failures" and doc["summary"]["must_failed"] == [
        "CHAT-DONE-SENTINEL"
    ]
    assert "run stopped early: stopped after 1 failed MUST requirements" in stopped.stdout
    bad = run_cli([*base, "--exclude-check", "nope"], tmp_path)
    assert bad.returncode == 2 and "excluded check" in bad.stderr
