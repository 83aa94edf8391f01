"""Fixtures of the SDK tests: a scripted real HTTP server, and fake time for retry waits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sdk.fake_time import FakeTime
from tests.sdk.scripted_gateway import ScriptedGateway, ScriptedServer


@pytest.fixture(scope="session")
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def gateway(scripted_server: ScriptedServer) -> ScriptedGateway:
    """A fresh scripted gateway for one test."""
    return scripted_server.new_gateway()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
