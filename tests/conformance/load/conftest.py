"""Fixtures for the load mode's tests: the real reference in its own process, and the load CLI.

Why processes: the load mode imports Locust, which monkey-patches the standard library with gevent;
it must never do that inside pytest. The reference runs as ``python -m llmgw_reference`` on a free
127.0.0.1 port, with a config file and fault modes when a test asks, and the suite runs as
``python -m llmgw_conformance load`` against it, exactly as a user runs it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

KEY = "sk-load-test"
ROOT = Path(__file__).resolve().parents[3]
#: A small reference that refuses quickly: 2 workers of 2 slots, a queue of 2, slow tokens.
SMALL_REFERENCE: dict[str, Any] = {
    "machine_profiles": {"l4": 1, "a100-40gb": 1},
    "slots_per_worker": 2,
    "queue_capacity": 2,
    "admission_policy": "reject",
    "tokens_per_s": 100,
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Reference:
    url: str
    process: subprocess.Popen[bytes]


@pytest.fixture
def reference(tmp_path: Path) -> Iterator[Callable[..., Reference]]:
    """``reference(faults=[...], config={...})`` starts one; all are stopped after the test."""
    started: list[Reference] = []

    def start(faults: tuple[str, ...] = (), config: dict[str, Any] | None = None) -> Reference:
        port = free_port()
        command = [sys.executable, "-m", "llmgw_reference", "--port", str(port), "--api-key", KEY]
        if config is not None:
            path = tmp_path / f"reference-{port}.json"
            path.write_text(json.dumps(config))
            command += ["--config", str(path)]
        for name in faults:
            command += ["--fault", name]
        log = (tmp_path / f"reference-{port}.log").open("wb")
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        ref = Reference(f"http://127.0.0.1:{port}", process)
        started.append(ref)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(ref.url + "/healthz", timeout=0.5).status_code == 200:
                    return ref
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the reference did not start: {(tmp_path / f'reference-{port}.log').read_text()}")

    yield start
    for ref in started:
        ref.process.terminate()
        try:
            ref.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            ref.process.kill()


def load_command(target: str, report_dir: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "llmgw_conformance",
        "load",
        "--target",
        target,
        "--report-dir",
        str(report_dir),
        *args,
    ]


def run_load(
    target: str, report_dir: Path, *args: str, timeout: float = 240
) -> tuple[int, dict[str, Any], str]:
    """Run the load CLI to its end; (exit code, report.json, output)."""
    env = dict(os.environ, LLMGW_API_KEY=KEY)
    done = subprocess.run(
        load_command(target, report_dir, *args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    report_path = report_dir / "report.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return done.returncode, report, done.stdout + done.stderr


def outcomes(report: dict[str, Any]) -> dict[str, str]:
    return {r["id"]: r["outcome"] for r in report.get("requirements", [])}
