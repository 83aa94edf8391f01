"""Starting the reference server as the target when no ``--target`` is given.

Why a subprocess and not an in-process app: the suite must judge the reference over real HTTP,
exactly as it judges anyone else's server, and a crash or hang of the reference must not take the
suite down. This is the only suite module that knows the reference exists, and even it only knows
its command line (``python -m llmgw_reference --host --port --api-key``). Fresh random keys are made
for each run (one with every scope, one ``KEY=control:read`` restricted key for the AUTH-SCOPE
checks), so no fixed key appears in any report or command line that is shown.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

#: How long the reference may take to answer /healthz after it was started.
START_TIMEOUT_S = 60.0
#: How long the reference may take to exit after SIGTERM before it is killed.
STOP_TIMEOUT_S = 2.5


class EmbeddedStartError(RuntimeError):
    """The reference did not start; the message has the tail of its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedReference:
    """``with EmbeddedReference() as ref:`` runs the reference on a free 127.0.0.1 port until exit."""

    def __init__(self, *, python: str = sys.executable, cwd: Path | None = None) -> None:
        self.python = python
        self.cwd = cwd or Path(__file__).resolve().parent.parent
        self.port = free_port()
        self.api_key = "sk-conformance-" + secrets.token_hex(16)
        self.restricted_api_key = "sk-conformance-ro-" + secrets.token_hex(16)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.NamedTemporaryFile(prefix="conformance-reference-", suffix=".log", delete=False)  # noqa: SIM115

    @property
    def command(self) -> list[str]:
        return [
            self.python,
            "-m",
            "llmgw_reference",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--api-key",
            self.api_key,
            "--api-key",
            f"{self.restricted_api_key}=control:read",
        ]

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of the server's output, keys removed (for error messages)."""
        try:
            text = Path(self._log.name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        text = text.replace(self.api_key, "[redacted]").replace(self.restricted_api_key, "[redacted]")
        return "\n".join(text.splitlines()[-lines:])

    def start(self, timeout_s: float = START_TIMEOUT_S) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(self.cwd), env.get("PYTHONPATH", "")]))
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C goes to the suite, which stops the server itself
        )
        try:
            self._wait_healthy(timeout_s)
        except BaseException:  # not started, or Ctrl-C while waiting: never leave it running
            self.stop()
            raise

    def _wait_healthy(self, timeout_s: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        with httpx.Client(trust_env=False, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise EmbeddedStartError(
                        f"the reference exited with {self.process.returncode}:\n{self.log_tail()}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(self.base_url + "/healthz").status_code == 200:
                        return
                time.sleep(0.1)
        raise EmbeddedStartError(
            f"the reference did not answer /healthz within {timeout_s}s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:  # short: an interrupted run must end within 5 s, the reference included
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        self._log.close()
        with contextlib.suppress(OSError):
            os.unlink(self._log.name)

    def __enter__(self) -> EmbeddedReference:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
