"""Running the conformance suite CLI on one row, and recording what the document needs beside it.

The suite runs as a subprocess (``python -m llmgw_conformance run``), exactly as a user runs it, so
the matrix shows what a user would see. ``engine.json`` beside its report.json keeps what the report
cannot know: the row, the engine's version as the server said it, how the server was started.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

#: Hard limit of one suite run (its own default run budget is 600 s).
SUITE_TIMEOUT_S = 900.0
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class EngineInfo:
    """Facts about one row's server, written to ``engine.json``."""

    row: str
    title: str
    description: str
    version: str
    pinned: str
    url: str
    model: str
    #: "started by tools.matrix" or "reused (already running)".
    started: str
    suite_command: str
    suite_exit: int
    suite_seconds: float

    def write(self, folder: Path) -> Path:
        path = folder / "engine.json"
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def read(cls, folder: Path) -> EngineInfo | None:
        try:
            doc = json.loads((folder / "engine.json").read_text(encoding="utf-8"))
            return cls(**{k: doc[k] for k in cls.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None


def suite_command(url: str, model: str, report_dir: Path, extra: tuple[str, ...] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "llmgw_conformance", "run", "--target", url, "--model", model]
    return [*cmd, "--report-dir", str(report_dir), *extra]


def run_suite(url: str, model: str, report_dir: Path, extra: tuple[str, ...] = ()) -> tuple[int, float, str]:
    """(exit code, seconds, shown command) of one suite run; its console output in console.txt."""
    report_dir.mkdir(parents=True, exist_ok=True)
    stale = report_dir / "report.json"
    if stale.exists():
        stale.unlink()  # an old report must never pass for this run's
    cmd = suite_command(url, model, report_dir, extra)
    env = {**os.environ, "CI": "1"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    start = time.monotonic()
    with (report_dir / "console.txt").open("wb") as out:
        try:
            code = subprocess.run(
                cmd,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=SUITE_TIMEOUT_S,
                check=False,
            ).returncode
        except subprocess.TimeoutExpired:
            code = -1
    shown = " ".join(["python", *cmd[1:]])
    return code, time.monotonic() - start, shown
