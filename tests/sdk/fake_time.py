"""Fake time for retry tests: an injected sleep and clock, so exact waits are checked without waiting."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from llmgw_sdk import RetryPolicy


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
