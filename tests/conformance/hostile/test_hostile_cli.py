"""Whole hostile targets through the real command line at default settings: each ends in at most
60 s with its report, exit 1 or 3, and never a traceback; a target judged unusable says so in one line.

The servers are the kill matrix's (tools.killmatrix.hostile: every request of a mode gets that
mode's answer, on raw sockets). Each test prints the time it measured (see ``-s``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.killmatrix.hostile import HOSTILE_MODES, HostileServer

REPO = Path(__file__).resolve().parents[3]
KEY = "sk-hostile-cli-0123456789"
BOUND_S = 60.0


def run_cli(args: list[str], cwd: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LLMGW_")}
    environ.update(PYTHONPATH=str(REPO), CI="true", **env)
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "llmgw_conformance", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=BOUND_S + 60,
        check=False,
    )
    return done, time.monotonic() - t0


@pytest.mark.parametrize("mode", sorted(HOSTILE_MODES))
def test_hostile_target_ends_within_a_minute_with_a_report(mode: str, tmp_path: Path) -> None:
    with HostileServer(mode) as server:
        done, took = run_cli(
            ["run", "--target", server.base_url, "--report-dir", "out"], tmp_path, LLMGW_API_KEY=KEY
        )
    print(f"hostile {mode}: exit {done.returncode} in {took:.1f}s")
    output = done.stdout + done.stderr
    assert took < BOUND_S, f"{mode} took {took:.1f}s"
    assert done.returncode in (1, 3), output[-2000:]
    assert "Traceback" not in output and KEY not in output
    doc = json.loads((tmp_path / "out" / "report.json").read_text())
    assert doc["exit_code"] == done.returncode
    if done.returncode == 3:
        assert doc["stopped"]["reason"] == "target_unusable"
        lines = [line for line in done.stdout.splitlines() if line.startswith("target unusable: ")]
        assert len(lines) == 1 and "GET " in lines[0], done.stdout[-2000:]
        # nothing was judged: every requirement is "not run"
        assert all(r["outcome"] == "skipped" for r in doc["requirements"])


def test_a_chat_path_that_never_sends_headers_is_not_a_pass(tmp_path: Path) -> None:
    """/v1/models answers, the chat path holds its headers back: probing decides nothing is served,
    which must end as target unusable (exit 3), never as a pass of a run that judged nothing."""
    from tools.killmatrix.hostile import HostilePaths

    server = HostilePaths()
    server.chat_mode = "slow-headers"
    server.start()
    try:
        done, took = run_cli(
            ["run", "--target", server.base_url, "--report-dir", "out"], tmp_path, LLMGW_API_KEY=KEY
        )
    finally:
        server.stop()
    output = done.stdout + done.stderr
    assert took < BOUND_S, f"took {took:.1f}s"
    assert done.returncode == 3, output[-2000:]
    assert "nothing could be judged" in output
