"""``AsyncGatewayClient``: the asyncio twin of :class:`llmgw_sdk.sync_client.GatewayClient`.

Same methods, same errors, same retry rules (waiting with ``RetryPolicy.async_sleep``); streams are
async iterators.  Both are thin shells over one IO-free core: what a call sends is
:mod:`llmgw_sdk.operations`, how its answer is judged and retried is :mod:`llmgw_sdk.call_flow`, and the
public calls are written once in :mod:`llmgw_sdk.gateway_methods` (made coroutines here by
:func:`~llmgw_sdk.gateway_methods.awaited`); this class only runs the flows with an ``httpx.AsyncClient``
(:func:`llmgw_sdk.flow_runners.arun_flow`).
"""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel

from llmgw_sdk import operations as ops
from llmgw_sdk.call_flow import json_flow, send_flow
from llmgw_sdk.closing import AsyncClosesOnExit
from llmgw_sdk.event_streams import AsyncEventStream
from llmgw_sdk.flow_runners import arun_flow
from llmgw_sdk.gateway_methods import GatewayMethods, awaited, awaited_stream
from llmgw_sdk.gateway_shell import GatewayShell
from llmgw_sdk.operations import Headers, Retry, Timeout
from llmgw_sdk.stream_decoding import TaskEvent

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class AsyncGatewayClient(GatewayShell, AsyncClosesOnExit):
    """Asynchronous client of an LLM inference gateway; see :class:`GatewayShell` for its arguments.

    Use it as an async context manager, or await :meth:`aclose`.
    """

    def _connect(self) -> None:
        """One pool and one set of headers for the SDK's calls and the generated clients."""
        s = self.settings
        self._http = httpx.AsyncClient(base_url=s.base_url, headers=s.http_headers(), timeout=s.timeout)
        self.control.set_async_httpx_client(self._http)
        self.data.set_async_httpx_client(self._http)

    async def _call(self, call: ops.JsonCall[M], retry: Retry, timeout: Timeout, headers: Headers) -> M:
        """Run one JSON call (built by :mod:`llmgw_sdk.operations`); its answer as the contract model."""
        return (await arun_flow(self._http, json_flow(call, self._options(retry, timeout, headers))))[0]

    async def _stream(
        self, call: ops.StreamCall[T], retry: Retry, timeout: Timeout, headers: Headers
    ) -> AsyncEventStream[T]:
        flow = send_flow(call.exchange, self._options(retry, timeout, headers))
        response, sent_at = await arun_flow(self._http, flow)
        return AsyncEventStream(response, call.decoder, started_at=sent_at, model=call.model)

    chat = awaited(GatewayMethods.chat)
    stream_chat = awaited_stream(GatewayMethods.stream_chat)
    generate = awaited(GatewayMethods.generate)
    stream_generate = awaited_stream(GatewayMethods.stream_generate)
    submit_task = awaited(GatewayMethods.submit_task)
    stream_task_events = awaited_stream(GatewayMethods.stream_task_events)
    get_task = awaited(GatewayMethods.get_task)
    cancel_task = awaited(GatewayMethods.cancel_task)
    embeddings = awaited(GatewayMethods.embeddings)
    rerank = awaited(GatewayMethods.rerank)
    list_models = awaited(GatewayMethods.list_models)

    async def run_task(
        self, request: ops.TaskInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> AsyncEventStream[TaskEvent]:
        """Submit a task and open its event stream."""
        admission = await self.submit_task(request, retry=retry, timeout=timeout, headers=headers)
        return await self.stream_task_events(admission.task_id, retry=retry, timeout=timeout, headers=headers)

    # ------------------------------------------------------------------ lifetime
    async def aclose(self) -> None:
        """Close the connection pool (open streams stop working)."""
        await self._http.aclose()
