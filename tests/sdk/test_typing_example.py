"""The SDK's types hold up for its users: code written against it passes ``mypy --strict``, and a
misuse is caught by the type checker (the control that proves this test can fail).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = Path(__file__).with_name("readme_example.py")

MISUSE = """
from llmgw_sdk import GatewayClient, TaskToken

def wrong(client: GatewayClient) -> int:
    for event in client.stream_task_events("t"):
        if isinstance(event, TaskToken):
            return event.data.t  # a str, not an int
    stream = client.stream_chat({"model": "m", "messages": []})
    return stream.model  # str | None, not int
"""


def run_mypy(*files: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MYPYPATH": str(REPO_ROOT)}
    cmd = [sys.executable, "-m", "mypy", "--strict", "--explicit-package-bases", "--no-error-summary"]
    return subprocess.run(
        [*cmd, *map(str, files)], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=240
    )


def test_example_is_strict_clean_and_misuse_is_caught(tmp_path: Path) -> None:
    misuse = tmp_path / "sdk_misuse.py"
    misuse.write_text(MISUSE)
    result = run_mypy(EXAMPLE, misuse)
    lines = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert not [line for line in lines if "readme_example.py" in line], result.stdout
    misuse_errors = [line for line in lines if "sdk_misuse.py" in line]
    assert len(misuse_errors) == 2, result.stdout + result.stderr
    assert all("Incompatible return value type" in line for line in misuse_errors), result.stdout
