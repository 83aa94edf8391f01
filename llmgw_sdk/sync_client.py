"""``GatewayClient``: the synchronous SDK entry point, a thin shell over the IO-free core.

The generated clients (``.control``, ``.data``) cover every JSON operation; this class adds what a
generator cannot: streams as typed iterators, typed errors from both error shapes, and the retry rules
of a non-idempotent API (see :mod:`llmgw_sdk.retry_policy`).  All of them share one ``httpx.Client``
(one connection pool, one set of headers).  What each call sends is :mod:`llmgw_sdk.operations`; how its
answer is judged and retried is :mod:`llmgw_sdk.call_flow`; this class only runs the flows.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Self, TypeVar

import httpx
from pydantic import BaseModel

from llmgw_generated import control_client, data_client
from llmgw_generated.models import data
from llmgw_sdk import client_settings as cs
from llmgw_sdk import operations as ops
from llmgw_sdk.call_flow import CallOptions, json_flow, send_flow
from llmgw_sdk.event_streams import EventStream
from llmgw_sdk.flow_runners import run_flow
from llmgw_sdk.retry_policy import RetryPolicy
from llmgw_sdk.stream_decoding import TaskEvent

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
Retry = cs.RetryArg
Timeout = cs.TimeoutArg
Headers = cs.HeadersArg


class GatewayClient:
    """Synchronous client of an LLM inference gateway.

    ``base_url`` and ``api_key`` default to the ``LLMGW_BASE_URL`` and ``LLMGW_API_KEY`` (or
    ``GATEWAY_API_KEY``) environment variables; ``headers`` are sent with
    every request; ``timeout`` (seconds or ``httpx.Timeout``) and ``retry`` apply to every call unless
    a call passes its own.  Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: cs.TimeoutArg = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.settings = cs.resolve_settings(base_url, api_key, headers, timeout, retry)
        self._http = httpx.Client(
            base_url=self.settings.base_url,
            headers=self.settings.http_headers(),
            timeout=self.settings.timeout,
        )
        url, token = self.settings.base_url, self.settings.api_key
        self.control = control_client.AuthenticatedClient(url, token).set_httpx_client(self._http)
        """The generated control-plane client, sharing this client's connection and headers."""
        self.data = data_client.AuthenticatedClient(url, token).set_httpx_client(self._http)
        """The generated data-plane client, sharing this client's connection and headers."""

    def _options(self, retry: Retry, timeout: Timeout, headers: Headers) -> CallOptions:
        return CallOptions(self.settings.retry, self.settings.timeout, retry, timeout, headers)

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
        request: ops.GenerateInput,
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
        request: ops.GenerateInput,
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
        self,
        request: ops.EmbeddingsInput,
        *,
        retry: Retry = None,
        timeout: Timeout = None,
        headers: Headers = None,
    ) -> data.EmbeddingsResponse:
        """Embeddings of one text or a list of texts (``POST /v1/embeddings``), one per input, in order."""
        return self._call(ops.embeddings(request), retry, timeout, headers)

    def rerank(
        self,
        request: ops.RerankInput,
        *,
        retry: Retry = None,
        timeout: Timeout = None,
        headers: Headers = None,
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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
