"""Fixtures that start the real reference server (uvicorn on a free 127.0.0.1 port, in a thread).

Use `reference_server` for the default config, or `start_reference` to start one with overrides:

    def test_x(start_reference):
        server = start_reference(queue_capacity=2, tokens_per_s=50)
        r = httpx.get(server.url + "/healthz")
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from llmgw_reference.app import create_app
from llmgw_reference.config import Config, config_from_mapping

DEV_KEY = "sk-local-dev"
READONLY_KEY = "sk-local-readonly"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class RunningServer:
    """A reference server started for a test."""

    url: str
    config: Config
    server: uvicorn.Server
    thread: threading.Thread
    app: Any

    @property
    def runtime(self) -> Any:
        return self.app.state.runtime

    def headers(self, key: str = DEV_KEY) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}

    def client(self, key: str | None = DEV_KEY, timeout: float = 10.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


def start_server(**overrides: Any) -> RunningServer:
    """Starts the app for `Config` with `overrides` and waits until /healthz answers."""
    # The socket is bound here and handed to uvicorn: a port only picked free could be taken by
    # another test's server before uvicorn bound it, and /healthz would then answer from that one.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    config = config_from_mapping({"port": port, **overrides})
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=0.5).status_code == 200:
                return RunningServer(url, config, server, thread, app)
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    server.should_exit = True
    raise RuntimeError("the reference server did not start")


@pytest.fixture(scope="module")
def reference_server() -> Iterator[RunningServer]:
    """One default-config server per test module."""
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def start_reference() -> Iterator[Callable[..., RunningServer]]:
    """A factory that starts servers with config overrides; all are stopped after the test."""
    started: list[RunningServer] = []

    def start(**overrides: Any) -> RunningServer:
        server = start_server(**overrides)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
