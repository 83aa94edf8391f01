"""The gateway's calls as data: what each sends and what its answer is, shared by both clients.

Why data and not methods: :class:`~llmgw_sdk.sync_client.GatewayClient` and
:class:`~llmgw_sdk.async_client.AsyncGatewayClient` differ only in how they wait for IO.  Building the
request (path, validated body, accepted statuses, retry rule) and naming the model its answer is parsed
into, or the decoder its stream is read with, happens here, once, with no IO; the IO-free flows of
:mod:`llmgw_sdk.call_flow` send an :class:`Exchange` and the clients only run them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from llmgw_generated.models import data
from llmgw_sdk import client_settings as cs
from llmgw_sdk.retry_policy import RetryPolicy
from llmgw_sdk.stream_decoding import (
    ChatChunkDecoder,
    GenerateChunkDecoder,
    NativeTaskDecoder,
    StreamDecoder,
    TaskEvent,
)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

# The per-call options every client method takes (its ``retry``, ``timeout`` and ``headers``).
Retry = RetryPolicy | None
Timeout = cs.TimeoutArg
Headers = Mapping[str, str] | None

# What each call accepts: the generated request model, or a mapping validated into it before sending.
ChatInput = data.ChatCompletionRequest | Mapping[str, Any]
GenerateInput = data.GenerateRequest | Mapping[str, Any]
TaskInput = data.TaskRequest | Mapping[str, Any]
EmbedInput = data.EmbeddingsRequest | Mapping[str, Any]
RerankInput = data.RerankRequest | Mapping[str, Any]


@dataclass(frozen=True)
class Exchange:
    """One HTTP request of the SDK and how its answer is judged."""

    method: str
    path: str
    body: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    #: Statuses that are a success (anything else is mapped to a typed error).
    ok: tuple[int, ...] = (200,)
    #: A rule that overrides the call's and the client's (``never`` for reads that long-poll, cancels).
    retry: RetryPolicy | None = None
    #: An SSE answer: asked for with ``Accept: text/event-stream`` and left open for the stream.
    stream: bool = False


@dataclass(frozen=True)
class JsonCall(Generic[M]):
    """One JSON request and the contract model of its successful answer."""

    exchange: Exchange
    answer: type[M]


@dataclass(frozen=True)
class StreamCall(Generic[T]):
    """One streaming request, the decoder of its events, and the model it names (when known)."""

    exchange: Exchange
    decoder: StreamDecoder[T]
    model: str | None = None


def _post(path: str, answer: type[M], body: dict[str, Any], ok: tuple[int, ...] = (200,)) -> JsonCall[M]:
    return JsonCall(Exchange("POST", path, body, ok=ok), answer)


def _generate_path(model: str) -> str:
    return f"/v1/generate/{cs.path_segment(model, 'model')}"


def _task_path(task_id: str, tail: str = "") -> str:
    return f"/v1/tasks/{cs.path_segment(task_id, 'task_id')}{tail}"


def chat(request: ChatInput) -> JsonCall[data.ChatCompletion]:
    return _post("/v1/chat/completions", data.ChatCompletion, cs.chat_body(request, stream=False))


def stream_chat(
    request: ChatInput,
) -> StreamCall[data.ChatCompletionChunk]:
    """``POST /v1/chat/completions`` with ``stream: true``: chunks until ``[DONE]``."""
    body = cs.chat_body(request, stream=True)
    exchange = Exchange("POST", "/v1/chat/completions", body, stream=True)
    return StreamCall(exchange, ChatChunkDecoder(), str(body.get("model")))


def generate(model: str, request: GenerateInput) -> JsonCall[data.GenerateResult]:
    return _post(_generate_path(model), data.GenerateResult, cs.generate_body(request, stream=False))


def stream_generate(model: str, request: GenerateInput) -> StreamCall[data.GenerateChunk]:
    """``POST /v1/generate/{model}`` with ``stream: true``: chunks, the last with ``done``."""
    body = cs.generate_body(request, stream=True)
    return StreamCall(
        Exchange("POST", _generate_path(model), body, stream=True), GenerateChunkDecoder(), model
    )


def submit_task(request: TaskInput) -> JsonCall[data.AdmissionResponse]:
    return _post("/v1/tasks", data.AdmissionResponse, cs.task_body(request), ok=(202,))


def task_events(task_id: str) -> StreamCall[TaskEvent]:
    """``GET /v1/tasks/{id}/events``: started, token, metrics, then end."""
    return StreamCall(Exchange("GET", _task_path(task_id, "/events"), stream=True), NativeTaskDecoder())


def get_task(task_id: str, wait_ms: int) -> JsonCall[data.TaskStatus]:
    params = {"wait_ms": wait_ms} if wait_ms else None
    exchange = Exchange("GET", _task_path(task_id), params=params, retry=RetryPolicy.never())
    return JsonCall(exchange, data.TaskStatus)


def cancel_task(task_id: str) -> JsonCall[data.TaskStatus]:
    exchange = Exchange("POST", _task_path(task_id, "/cancel"), retry=RetryPolicy.never())
    return JsonCall(exchange, data.TaskStatus)


def embeddings(request: EmbedInput) -> JsonCall[data.EmbeddingsResponse]:
    """``POST /v1/embeddings``: one vector per input, in input order."""
    body = cs.body_of(cs.as_model(data.EmbeddingsRequest, request))
    return _post("/v1/embeddings", data.EmbeddingsResponse, body)


def rerank(request: RerankInput) -> JsonCall[data.RerankResponse]:
    """``POST /v1/rerank``: the documents by relevance to the query, highest first."""
    body = cs.body_of(cs.as_model(data.RerankRequest, request))
    return _post("/v1/rerank", data.RerankResponse, body)


def list_models() -> JsonCall[data.ModelList]:
    """``GET /v1/models``: the Active models usable on the OpenAI surface."""
    return JsonCall(Exchange("GET", "/v1/models"), data.ModelList)
