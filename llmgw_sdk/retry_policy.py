"""When the SDK sends a request again, and how long it waits first.

Generation is not idempotent: a request that reached a worker may have produced (and billed) tokens, so
the SDK retries only answers that the contract guarantees were given *before anything executed*:

* 202 ``PROVISIONING`` and 503 ``MODEL_LOADING`` (capacity is coming; only with ``wait_for_capacity``),
* 429 and 503 that carry a wait hint (``Retry-After`` or ``retry_after_ms``): backpressure and
  capacity refusals the server says will pass.

Never: any other 4xx, 5xx without a wait hint, a connection error or timeout (the request may have
started), and nothing at all once a stream has opened.  Waits are exponential with full jitter, but
never shorter than the server asked, and all waits together stay within ``budget_s``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from llmgw_sdk.errors import APIStatusError, ModelLoadingError, ProvisioningError


@dataclass(frozen=True)
class RetryPolicy:
    """Retry settings; give one per client and override it per call.

    ``max_attempts`` counts every try, the first included (1 disables retries).  The n-th retry waits a
    random time in ``[0, min(cap_s, base_s * 2**n)]`` (full jitter), raised to the server's hint when
    that is longer.  ``budget_s`` bounds the total time spent waiting for capacity: a wait that would end
    past it is not started and the last error is raised instead.  ``sleep``, ``clock`` and ``random``
    (``async_sleep`` for the async client) are injectable so tests can run without real waiting.
    """

    max_attempts: int = 8
    base_s: float = 0.5
    cap_s: float = 30.0
    budget_s: float = 120.0
    wait_for_capacity: bool = True
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("RetryPolicy.max_attempts must be at least 1 (1 means: never retry)")
        if self.base_s < 0 or self.cap_s < 0 or self.budget_s < 0:
            raise ValueError("RetryPolicy.base_s, cap_s and budget_s must not be negative")

    @classmethod
    def never(cls) -> RetryPolicy:
        """A policy that sends every request once."""
        return cls(max_attempts=1, wait_for_capacity=False)


def is_safe_to_retry(error: APIStatusError, policy: RetryPolicy) -> bool:
    """True for the answers that guarantee nothing was executed and that later may succeed."""
    if isinstance(error, ProvisioningError | ModelLoadingError):
        return policy.wait_for_capacity
    if error.status in (429, 503):
        return error.retry_after_s is not None and error.retriable
    return False


def next_wait(
    error: APIStatusError, policy: RetryPolicy, *, retry_number: int, waited_s: float
) -> float | None:
    """Seconds to wait before retry number ``retry_number`` (0 for the first), or ``None`` to give up.

    ``waited_s`` is the time already spent since the first attempt; the wait is refused when it would
    end past ``policy.budget_s``.
    """
    if retry_number + 1 >= policy.max_attempts or not is_safe_to_retry(error, policy):
        return None
    ceiling = min(policy.cap_s, policy.base_s * (2.0**retry_number))
    wait = policy.random() * ceiling
    if error.retry_after_s is not None:
        wait = max(wait, error.retry_after_s)
    if waited_s + wait > policy.budget_s:
        return None
    return wait
