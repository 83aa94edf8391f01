"""``GatewayClient``: the synchronous SDK entry point, a thin shell over the IO-free core.

The generated clients (``.control``, ``.data``) cover every JSON operation; this class adds what a
generator cannot: streams as typed iterators, typed errors from both error shapes, and the retry rules
of a non-idempotent API (see :mod:`llmgw_sdk.retry_policy`).  All of them share one ``httpx.Client``
(one connection pool, one set of headers).  What each call sends is :mod:`llmgw_sdk.operations`; how its
answer is judged and retried is :mod:`llmgw_sdk.call_flow`; this class only runs the flows.
"""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel

from llmgw_generated.models import data
from llmgw_sdk import operations as ops
from llmgw_sdk.call_flow import json_flow, send_flow
from llmgw_sdk.closing import ClosesOnExit
from llmgw_sdk.event_streams import EventStream
from llmgw_sdk.flow_runners import run_flow
from llmgw_sdk.gateway_shell import GatewayShell
from llmgw_sdk.operations import EmbedInput, GenerateInput, Headers, RerankInput, Retry, Timeout
from llmgw_sdk.stream_decoding import TaskEvent

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class GatewayClient(GatewayShell, ClosesOnExit):
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

    # ------------------------------------------------------------------ OpenAI-compatible chat
    def chat(
        self, request: ops.ChatInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.ChatCompletion:
        """One chat completion as JSON (``stream`` must be unset or false)."""
        return self._call(ops.chat(request), retry, timeout, headers)

    def stream_chat(
        self, request: ops.ChatInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> EventStream[data.ChatCompletionChunk]:
        """A streamed chat completion: ``ChatCompletionChunk`` items until ``[DONE]``."""
        return self._stream(ops.stream_chat(request), retry, timeout, headers)

    # ------------------------------------------------------------------ native generate
    def generate(
        self,
        model: str,
        request: GenerateInput,
        *,
        retry: Retry = None,
        timeout: Timeout = None,
        headers: Headers = None,
    ) -> data.GenerateResult:
        """One native generate call as JSON."""
        return self._call(ops.generate(model, request), retry, timeout, headers)

    def stream_generate(
        self,
        model: str,
        request: GenerateInput,
        *,
        retry: Retry = None,
        timeout: Timeout = None,
        headers: Headers = None,
    ) -> EventStream[data.GenerateChunk]:
        """A streamed native generate call: ``GenerateChunk`` items (the last has ``done``)."""
        return self._stream(ops.stream_generate(model, request), retry, timeout, headers)

    # ------------------------------------------------------------------ native tasks
    def submit_task(
        self, request: ops.TaskInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.AdmissionResponse:
        """Submit a native task for admission (202); a mapping may leave out task_id/session_id."""
        return self._call(ops.submit_task(request), retry, timeout, headers)

    def stream_task_events(
        self, task_id: str, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> EventStream[TaskEvent]:
        """The task's event stream: started, token, metrics, then end (an error event is raised).

        Closing it before ``end`` disconnects, which the gateway treats as a cancel of the task.
        """
        return self._stream(ops.task_events(task_id), retry, timeout, headers)

    def run_task(
        self, request: ops.TaskInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> EventStream[TaskEvent]:
        """Submit a task and open its event stream."""
        admission = self.submit_task(request, retry=retry, timeout=timeout, headers=headers)
        return self.stream_task_events(admission.task_id, retry=retry, timeout=timeout, headers=headers)

    def get_task(self, task_id: str, *, wait_ms: int = 0, timeout: Timeout = None) -> data.TaskStatus:
        """The task's state and result (``wait_ms`` long-polls for a terminal state)."""
        return self._call(ops.get_task(task_id, wait_ms), None, timeout, None)

    def cancel_task(self, task_id: str, *, timeout: Timeout = None) -> data.TaskStatus:
        """Cancel a task (a finished one is left as it is)."""
        return self._call(ops.cancel_task(task_id), None, timeout, None)

    # ------------------------------------------------------------------ embeddings, rerank, models
    def embeddings(
        self, request: EmbedInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.EmbeddingsResponse:
        """Embeddings of one text or a list of texts (``POST /v1/embeddings``), one per input, in order."""
        return self._call(ops.embeddings(request), retry, timeout, headers)

    def rerank(
        self, request: RerankInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.RerankResponse:
        """Documents ranked against a query (``POST /v1/rerank``), most relevant first."""
        return self._call(ops.rerank(request), retry, timeout, headers)

    def list_models(
        self, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.ModelList:
        """The models usable on the OpenAI surface (``GET /v1/models``)."""
        return self._call(ops.list_models(), retry, timeout, headers)

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        """Close the connection pool (open streams stop working)."""
        self._http.close()
