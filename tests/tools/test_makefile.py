"""The Makefile's help, its placeholders and .ci/run (the cheap parts; `make test` is CI itself)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TARGETS = (
    "help",
    "venv",
    "generate",
    "check-generated",
    "lint-contracts",
    "lint",
    "typecheck",
    "browser",
    "test",
    "conformance",
    "serve",
    "bench",
    "killmatrix",
    "matrix",
)


def _make(repo_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-s", *args], cwd=repo_root, capture_output=True, text=True
    )


def test_help_lists_every_target(repo_root: Path) -> None:
    result = _make(repo_root, "help")
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.strip()}
    assert set(TARGETS) <= listed
    assert _make(repo_root).stdout == result.stdout  # help is the default goal


def test_no_target_is_left_unwired(repo_root: Path) -> None:
    result = _make(repo_root, "help")
    assert "not wired" not in result.stdout


def test_ci_run_calls_make_test(repo_root: Path) -> None:
    script = repo_root / ".ci" / "run"
    assert os.access(script, os.X_OK)
    lines = [line.strip() for line in script.read_text().splitlines()]
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    assert lines[-1] == "make test"
