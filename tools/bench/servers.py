"""Start the real reference server (`python -m llmgw_reference`) as a subprocess on a free port.

Why a subprocess and not an in-process app: the benchmarks measure what a client sees over real
HTTP from a server process that owns its own event loop and core time, exactly as `make serve`
runs it. The benchmark's config (more slots, a bigger queue, a slower or faster engine) goes in a
JSON config file, the one way the server reads every key of reference.config.Config.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tools.local_ports import free_port

API_KEY = "sk-local-dev"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
STARTUP_TIMEOUT_S = 30.0
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class ReferenceProcess:
    """A running reference server and where it listens."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def cpu_s(self) -> float | None:
        """CPU seconds (user + system) the server process has used so far; None off Linux.

        Why: on a shared machine wall time mixes in other people's load; CPU per unit of work says
        what a process itself costs."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self, n_chars: int = 2000) -> str:
        """The end of the server's log, for an error message that says why it failed."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-n_chars:]
        except OSError:
            return ""


def _wait_healthy(ref: ReferenceProcess) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if ref.process.poll() is not None:
            raise RuntimeError(f"reference exited with {ref.process.returncode}: {ref.log_tail()}")
        try:
            if httpx.get(f"{ref.url}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"reference at {ref.url} not healthy after {STARTUP_TIMEOUT_S} s: {ref.log_tail()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def reference_server(config: Mapping[str, Any], *extra_args: str) -> Iterator[ReferenceProcess]:
    """Run `python -m llmgw_reference --config <config as JSON> --port <free>` until the block ends."""
    with tempfile.TemporaryDirectory(prefix="bench-ref-") as tmp:
        config_path = Path(tmp) / "config.json"
        config_path.write_text(json.dumps(dict(config)), encoding="utf-8")
        port = free_port()
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "llmgw_reference", "--config", str(config_path), "--port", str(port),
                 *extra_args],
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )  # fmt: skip
            ref = ReferenceProcess(f"http://127.0.0.1:{port}", process, log_path)
            try:
                _wait_healthy(ref)
                yield ref
            finally:
                _stop(process)
