"""The plugin against the real reference gateway (a subprocess on a free port, real HTTP).

What the old plugin got wrong, measured here: it ran the whole suite inside ``pytest_configure``, so
pytest said "collected 0 items", reported 0.05 s for a 23 s run and printed over 4,000 warnings.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from .test_plugin_items import REPO, plugin_args

pytest_plugins = ["pytester"]
KEY = "sk-plugin-reference-0123456789"


@pytest.fixture(scope="module")
def reference_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (tmp_path_factory.mktemp("reference") / "reference.log").open("wb")
    cmd = [
        sys.executable,
        "-m",
        "llmgw_reference",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--api-key",
        KEY,
    ]
    process = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the reference did not start"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_a_default_run_collects_items_times_them_and_warns_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, reference_url: str
) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    for name in list(os.environ):
        if name.startswith("LLMGW_") or name in ("TARGET", "API_KEY", "PROFILE", "CHECK", "SEED"):
            monkeypatch.delenv(name)
    started = time.monotonic()
    result = pytester.runpytest_subprocess(
        *plugin_args(),
        "--conformance-target",
        reference_url,
        "--conformance-api-key",
        KEY,
        "--durations=5",
        "-p",
        "no:cacheprovider",
    )
    wall_s = time.monotonic() - started
    out = result.stdout.str()
    assert result.ret == pytest.ExitCode.OK, out
    collected = re.search(r"collected (\d+) items", out)
    assert collected and int(collected.group(1)) > 50
    final = result.stdout.lines[-1]
    assert "warning" not in final and "failed" not in final, final
    # pytest's own clock covers the run: most of the subprocess's wall time, not a few milliseconds.
    session_s = float(re.findall(r" in ([\d.]+)s", final)[0])
    assert session_s >= 0.5 * wall_s, (session_s, wall_s)
    slowest = [float(s) for s in re.findall(r"^([\d.]+)s (?:setup|call) +conformance::", out, re.M)]
    assert slowest and max(slowest) > 0.2
