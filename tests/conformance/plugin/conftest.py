"""Fixtures of the plugin tests: a small fake gateway on a real socket, and the run under test's setup."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.conformance.framework.framework_servers import ServeApp, start_server

from .plugin_checks import SOURCE

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def serve_app() -> Iterator[ServeApp]:
    """``serve_app(app)`` starts ``app`` and returns its base URL; every server stops at teardown."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def serve(app: Any) -> str:
        server, thread, url = start_server(app)
        running.append((server, thread))
        return url

    yield serve
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=5)


@pytest.fixture
def log(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Prepare the pytest run under test; return the file each check appends its name to."""
    pytester.makepyfile(plugin_test_checks=SOURCE)
    monkeypatch.setenv("PYTHONPATH", f"{pytester.path}{os.pathsep}{REPO}")
    for name in list(os.environ):
        if name.startswith("LLMGW_") or name in ("TARGET", "API_KEY", "PROFILE", "CHECK", "SEED"):
            monkeypatch.delenv(name)
    path = pytester.path / "checks-ran.log"
    monkeypatch.setenv("PLUGIN_CHECK_LOG", str(path))
    return path
