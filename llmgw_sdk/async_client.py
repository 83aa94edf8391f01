"""``AsyncGatewayClient``: the asyncio twin of :class:`llmgw_sdk.sync_client.GatewayClient`.

Same methods, same errors, same retry rules (waiting with ``RetryPolicy.async_sleep``); streams are
async iterators.  Kept as a separate, parallel class rather than a shared base with sync/async hooks:
the two are short, and each stays readable on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel

from llmgw_generated import control_client, data_client
from llmgw_generated.models.data import (
    AdmissionResponse,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    EmbeddingsRequest,
    EmbeddingsResponse,
    GenerateChunk,
    GenerateRequest,
    GenerateResult,
    ModelList,
    RerankRequest,
    RerankResponse,
    TaskRequest,
    TaskStatus,
)
from llmgw_sdk import client_settings as cs
from llmgw_sdk import json_operations as ops
from llmgw_sdk.error_mapping import error_from_response
from llmgw_sdk.errors import APIConnectionError, APITimeoutError, UnexpectedResponseError
from llmgw_sdk.event_streams import AsyncEventStream, monotonic_now
from llmgw_sdk.response_checks import SSE_HEADERS, is_event_stream, parse_json_model
from llmgw_sdk.retry_policy import RetryPolicy, next_wait
from llmgw_sdk.stream_decoding import (
    ChatChunkDecoder,
    GenerateChunkDecoder,
    NativeTaskDecoder,
    StreamDecoder,
    TaskEvent,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

ERROR_BODY_LIMIT = 64 * 1024
"""Most bytes of an error answer the SDK reads (the contract's error bodies are far smaller)."""


class AsyncGatewayClient:
    """Asynchronous client of an LLM inference gateway.

    ``base_url`` and ``api_key`` default to the ``LLMGW_BASE_URL`` and ``LLMGW_API_KEY`` (or
    ``GATEWAY_API_KEY``) environment variables; ``headers`` are sent with
    every request; ``timeout`` (seconds or ``httpx.Timeout``) and ``retry`` apply to every call unless
    a call passes its own.  Use it as an async context manager, or await :meth:`aclose`.
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
        self._http = httpx.AsyncClient(
            base_url=self.settings.base_url,
            headers=self.settings.http_headers(),
            timeout=self.settings.timeout,
        )
        self.control = control_client.AuthenticatedClient(
            base_url=self.settings.base_url, token=self.settings.api_key
        ).set_async_httpx_client(self._http)
        """The generated control-plane client, sharing this client's connection and headers."""
        self.data = data_client.AuthenticatedClient(
            base_url=self.settings.base_url, token=self.settings.api_key
        ).set_async_httpx_client(self._http)
        """The generated data-plane client, sharing this client's connection and headers."""

    # ------------------------------------------------------------------ plumbing
    async def _send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        ok: tuple[int, ...] = (200,),
        stream: bool = False,
        retry: RetryPolicy | None,
        timeout: cs.TimeoutArg,
        headers: Mapping[str, str] | None,
    ) -> tuple[httpx.Response, float]:
        """Send with the retry rules; return the successful response and when its request was sent.

        A streaming response is returned open (its body unread); any other is read and closed.
        """
        policy = retry or self.settings.retry
        first_try = policy.clock()
        call_headers = {**(SSE_HEADERS if stream else {}), **(headers or {})}
        retry_number = 0
        while True:
            request = self._http.build_request(
                method,
                path,
                json=json,
                params=params,
                headers=call_headers,
                timeout=cs.as_timeout(timeout, self.settings.timeout),
            )
            sent_at = monotonic_now()
            try:
                response = await self._http.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise APITimeoutError(f"{method} {path}: timed out ({exc!r})") from exc
            except httpx.TransportError as exc:
                raise APIConnectionError(f"{method} {path}: connection failed ({exc!r})") from exc
            if response.status_code in ok:
                if not stream:
                    await self._read_body(response, method, path, limit=None)
                    return response, sent_at
                if is_event_stream(response):
                    return response, sent_at
                head = await self._read_body(response, method, path, limit=ERROR_BODY_LIMIT)
                raise UnexpectedResponseError(
                    f"{method} {path}: expected a text/event-stream answer, got status "
                    f"{response.status_code} with Content-Type "
                    f"{response.headers.get('content-type', '(none)')!r}: {head[:200]!r}"
                )
            body = await self._read_body(response, method, path, limit=ERROR_BODY_LIMIT)
            error = error_from_response(response.status_code, response.headers, body)
            wait = next_wait(error, policy, retry_number=retry_number, waited_s=policy.clock() - first_try)
            if wait is None:
                raise error
            await policy.async_sleep(wait)
            retry_number += 1

    @staticmethod
    async def _read_body(response: httpx.Response, method: str, path: str, *, limit: int | None) -> bytes:
        """Read the answer and close it; an error body is read only up to ``limit`` bytes, so a hostile or
        broken server cannot make the SDK buffer without end.
        """
        try:
            if limit is None:
                return await response.aread()
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                chunks.append(chunk)
                size += len(chunk)
                if size >= limit:
                    break
            return b"".join(chunks)[:limit]
        except httpx.TimeoutException as exc:
            raise APITimeoutError(f"{method} {path}: timed out reading the answer ({exc!r})") from exc
        except httpx.TransportError as exc:
            raise APIConnectionError(
                f"{method} {path}: connection failed reading the answer ({exc!r})"
            ) from exc
        finally:
            await response.aclose()

    async def _stream(
        self,
        decoder: StreamDecoder[T],
        method: str,
        path: str,
        *,
        json: Any = None,
        model: str | None = None,
        retry: RetryPolicy | None,
        timeout: cs.TimeoutArg,
        headers: Mapping[str, str] | None,
    ) -> AsyncEventStream[T]:
        response, sent_at = await self._send(
            method, path, json=json, stream=True, retry=retry, timeout=timeout, headers=headers
        )
        return AsyncEventStream(response, decoder, started_at=sent_at, model=model)

    async def _call(
        self,
        call: ops.JsonCall[M],
        *,
        retry: RetryPolicy | None,
        timeout: cs.TimeoutArg,
        headers: Mapping[str, str] | None,
    ) -> M:
        """Send one JSON call (built by :mod:`llmgw_sdk.json_operations`) and parse its answer."""
        response, _ = await self._send(
            call.method,
            call.path,
            json=call.body,
            params=call.params,
            ok=call.ok,
            retry=call.retry or retry,
            timeout=timeout,
            headers=headers,
        )
        return parse_json_model(call.answer, response)

    # ------------------------------------------------------------------ OpenAI-compatible chat
    async def chat(
        self,
        request: ChatCompletionRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> ChatCompletion:
        """One chat completion as JSON (``stream`` must be unset or false)."""
        return await self._call(ops.chat(request), retry=retry, timeout=timeout, headers=headers)

    async def stream_chat(
        self,
        request: ChatCompletionRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncEventStream[ChatCompletionChunk]:
        """A streamed chat completion: ``ChatCompletionChunk`` items until ``[DONE]``."""
        body = cs.chat_body(request, stream=True)
        return await self._stream(
            ChatChunkDecoder(),
            "POST",
            "/v1/chat/completions",
            json=body,
            model=str(body.get("model")),
            retry=retry,
            timeout=timeout,
            headers=headers,
        )

    # ------------------------------------------------------------------ native generate
    async def generate(
        self,
        model: str,
        request: GenerateRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> GenerateResult:
        """One native generate call as JSON."""
        return await self._call(ops.generate(model, request), retry=retry, timeout=timeout, headers=headers)

    async def stream_generate(
        self,
        model: str,
        request: GenerateRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncEventStream[GenerateChunk]:
        """A streamed native generate call: ``GenerateChunk`` items (the last has ``done``)."""
        body = cs.generate_body(request, stream=True)
        path = f"/v1/generate/{cs.path_segment(model, 'model')}"
        return await self._stream(
            GenerateChunkDecoder(),
            "POST",
            path,
            json=body,
            model=model,
            retry=retry,
            timeout=timeout,
            headers=headers,
        )

    # ------------------------------------------------------------------ native tasks
    async def submit_task(
        self,
        request: TaskRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> AdmissionResponse:
        """Submit a native task for admission (202); a mapping may leave out task_id/session_id."""
        return await self._call(ops.submit_task(request), retry=retry, timeout=timeout, headers=headers)

    async def stream_task_events(
        self,
        task_id: str,
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncEventStream[TaskEvent]:
        """The task's event stream: started, token, metrics, then end (an error event is raised).

        Closing it before ``end`` disconnects, which the gateway treats as a cancel of the task.
        """
        path = f"/v1/tasks/{cs.path_segment(task_id, 'task_id')}/events"
        return await self._stream(
            NativeTaskDecoder(), "GET", path, retry=retry, timeout=timeout, headers=headers
        )

    async def run_task(
        self,
        request: TaskRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> AsyncEventStream[TaskEvent]:
        """Submit a task and open its event stream."""
        admission = await self.submit_task(request, retry=retry, timeout=timeout, headers=headers)
        return await self.stream_task_events(admission.task_id, retry=retry, timeout=timeout, headers=headers)

    async def get_task(self, task_id: str, *, wait_ms: int = 0, timeout: cs.TimeoutArg = None) -> TaskStatus:
        """The task's state and result (``wait_ms`` long-polls for a terminal state)."""
        return await self._call(ops.get_task(task_id, wait_ms), retry=None, timeout=timeout, headers=None)

    async def cancel_task(self, task_id: str, *, timeout: cs.TimeoutArg = None) -> TaskStatus:
        """Cancel a task (a finished one is left as it is)."""
        return await self._call(ops.cancel_task(task_id), retry=None, timeout=timeout, headers=None)

    # ------------------------------------------------------------------ embeddings, rerank, models
    async def embeddings(
        self,
        request: EmbeddingsRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> EmbeddingsResponse:
        """Embeddings of one text or a list of texts (``POST /v1/embeddings``), one per input, in order."""
        return await self._call(ops.embeddings(request), retry=retry, timeout=timeout, headers=headers)

    async def rerank(
        self,
        request: RerankRequest | Mapping[str, Any],
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> RerankResponse:
        """Documents ranked against a query (``POST /v1/rerank``), most relevant first."""
        return await self._call(ops.rerank(request), retry=retry, timeout=timeout, headers=headers)

    async def list_models(
        self,
        *,
        retry: RetryPolicy | None = None,
        timeout: cs.TimeoutArg = None,
        headers: Mapping[str, str] | None = None,
    ) -> ModelList:
        """The models usable on the OpenAI surface (``GET /v1/models``)."""
        return await self._call(ops.list_models(), retry=retry, timeout=timeout, headers=headers)

    # ------------------------------------------------------------------ lifetime
    async def aclose(self) -> None:
        """Close the connection pool (open streams stop working)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
