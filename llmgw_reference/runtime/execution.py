"""Where a task's tokens come from: the local synthetic engine, paced like a real one.

Why a separate executor: in the `gateway` role the same runtime (admission, queues, deadlines,
sessions) forwards execution to a worker over HTTP (`llmgw_reference.worker_http`); only this part
changes. An executor yields tokens and sets `rec.planned_finish` (stop or length).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Protocol

from llmgw_reference.config import Config
from llmgw_reference.engine import GeneratedToken, SyntheticEngine
from llmgw_reference.runtime.records import TaskRecord


class Executor(Protocol):
    """Produces the tokens of a completion task."""

    def tokens(self, rec: TaskRecord) -> AsyncGenerator[GeneratedToken, None]: ...


class FrameForwarder(Protocol):
    """An executor that can hand over a task's tokens already framed (`rec.token_frame`).

    Why: a gateway forwards what its worker generated; asking the worker for the client's frames
    lets it pass the bytes on without decoding and encoding each token. It yields whole SSE
    blocks, sets `rec.planned_finish` and `rec.forwarded_tokens` from the worker's `end` event,
    and raises `ApiError` like `tokens` does.
    """

    def frames(self, rec: TaskRecord) -> AsyncGenerator[bytes, None]: ...


class LocalExecutor:
    """Runs the synthetic engine in-process: `ttft_ms` before the first token, then `tokens_per_s`."""

    def __init__(self, engine: SyntheticEngine, config: Config) -> None:
        self.engine = engine
        self.config = config

    async def tokens(self, rec: TaskRecord) -> AsyncGenerator[GeneratedToken, None]:
        generation = self.engine.generate(
            model=rec.model_id,
            prompt=rec.request.prompt or "",
            seed=rec.request.seed,
            max_tokens=rec.max_tokens,
        )
        rec.planned_finish = generation.finish_reason
        rec.seed_used = generation.seed
        await asyncio.sleep(self.config.ttft_ms / 1000)
        gap = 1.0 / self.config.tokens_per_s if self.config.tokens_per_s > 0 else 0.0
        for n, token in enumerate(generation):
            if n:
                await asyncio.sleep(gap)
            yield token
