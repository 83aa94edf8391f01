"""Closing a task's event stream, even before its first step, detaches and cancels (pure logic)."""

from __future__ import annotations

import asyncio
import uuid

from llmgw_generated.models.data import TaskRequest
from llmgw_reference.config import Config
from llmgw_reference.runtime import Runtime
from tests.reference.core.native_client import task_body


def _request() -> TaskRequest:
    return TaskRequest.model_validate(task_body(task_id=str(uuid.uuid4()), max_tokens=48))


def test_close_before_first_step_cancels_and_frees_the_reader() -> None:
    async def scenario() -> tuple[str, bool, str]:
        runtime = Runtime(Config(tokens_per_s=20))
        request = _request()
        await runtime.submit(request)
        stream = runtime.events(str(request.task_id))
        await stream.aclose()
        status = runtime.status(str(request.task_id))
        attached = runtime.tasks[str(request.task_id)].attached
        replay = [event.name async for event in runtime.events(str(request.task_id))]
        return status.state.value, attached, replay[-1]

    state, attached, last = asyncio.run(scenario())
    assert state == "cancelled" and attached is False and last == "end"


def test_reading_to_the_end_does_not_cancel() -> None:
    async def scenario() -> tuple[str, list[str]]:
        runtime = Runtime(Config(tokens_per_s=2000, ttft_ms=1))
        request = _request()
        await runtime.submit(request)
        stream = runtime.events(str(request.task_id))
        names: list[str] = [event.name async for event in stream]
        await stream.aclose()
        return runtime.status(str(request.task_id)).state.value, names

    state, names = asyncio.run(scenario())
    assert state == "succeeded" and names[0] == "started" and names[-1] == "end"


def test_token_loop_hook_sees_every_token() -> None:
    """The `before_token` hook point is called once per emitted token, in order."""
    from llmgw_reference.faults import Fault, FaultSet

    seen: list[int] = []

    class Counting(Fault):
        async def before_token(self, index: int) -> None:
            seen.append(index)

    faults = FaultSet()
    faults.faults.append(Counting())

    async def scenario() -> int:
        runtime = Runtime(Config(tokens_per_s=2000, ttft_ms=1), faults)
        request = _request()
        await runtime.submit(request)
        events = [event async for event in runtime.events(str(request.task_id))]
        return sum(1 for event in events if event.name == "token")

    tokens = asyncio.run(scenario())
    assert seen == list(range(tokens)) and tokens > 0
