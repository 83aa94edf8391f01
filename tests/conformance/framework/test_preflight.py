"""Preflight over real processes: a target the run cannot judge ends in one clear line, exit 3,
within 15 s, with no check run and a report marked target unusable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .framework_servers import ServeApp

REPO = Path(__file__).resolve().parents[3]
KEY = "sk-preflight-0123456789"


def run_cli(args: list[str], cwd: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LLMGW_")}
    environ.update(PYTHONPATH=str(REPO), CI="true", **env)
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "llmgw_conformance", "run", *args, "--report-dir", "out"],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    return done, time.monotonic() - t0


def assert_unusable(done: subprocess.CompletedProcess[str], took: float, cwd: Path, *words: str) -> None:
    assert done.returncode == 3, done.stdout[-2000:] + done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("target unusable: ")]
    assert len(lines) == 1, done.stdout[-2000:]
    assert all(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in done.stdout + done.stderr and KEY not in done.stdout + done.stderr
    doc = json.loads((cwd / "out" / "report.json").read_text())
    assert doc["stopped"]["reason"] == "target_unusable" and doc["verdict"] == "unusable"
    assert doc["duration_s"] < 15, doc["duration_s"]
    assert took < 30, took  # the run's 15 s plus the interpreter's start on a busy machine
    assert all(c["outcome"].startswith("not_run") for c in doc["checks"])  # no check ran
    assert all(r["outcome"] == "skipped" for r in doc["requirements"])


def models_app(
    status: int, body: str = '{"object": "list", "data": []}', ctype: str = "application/json"
) -> Starlette:
    async def models(request: Request) -> Response:
        return PlainTextResponse(body, status_code=status, media_type=ctype)

    return Starlette(routes=[Route("/v1/models", models)])


def test_nothing_listening(tmp_path: Path) -> None:
    done, took = run_cli(["--target", "http://127.0.0.1:9"], tmp_path, LLMGW_API_KEY=KEY)
    assert_unusable(
        done, took, tmp_path, "connection refused", "127.0.0.1:9", "GET http://127.0.0.1:9/v1/models"
    )


def test_base_url_ending_in_the_api_prefix(serve_app: ServeApp, tmp_path: Path) -> None:
    url = serve_app(models_app(200))
    done, took = run_cli(["--target", url + "/v1/"], tmp_path, LLMGW_API_KEY=KEY)
    assert_unusable(done, took, tmp_path, "already ends in the API prefix /v1", f"use --target {url}")


def test_host_that_does_not_resolve(tmp_path: Path) -> None:
    done, took = run_cli(["--target", "http://no-such-host.invalid:8080"], tmp_path, LLMGW_API_KEY=KEY)
    assert done.returncode == 3
    assert_unusable(done, took, tmp_path, "no-such-host.invalid")


@pytest.mark.parametrize(
    ("status", "key", "words"), [(401, None, "no API key was given"), (403, KEY, "refused")]
)
def test_key_missing_or_refused(
    serve_app: ServeApp, tmp_path: Path, status: int, key: str | None, words: str
) -> None:
    url = serve_app(models_app(status, '{"error": {"message": "no"}}'))
    env = {"LLMGW_API_KEY": key} if key else {}
    done, took = run_cli(["--target", url], tmp_path, **env)
    assert_unusable(done, took, tmp_path, f"answered {status}", words, "LLMGW_API_KEY")


def test_not_an_api_at_that_url(serve_app: ServeApp, tmp_path: Path) -> None:
    url = serve_app(models_app(200, "<html>welcome</html>", "text/html"))
    done, took = run_cli(["--target", url], tmp_path, LLMGW_API_KEY=KEY)
    assert_unusable(done, took, tmp_path, "not JSON", "text/html")


def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    done, _ = run_cli(["--target", "http://127.0.0.1:99999"], tmp_path)
    assert done.returncode == 2 and "target URL" in done.stderr and "Traceback" not in done.stderr


def test_unprefixed_variables_are_not_read(serve_app: ServeApp, tmp_path: Path) -> None:
    """A stray TARGET in a CI environment changes nothing; API_KEY is not the suite's key either."""
    url = serve_app(models_app(401, '{"error": {"message": "no"}}'))
    done, took = run_cli(["--target", url], tmp_path, TARGET="http://127.0.0.1:9", API_KEY=KEY)
    assert_unusable(done, took, tmp_path, "answered 401", "no API key was given")
