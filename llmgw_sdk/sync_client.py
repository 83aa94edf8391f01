"""``GatewayClient``: the synchronous SDK entry point, a thin shell over the IO-free core.

The generated clients (``.control``, ``.data``) cover every JSON operation; this class adds what a
generator cannot: streams as typed iterators, typed errors from both error shapes, and the retry rules
of a non-idempotent API (see :mod:`llmgw_sdk.retry_policy`).  All of them share one ``httpx.Client``
(one connection pool, one set of headers).  What each call sends is :mod:`llmgw_sdk.operations`; how its
answer is judged and retried is :mod:`llmgw_sdk.call_flow`; the public calls are written once in
:mod:`llmgw_sdk.gateway_methods`; this class only runs the flows.
"""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel

from llmgw_sdk import operations as ops
from llmgw_sdk.call_flow import json_flow, send_flow
from llmgw_sdk.closing import ClosesOnExit
from llmgw_sdk.event_streams import EventStream
from llmgw_sdk.flow_runners import run_flow
from llmgw_sdk.gateway_methods import GatewayMethods
from llmgw_sdk.gateway_shell import GatewayShell
from llmgw_sdk.operations import Headers, Retry, Timeout
from llmgw_sdk.stream_decoding import TaskEvent

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class GatewayClient(GatewayShell, GatewayMethods, ClosesOnExit):
    """Synchronous client of an LLM inference gateway; see :class:`GatewayShell` for its arguments.

    Use it as a context manager, or call :meth:`close`.
    """

    def _connect(self) -> None:
        """One pool and one set of headers for the SDK's calls and the generated clients."""
        s = self.settings
        self._http = httpx.Client(base_url=s.base_url, headers=s.http_headers(), timeout=s.timeout)
        self.control.set_httpx_client(self._http)
        self.data.set_httpx_client(self._http)

    def _call(self, call: ops.JsonCall[M], retry: Retry, timeout: Timeout, headers: Headers) -> M:
        """Run one JSON call (built by :mod:`llmgw_sdk.operations`); its answer as the contract model."""
        return run_flow(self._http, json_flow(call, self._options(retry, timeout, headers)))[0]

    def _stream(
        self, call: ops.StreamCall[T], retry: Retry, timeout: Timeout, headers: Headers
    ) -> EventStream[T]:
        flow = send_flow(call.exchange, self._options(retry, timeout, headers))
        response, sent_at = run_flow(self._http, flow)
        return EventStream(response, call.decoder, started_at=sent_at, model=call.model)

    def run_task(
        self, request: ops.TaskInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> EventStream[TaskEvent]:
        """Submit a task and open its event stream."""
        admission = self.submit_task(request, retry=retry, timeout=timeout, headers=headers)
        return self.stream_task_events(admission.task_id, retry=retry, timeout=timeout, headers=headers)

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        """Close the connection pool (open streams stop working)."""
        self._http.close()
