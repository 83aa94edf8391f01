"""Fixtures of the SDK tests: a scripted real HTTP server, and fake time for retry waits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from gateway_sdk import RetryPolicy
from tests.sdk.scripted_gateway import ScriptedGateway, ScriptedServer

API_KEY = "sk-test-sdk"


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


@dataclass
class FakeTime:
    """A clock that only moves when the SDK sleeps, recording every wait."""

    now: float = 1000.0
    waits: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)
        await asyncio.sleep(0)

    def policy(self, *, jitter: float = 0.0, **overrides: object) -> RetryPolicy:
        """A RetryPolicy on this fake time; ``jitter`` is what ``random()`` returns."""
        return RetryPolicy(
            sleep=self.sleep,
            async_sleep=self.async_sleep,
            clock=self.clock,
            random=lambda: jitter,
            **overrides,  # type: ignore[arg-type]
        )


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
