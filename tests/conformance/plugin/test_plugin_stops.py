"""The plugin ends the session as the CLI ends a run: an unusable target (before any check, or once it
stops answering) exits 3 with one line; SIGTERM ends it like Ctrl-C; each leaves a report saying why.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.conformance.framework.framework_servers import CAPABILITIES, ServeApp

from .test_plugin_items import KEY, plugin_args, ran, run

pytest_plugins = ["pytester"]


def silent_chat_app() -> Starlette:
    """Answers discovery and the model list, then never answers a chat or an echo: it went silent."""

    async def capabilities(request: Request) -> Response:
        return JSONResponse({**CAPABILITIES, "profiles": ["openai-chat"]})

    async def models(request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "tiny", "object": "model"}]})

    async def silent(request: Request) -> Response:
        await asyncio.sleep(3600)
        return Response(status_code=500)

    return Starlette(
        routes=[
            Route("/v1/capabilities", capabilities),
            Route("/v1/models", models),
            Route("/v1/chat/completions", silent, methods=["POST"]),
            Route("/echo", silent, methods=["GET"]),
        ]
    )


def test_a_target_that_is_not_there_ends_the_session_with_exit_3(
    pytester: pytest.Pytester, log: Path
) -> None:
    started = time.monotonic()
    result = run(pytester, "http://127.0.0.1:9", "--conformance-report-dir", "out")
    assert result.ret == 3, result.stdout.str()
    assert time.monotonic() - started < 60
    result.stdout.fnmatch_lines(["*conformance: target unusable: *127.0.0.1:9*"])
    assert ran(log) == [] and "Traceback" not in result.stdout.str() + result.stderr.str()
    doc = json.loads((pytester.path / "out" / "report.json").read_text())
    assert doc["stopped"]["reason"] == "target_unusable" and doc["exit_code"] == 3
    assert all("not run" in r["summary"] for r in doc["requirements"])


def test_a_target_that_goes_silent_ends_the_session_after_a_few_unanswered_exchanges(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    url = serve_app(silent_chat_app())
    started = time.monotonic()
    result = run(pytester, url, "--conformance-read-timeout", "1", "--conformance-report-dir", "out")
    elapsed = time.monotonic() - started
    out = result.stdout.str()
    assert result.ret == 3, out
    assert "the target stopped answering" in out and elapsed < 90
    # The three unanswered exchanges were judged; the checks after the trip never ran.
    assert {"plug-two", "plug-should-fail", "plug-must-fail"} <= set(ran(log))
    assert "plug-crash" not in ran(log)
    doc = json.loads((pytester.path / "out" / "report.json").read_text())
    assert doc["stopped"]["reason"] == "target_unusable"
    assert any("not run" in r["summary"] for r in doc["requirements"])


def test_sigterm_ends_the_session_with_an_interrupted_report(
    pytester: pytest.Pytester, log: Path, serve_app: ServeApp
) -> None:
    from tests.conformance.framework.framework_servers import gateway_app

    url = serve_app(gateway_app())
    args = [
        sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *plugin_args(),
        "--conformance-target", url, "--conformance-api-key", KEY,
        "--conformance-checks-module", "plugin_test_checks", "--conformance-check", "plug-two,plug-sleepy",
        "--conformance-report-dir", "out",
    ]  # fmt: skip
    proc = subprocess.Popen(
        args, cwd=pytester.path, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while "plug-sleepy" not in ran(log):
        assert proc.poll() is None and time.monotonic() < deadline, "the sleepy check never started"
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    out, _ = proc.communicate(timeout=30)
    # Far under the sleepy check's 60 s (the session did not wait for it); generous for a busy machine.
    assert time.monotonic() - sent < 20, out
    assert proc.returncode == pytest.ExitCode.INTERRUPTED, out.decode()
    doc = json.loads((pytester.path / "out" / "report.json").read_text())
    assert doc["stopped"]["reason"] == "interrupted" and doc["exit_code"] == 143
    assert doc["verdict"] == "interrupted"
