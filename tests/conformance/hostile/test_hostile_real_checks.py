"""The shipped stream checks, through the CLI, against hostile chat servers.

Selected by requirement id (stable across check renames): whatever checks cover the SSE framing
requirements run, under small limits. The run must end in bounded time with no traceback, fail the
requirement the misbehaviour breaks, and never read "pass" when nothing could be judged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tools.killmatrix.hostile import HostilePaths

REPO = Path(__file__).resolve().parents[3]
KEY = "sk-hostile-cli-0123456789"
LIMITS = [
    "--read-timeout",
    "3",
    "--idle-gap",
    "1",
    "--stream-budget",
    "3",
    "--check-budget",
    "12",
    "--run-budget",
    "40",
    "--max-bytes",
    "1048576",
]


def run_cli(
    url: str, report_dir: Path, *extra: str
) -> tuple[subprocess.CompletedProcess[str], float, dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LLMGW_")}
    env.update(CI="true", LLMGW_API_KEY=KEY, PYTHONPATH=str(REPO))
    t0 = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "llmgw_conformance",
            "run",
            "--target",
            url,
            "--report-dir",
            str(report_dir),
            "--check",
            "SSE-STREAM-ENDS,SSE-FRAMING-VALID,SSE-HEADERS-PROMPT",
            *LIMITS,
            *extra,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        cwd=REPO,
    )
    took = time.monotonic() - t0
    return done, took, json.loads((report_dir / "report.json").read_text())


@pytest.mark.parametrize(
    ("mode", "broken"),
    [("endless", "SSE-STREAM-ENDS"), ("garbage", "SSE-FRAMING-VALID"), ("reset", "CHAT-DONE-SENTINEL")],
)
def test_shipped_checks_fail_the_broken_rule(
    hostile: HostilePaths, tmp_path: Path, mode: str, broken: str
) -> None:
    hostile.chat_mode = mode
    # Declared (profile and features): a chat path that never answers with a completion is neither
    # proven served by probing nor survives the feature probes (three unanswered in a row end the run
    # as unusable); the subject here is the shipped stream checks.
    done, took, doc = run_cli(
        hostile.base_url, tmp_path, "--declare-profile", "openai-chat", "--feature", "stop"
    )
    assert took < 30, f"{mode}: {took:.1f}s"
    assert "Traceback" not in done.stdout + done.stderr
    assert KEY not in done.stdout + done.stderr
    outcomes = {r["id"]: r["outcome"] for r in doc["requirements"]}
    assert outcomes[broken] == "failed", (mode, outcomes)
    assert done.returncode == 1 and doc["suite_errors"] == []


@pytest.mark.parametrize("declared", [True, False])
def test_a_silent_target_never_reads_as_a_pass(hostile: HostilePaths, tmp_path: Path, declared: bool) -> None:
    """Declared or probed, a chat path that never answers ends the run as unusable (or failed), fast."""
    hostile.chat_mode = "silent"
    extra = ("--declare-profile", "openai-chat") if declared else ()
    done, took, doc = run_cli(hostile.base_url, tmp_path, *extra)
    assert took < 30
    assert "Traceback" not in done.stdout + done.stderr
    assert doc["verdict"] in ("fail", "unusable") and done.returncode in (1, 3)
    assert doc["stopped"]["reason"] == "target_unusable"
    results = {p["name"]: p["result"] for p in doc["profiles"]}
    if declared:
        assert results["openai-chat"] in ("failure", "partial")
    else:  # probing proved nothing served, and discovery's probe got no answer: unusable, not a pass
        assert doc["verdict"] == "unusable" and "nothing could be judged" in doc["stopped"]["message"]
