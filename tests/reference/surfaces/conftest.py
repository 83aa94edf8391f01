"""A real reference server for the surface tests: uvicorn on 127.0.0.1, a free port, in a thread.

Why our own fixture: the surface tests need a few configurations (default, a slow engine, a tiny
queue) started on demand; each runs the whole app (auth, runtime, faults) over real HTTP.
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

from reference.app import create_app
from reference.config import config_from_mapping

DEV_KEY = "sk-local-dev"
READONLY_KEY = "sk-local-readonly"


@dataclass
class RunningServer:
    """A started server: its base URL and a client authenticated with the dev key."""

    base_url: str
    server: uvicorn.Server
    thread: threading.Thread

    def client(self, key: str | None = DEV_KEY, timeout: float = 30.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(**overrides: Any) -> RunningServer:
    """Start the reference server with config ``overrides``; returns once /healthz answers."""
    port = _free_port()
    config = config_from_mapping({"port": port, **overrides})
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name=f"reference-{port}", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200:
                return RunningServer(base_url, server, thread)
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    server.should_exit = True
    raise RuntimeError("the reference server did not become healthy within 20 s")


@pytest.fixture(scope="session")
def surface_server() -> Iterator[RunningServer]:
    """The reference server with its default configuration (shared by the whole session)."""
    running = start_server()
    yield running
    running.stop()


@pytest.fixture
def server_factory() -> Iterator[Callable[..., RunningServer]]:
    """Start servers with special configurations; each is stopped after the test."""
    started: list[RunningServer] = []

    def factory(**overrides: Any) -> RunningServer:
        running = start_server(**overrides)
        started.append(running)
        return running

    yield factory
    for running in started:
        running.stop()


@pytest.fixture
def api(surface_server: RunningServer) -> Iterator[httpx.Client]:
    """An httpx client of the default server with the dev key."""
    with surface_server.client() as client:
        yield client
