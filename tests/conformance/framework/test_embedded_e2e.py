"""End to end: ``python -m llmgw_conformance run`` with no target starts the reference, judges it,
stops it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_embedded_reference_run(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("TARGET", "API_KEY", "PROFILE", "CHECK", "SEED")}
    env.update(CI="true", PYTHONPATH=str(REPO))
    t0 = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "llmgw_conformance",
            "run",
            "--profile",
            "control,auth,openai-chat",
            "--report-dir",
            str(tmp_path),
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    took = time.monotonic() - t0
    assert "Traceback" not in done.stdout + done.stderr, done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode in (0, 1, 3), done.stderr
    doc = json.loads((tmp_path / "report.json").read_text())
    assert doc["target"]["embedded"] is True and doc["target"]["capabilities"] is True
    assert {p["name"] for p in doc["profiles"]} == {"control", "auth", "openai-chat"}
    assert all(p["result"] != "not_supported" for p in doc["profiles"])  # the reference claims them all
    assert "restricted-key" in doc["target"]["features"]  # the embedded run made a restricted key
    judged = [r for r in doc["requirements"] if r["outcome"] in ("passed", "failed")]
    assert len(judged) >= 10, [(r["id"], r["outcome"], r["summary"]) for r in doc["requirements"]]
    # The generated keys never appear; the server was stopped (its port refuses connections).
    port = int(doc["target"]["url"].rsplit(":", 1)[1])
    import socket

    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    assert "sk-conformance-" not in (tmp_path / "report.json").read_text() + done.stdout
    assert took < 240


@pytest.mark.slow
def test_ctrl_c_stops_the_embedded_reference(tmp_path: Path) -> None:
    import re
    import signal
    import socket

    env = {k: v for k, v in os.environ.items() if k not in ("TARGET", "API_KEY", "PROFILE", "CHECK", "SEED")}
    env.update(CI="true", PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "llmgw_conformance", "run", "--report-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=REPO,
    )
    assert proc.stdout is not None
    port = None
    deadline = time.monotonic() + 120
    while port is None and time.monotonic() < deadline:
        line = proc.stdout.readline()
        found = re.search(r"embedded reference at http://127\.0\.0\.1:(\d+)", line)
        if found:
            port = int(found.group(1))
    assert port is not None, "the CLI never said where the reference runs"
    time.sleep(1.0)  # let the run start its checks
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, rest[-2000:]
    assert "Traceback" not in rest
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0, "the reference is still listening"
