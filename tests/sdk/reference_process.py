"""The real reference gateway as a subprocess on a free port, for the SDK's live tests."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-local-dev"


@contextlib.contextmanager
def running_reference(log_dir: Path, *, tokens_per_s: int = 100) -> Iterator[str]:
    """``python -m llmgw_reference`` with key :data:`KEY`; yields its base URL, stops it on exit."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cmd = [sys.executable, "-m", "llmgw_reference", "--host", "127.0.0.1", "--port", str(port),
           "--api-key", KEY, "--tokens-per-s", str(tokens_per_s)]  # fmt: skip
    # The server's log goes to a file, not a pipe nobody reads (a full pipe would block the server).
    log_path = log_dir / "reference.log"
    url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        try:
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"reference exited early: {log_path.read_text()[-2000:]}")
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("reference did not answer /healthz within 30 s")
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
