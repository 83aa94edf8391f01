"""The hostile server, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .hostile_server import HostileServer


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    server = HostileServer().start()
    yield server
    server.stop()
