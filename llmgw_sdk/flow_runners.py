"""The two thin shells around :mod:`llmgw_sdk.call_flow`: perform a flow's IO steps with httpx.

Everything here is IO and nothing else: send a request, read a body (bounded by the step's limit), sleep.
Any decision (retry, error type, what counts as success) is the flow's; a transport error is thrown back
into it, and the flow says what it means.
"""

from __future__ import annotations

from typing import TypeVar

import httpx

from llmgw_sdk.call_flow import Flow, FlowRunner, IOStep, Pause, ReadBody, SendRequest

R = TypeVar("R")


class BoundedBody:
    """Collects body chunks up to a byte limit (pure, so the sync and async reads share it)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> bool:
        """Keep ``chunk``; True once the limit is reached and reading should stop."""
        self._chunks.append(chunk)
        self._size += len(chunk)
        return self._size >= self.limit

    def content(self) -> bytes:
        return b"".join(self._chunks)[: self.limit]


def _request(http: httpx.Client | httpx.AsyncClient, step: SendRequest) -> httpx.Request:
    return http.build_request(
        step.method, step.path, json=step.json, params=step.params, headers=step.headers, timeout=step.timeout
    )


def _perform(http: httpx.Client, step: IOStep, auth: httpx.Auth | None) -> object:
    if isinstance(step, SendRequest):
        return http.send(_request(http, step), stream=True, auth=auth or httpx.USE_CLIENT_DEFAULT)
    if isinstance(step, ReadBody):
        try:
            if step.limit is None:
                return step.response.read()
            body = BoundedBody(step.limit)
            for chunk in step.response.iter_bytes():
                if body.add(chunk):
                    break
            return body.content()
        finally:
            step.response.close()
    step.policy.sleep(step.seconds)
    return None


def run_flow(http: httpx.Client, flow: Flow[R], auth: httpx.Auth | None = None) -> R:
    """Run ``flow`` to its result with a blocking client."""
    runner = FlowRunner(flow)
    while (step := runner.next_step()) is not None:
        try:
            runner.answer(_perform(http, step, auth))
        except httpx.TransportError as exc:
            runner.fail(exc)
    return runner.result()


async def _aperform(http: httpx.AsyncClient, step: IOStep, auth: httpx.Auth | None) -> object:
    if isinstance(step, SendRequest):
        return await http.send(_request(http, step), stream=True, auth=auth or httpx.USE_CLIENT_DEFAULT)
    if isinstance(step, Pause):
        await step.policy.async_sleep(step.seconds)
        return None
    try:
        if step.limit is None:
            return await step.response.aread()
        body = BoundedBody(step.limit)
        async for chunk in step.response.aiter_bytes():
            if body.add(chunk):
                break
        return body.content()
    finally:
        await step.response.aclose()


async def arun_flow(http: httpx.AsyncClient, flow: Flow[R], auth: httpx.Auth | None = None) -> R:
    """Run ``flow`` to its result with an asyncio client."""
    runner = FlowRunner(flow)
    step = runner.next_step()
    while step is not None:
        try:
            runner.answer(await _aperform(http, step, auth))
        except httpx.TransportError as exc:
            runner.fail(exc)
        step = runner.next_step()
    return runner.result()
