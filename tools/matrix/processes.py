"""Starting a server process, waiting until it answers ``GET /v1/models``, stopping it.

Why a process group: a server may start helpers (uvicorn workers, a tokenizer pool); stopping the
group we started stops them too, and nothing else. ``transformers serve`` was seen ignoring SIGTERM
while a generation ran, so a stop that does not end within a grace period becomes a SIGKILL.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

#: Re-exported: callers and tests have always taken it from here.
from tools.local_ports import free_port as free_port

#: How long a stopped server may take to exit before it is killed.
STOP_GRACE_S = 10.0


class StartFailed(RuntimeError):
    """A server exited or did not answer in time; the message names its log."""


def models_status(base_url: str, timeout_s: float = 2.0) -> int | None:
    """The status of ``GET {base_url}/v1/models``, or None when nothing answered."""
    try:
        return httpx.get(base_url.rstrip("/") + "/v1/models", timeout=timeout_s).status_code
    except httpx.HTTPError:
        return None


def _log_tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class RunningServer:
    """A server this tool started: its process, base URL and log file."""

    name: str
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def stop(self) -> None:
        """SIGTERM to the process group we created, SIGKILL after STOP_GRACE_S."""
        if self.process.poll() is not None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=STOP_GRACE_S)
                return
            except subprocess.TimeoutExpired:
                continue


def start_server(
    name: str,
    argv: Sequence[str],
    port: int,
    *,
    env: Mapping[str, str],
    cwd: Path,
    log: Path,
    timeout_s: float,
) -> RunningServer:
    """Start ``argv`` in its own session, logging to ``log``; return once /v1/models answers 200."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(argv), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = RunningServer(name, process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartFailed(f"{name} exited {process.returncode}; {log}:\n{_log_tail(log)}")
        if models_status(server.base_url) == 200:
            return server
        time.sleep(0.5)
    server.stop()
    raise StartFailed(f"{name} did not answer GET /v1/models in {timeout_s:g} s; {log}:\n{_log_tail(log)}")


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(cols[9])
    return inodes


def listener_command(port: int) -> list[str] | None:
    """The command line of the local process listening on ``port`` (Linux /proc), else None.

    Why: a server reused from an earlier start (``--reuse-running``) says its version over HTTP only
    for some engines; for the others, the interpreter or binary that serves the port is asked.
    """
    wanted = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not wanted:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            links = {os.readlink(fd) for fd in (proc / "fd").iterdir()}
            if links & wanted:
                raw = (proc / "cmdline").read_bytes()
                return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part]
        except OSError:
            continue
    return None
