"""Validate what a client is built with, and build the request bodies it sends.

Both clients (sync and async) share this module so that bad use fails the same way, early, with a
message that says what to do: a base URL without scheme, no API key, ``stream: false`` on a streaming
call.  Request bodies are the generated pydantic models; a plain mapping is validated into the model
first, so a typo in a field name fails here, as a :class:`RequestValidationError` naming the field,
rather than as a 400 from the server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from llmgw_generated.models.data import ChatCompletionRequest, GenerateRequest, TaskRequest
from llmgw_sdk.errors import RequestValidationError, UsageError
from llmgw_sdk.retry_policy import RetryPolicy

API_KEY_ENV = "LLMGW_API_KEY"
"""Environment variable read for the API key when none is passed (the conformance suite reads it too)."""

LEGACY_API_KEY_ENV = "GATEWAY_API_KEY"
"""Read for the API key when ``LLMGW_API_KEY`` is unset, so setups made for earlier versions keep working."""

BASE_URL_ENV = "LLMGW_BASE_URL"
"""Environment variable read for the base URL when none is passed."""

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)

TimeoutArg = float | httpx.Timeout | None
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ClientSettings:
    """Everything a client needs, validated."""

    base_url: str
    api_key: str = field(repr=False)  # never in a repr, a log line or a traceback
    headers: dict[str, str]
    timeout: httpx.Timeout
    retry: RetryPolicy

    def http_headers(self) -> dict[str, str]:
        """Custom headers plus the bearer key (the key wins over a custom Authorization)."""
        return {**self.headers, "Authorization": f"Bearer {self.api_key}"}


def as_timeout(value: TimeoutArg, default: httpx.Timeout) -> httpx.Timeout:
    """A per-client or per-call timeout: seconds for all phases, an ``httpx.Timeout``, or the default."""
    if value is None:
        return default
    if isinstance(value, httpx.Timeout):
        return value
    if value <= 0:
        raise UsageError(f"timeout must be a positive number of seconds, got {value!r}")
    return httpx.Timeout(float(value))


def resolve_settings(
    base_url: str | None,
    api_key: str | None,
    headers: Mapping[str, str] | None,
    timeout: TimeoutArg,
    retry: RetryPolicy | None,
) -> ClientSettings:
    """Check the constructor arguments of a client; raise :class:`UsageError` saying what to fix.

    A base URL or key not passed is read from the environment (:data:`BASE_URL_ENV`, then
    :data:`API_KEY_ENV` or :data:`LEGACY_API_KEY_ENV`), as twelve-factor deployments configure clients.
    """
    if base_url is None:
        base_url = os.environ.get(BASE_URL_ENV, "")
        if not base_url.strip():
            raise UsageError(f"no base URL: pass base_url=... or set the {BASE_URL_ENV} environment variable")
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"base_url {base_url!r} must be an absolute http(s) URL with a host, "
            f"e.g. 'http://127.0.0.1:8080' (write the scheme)"
        )
    key = api_key
    if key is None:
        key = os.environ.get(API_KEY_ENV) or os.environ.get(LEGACY_API_KEY_ENV)
    if not key:
        raise UsageError(
            f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable "
            f"({LEGACY_API_KEY_ENV} is read too)"
        )
    return ClientSettings(
        base_url=base_url.strip().rstrip("/"),
        api_key=key,
        headers=dict(headers or {}),
        timeout=as_timeout(timeout, DEFAULT_TIMEOUT),
        retry=retry or RetryPolicy(),
    )


def as_model(model: type[M], value: M | Mapping[str, Any]) -> M:
    """The request as its pydantic model; a mapping that does not validate is a
    :class:`RequestValidationError` naming the field, never a bare pydantic error."""
    if isinstance(value, model):
        return value
    if not isinstance(value, Mapping):
        raise RequestValidationError(
            model.__name__, [("", f"expected a {model.__name__} or a mapping, got {type(value).__name__}")]
        )
    try:
        return model.model_validate(dict(value))
    except ValidationError as exc:
        problems = [(".".join(str(part) for part in e["loc"]), e["msg"]) for e in exc.errors()]
        raise RequestValidationError(model.__name__, problems) from exc


def body_of(request: BaseModel) -> dict[str, Any]:
    """The JSON body: unset and ``None`` fields are left out, never sent as ``null``."""
    return request.model_dump(mode="json", exclude_none=True)


def chat_body(request: ChatCompletionRequest | Mapping[str, Any], *, stream: bool) -> dict[str, Any]:
    """Body of a chat completion; ``stream`` is what the called method returns."""
    model = as_model(ChatCompletionRequest, request)
    if stream and model.stream is False:
        raise UsageError("stream_chat() streams: the request says stream=False; drop it or call chat()")
    if not stream and model.stream:
        raise UsageError("chat() returns one JSON answer: the request says stream=True; call stream_chat()")
    if not stream and model.stream_options is not None:
        raise UsageError("stream_options only applies to streams: call stream_chat() or drop it")
    body = body_of(model)
    body["stream"] = stream
    return body


def generate_body(request: GenerateRequest | Mapping[str, Any], *, stream: bool) -> dict[str, Any]:
    """Body of a native generate call; ``stream`` is what the called method returns."""
    model = as_model(GenerateRequest, request)
    if stream and model.stream is False:
        raise UsageError(
            "stream_generate() streams: the request says stream=False; drop it or call generate()"
        )
    if not stream and model.stream:
        raise UsageError(
            "generate() returns one JSON answer: the request says stream=True; call stream_generate()"
        )
    body = body_of(model)
    body["stream"] = stream
    return body


def task_body(request: TaskRequest | Mapping[str, Any]) -> dict[str, Any]:
    """Body of a native task.  A mapping without ``task_id``/``session_id`` gets fresh UUIDs for them,
    since both are client-chosen identifiers the caller rarely cares about.
    """
    if isinstance(request, Mapping):
        filled = dict(request)
        filled.setdefault("task_id", str(uuid.uuid4()))
        filled.setdefault("session_id", str(uuid.uuid4()))
        request = filled
    return body_of(as_model(TaskRequest, request))


def path_segment(value: str, what: str) -> str:
    """One URL path segment, escaped; an empty one is a usage error (it would name another route)."""
    if not value:
        raise UsageError(f"{what} must not be empty")
    return quote(value, safe="")
