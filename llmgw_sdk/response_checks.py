"""Checks on a successful answer shared by both clients: is it SSE, and does its JSON match the contract."""

from __future__ import annotations

from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from llmgw_sdk.errors import UnexpectedResponseError

M = TypeVar("M", bound=BaseModel)

SSE_HEADERS = {"Accept": "text/event-stream", "Cache-Control": "no-store"}


def is_event_stream(response: httpx.Response) -> bool:
    """True when the answer is declared as SSE (parameters such as charset allowed)."""
    content_type: str = response.headers.get("content-type", "")
    media = content_type.partition(";")[0].strip().lower()
    return media == "text/event-stream"


def parse_json_model(model: type[M], response: httpx.Response) -> M:
    """A 2xx JSON body as its contract model, or :class:`UnexpectedResponseError` saying why not."""
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        raise UnexpectedResponseError(
            f"{response.request.method} {response.request.url.path}: the {response.status_code} body "
            f"does not match {model.__name__}: {exc}"
        ) from exc
