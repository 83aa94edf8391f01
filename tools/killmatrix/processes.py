"""Starting the reference in a fault mode, and running the suite CLI against a target.

Why subprocesses: a fault may stall or break the server, and the suite must judge it over real
HTTP exactly as it judges anyone else's gateway; neither may take the harness down.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tools.killmatrix.plan import ROOT, SUITE_LIMITS

#: How long the reference may take to answer /healthz.
START_TIMEOUT_S = 30.0
#: Hard wall-clock limit of one suite run (the suite's own run budget is smaller).
SUITE_TIMEOUT_S = 240.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


@dataclass
class ReferenceServer:
    """`with ReferenceServer(faults=[...]) as ref:` runs the reference on a free port."""

    faults: Sequence[str] = ()
    extra_args: Sequence[str] = ()
    port: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: "sk-km-" + secrets.token_hex(12))
    restricted_key: str = field(default_factory=lambda: "sk-km-ro-" + secrets.token_hex(12))
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "llmgw_reference", "--host", "127.0.0.1", "--port", str(self.port)]
        cmd += ["--api-key", self.api_key, "--api-key", f"{self.restricted_key}=control:read"]
        for name in self.faults:
            cmd += ["--fault", name]
        return cmd + list(self.extra_args)

    def __enter__(self) -> ReferenceServer:
        self.process = subprocess.Popen(
            self.command(), cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"reference with faults {list(self.faults)} exited {self.process.returncode}"
                )
            try:
                if httpx.get(self.base_url + "/healthz", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise RuntimeError(f"reference with faults {list(self.faults)} did not start in {START_TIMEOUT_S} s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass(frozen=True)
class SuiteOutcome:
    """What one suite run said: failed ids (MUST and SHOULD), suite errors, exit code, time."""

    failed: tuple[str, ...]
    errors: tuple[str, ...]
    exit_code: int
    seconds: float
    outcomes: dict[str, str]

    def merge(self, other: SuiteOutcome) -> SuiteOutcome:
        """Both runs as one: an id failed or errored in either run keeps that outcome."""
        rank = {"error": 4, "failed": 3, "passed": 2, "not_supported": 1, "skipped": 0}
        outcomes = dict(self.outcomes)
        for req, outcome in other.outcomes.items():
            if rank.get(outcome, 0) > rank.get(outcomes.get(req, ""), -1):
                outcomes[req] = outcome
        failed = tuple(i for i, o in outcomes.items() if o == "failed")
        code = max(self.exit_code, other.exit_code)
        return SuiteOutcome(failed, self.errors + other.errors, code, self.seconds + other.seconds, outcomes)


def run_suite(
    target: str,
    profiles: Sequence[str],
    *,
    api_key: str | None = None,
    restricted_key: str | None = None,
    checks: Sequence[str] = (),
    limits: dict[str, str] | None = None,
) -> SuiteOutcome:
    """Runs `python -m llmgw_conformance run` against `target` and reads its report.json."""
    with tempfile.TemporaryDirectory(prefix="killmatrix-") as tmp:
        cmd = [sys.executable, "-m", "llmgw_conformance", "run", "--target", target, "--report-dir", tmp]
        cmd += ["--profile", ",".join(profiles)]
        if checks:
            cmd += ["--check", ",".join(checks)]
        for flag, value in (limits or SUITE_LIMITS).items():
            cmd += [flag, value]
        env = _env()
        env.pop("LLMGW_API_KEY", None)
        env.pop("LLMGW_RESTRICTED_API_KEY", None)
        if api_key:
            env["LLMGW_API_KEY"] = api_key
        if restricted_key:
            env["LLMGW_RESTRICTED_API_KEY"] = restricted_key
        env["CI"] = "1"
        start = time.monotonic()
        try:
            proc = subprocess.run(
                cmd, cwd=ROOT, env=env, capture_output=True, timeout=SUITE_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired:
            took = time.monotonic() - start
            return SuiteOutcome((), (f"suite did not finish in {SUITE_TIMEOUT_S:g} s",), -1, took, {})
        took = time.monotonic() - start
        return _read_report(Path(tmp) / "report.json", proc, took)


def _read_report(path: Path, proc: subprocess.CompletedProcess[bytes], took: float) -> SuiteOutcome:
    try:
        report: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tail = proc.stderr.decode("utf-8", "replace")[-600:] or proc.stdout.decode("utf-8", "replace")[-600:]
        return SuiteOutcome(
            (), (f"no report.json (exit {proc.returncode}): {tail}",), proc.returncode, took, {}
        )
    outcomes = {r["id"]: r["outcome"] for r in report.get("requirements", [])}
    failed = tuple(i for i, o in outcomes.items() if o == "failed")
    errors = tuple(str(e) for e in report.get("suite_errors", []))
    errors += tuple(f"{i}: error" for i, o in outcomes.items() if o == "error")
    return SuiteOutcome(failed, errors, proc.returncode, took, outcomes)
