"""The SDK's JSON calls as data: what each sends and what its answer is, shared by both clients.

Why data and not methods: :class:`~llmgw_sdk.sync_client.GatewayClient` and
:class:`~llmgw_sdk.async_client.AsyncGatewayClient` differ only in how they wait for IO.  Building the
request (path, validated body, accepted statuses, retry rule) and naming the model its answer is parsed
into happens here, once, with no IO; each client only sends a :class:`JsonCall` and parses the answer
with :func:`llmgw_sdk.response_checks.parse_json_model`.  (A first step towards one IO-free core.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from llmgw_generated.models.data import (
    AdmissionResponse,
    ChatCompletion,
    ChatCompletionRequest,
    EmbeddingsRequest,
    EmbeddingsResponse,
    GenerateRequest,
    GenerateResult,
    ModelList,
    RerankRequest,
    RerankResponse,
    TaskRequest,
    TaskStatus,
)
from llmgw_sdk import client_settings as cs
from llmgw_sdk.retry_policy import RetryPolicy

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class JsonCall(Generic[M]):
    """One JSON request and the contract model of its successful answer."""

    method: str
    path: str
    answer: type[M]
    body: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    #: Statuses that are a success (anything else is mapped to a typed error).
    ok: tuple[int, ...] = (200,)
    #: A rule that overrides the call's and the client's (``never`` for reads that long-poll, cancels).
    retry: RetryPolicy | None = None


def chat(request: ChatCompletionRequest | Mapping[str, Any]) -> JsonCall[ChatCompletion]:
    return JsonCall("POST", "/v1/chat/completions", ChatCompletion, cs.chat_body(request, stream=False))


def generate(model: str, request: GenerateRequest | Mapping[str, Any]) -> JsonCall[GenerateResult]:
    path = f"/v1/generate/{cs.path_segment(model, 'model')}"
    return JsonCall("POST", path, GenerateResult, cs.generate_body(request, stream=False))


def submit_task(request: TaskRequest | Mapping[str, Any]) -> JsonCall[AdmissionResponse]:
    return JsonCall("POST", "/v1/tasks", AdmissionResponse, cs.task_body(request), ok=(202,))


def get_task(task_id: str, wait_ms: int) -> JsonCall[TaskStatus]:
    path = f"/v1/tasks/{cs.path_segment(task_id, 'task_id')}"
    params = {"wait_ms": wait_ms} if wait_ms else None
    return JsonCall("GET", path, TaskStatus, params=params, retry=RetryPolicy.never())


def cancel_task(task_id: str) -> JsonCall[TaskStatus]:
    path = f"/v1/tasks/{cs.path_segment(task_id, 'task_id')}/cancel"
    return JsonCall("POST", path, TaskStatus, retry=RetryPolicy.never())


def embeddings(request: EmbeddingsRequest | Mapping[str, Any]) -> JsonCall[EmbeddingsResponse]:
    """``POST /v1/embeddings``: one vector per input, in input order."""
    body = cs.body_of(cs.as_model(EmbeddingsRequest, request))
    return JsonCall("POST", "/v1/embeddings", EmbeddingsResponse, body)


def rerank(request: RerankRequest | Mapping[str, Any]) -> JsonCall[RerankResponse]:
    """``POST /v1/rerank``: the documents by relevance to the query, highest first."""
    body = cs.body_of(cs.as_model(RerankRequest, request))
    return JsonCall("POST", "/v1/rerank", RerankResponse, body)


def list_models() -> JsonCall[ModelList]:
    """``GET /v1/models``: the Active models usable on the OpenAI surface."""
    return JsonCall("GET", "/v1/models", ModelList)
