"""The requests the accounts checks share: a small billed chat, key create/revoke, usage look-ups.

Why one module: every accounts check needs "send one cheap billed request and read what it
reported", "create a key and revoke it again", and "find the usage entry of a request"; each
check module keeps only its judgement. Everything read from the target is read defensively.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import parse_json_object

CHAT_PATH = "/v1/chat/completions"
KEYS_PATH = "/v1/keys"
LOGS_PATH = "/v1/usage/logs"
BALANCE_PATH = "/v1/credits/balance"


def chat_body(ctx: CheckContext, *, max_tokens: int = 8, stream: bool = False) -> dict[str, Any]:
    """A small chat request (the usage chunk asked for when streamed)."""
    body: dict[str, Any] = {
        "model": ctx.target.model,
        "messages": [{"role": "user", "content": "Say something short."}],
        "max_tokens": max_tokens,
    }
    if stream:
        body |= {"stream": True, "stream_options": {"include_usage": True}}
    return body


def body_of(response: Response) -> dict[str, Any]:
    """The answer as a JSON object ({} when it is not one)."""
    return parse_json_object(response.text or "") or {}


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name."""
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def usage_of(answer: Mapping[str, Any]) -> tuple[int, int, int] | None:
    """(prompt, completion, total) tokens of a usage object, or None."""
    usage = answer.get("usage")
    if not isinstance(usage, Mapping):
        return None
    values = [usage.get("prompt_tokens"), usage.get("completion_tokens", 0), usage.get("total_tokens")]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return None
    return int(values[0]), int(values[1]), int(values[2])


def stream_usage(result: Any) -> tuple[int, int, int] | None:
    """The usage of a chat stream's usage chunk, or None."""
    for event in result.transcript.events:
        try:
            chunk = json.loads(event.data)
        except (ValueError, TypeError):
            continue
        if isinstance(chunk, dict) and chunk.get("usage"):
            return usage_of(chunk)
    return None


def log_entries(ctx: CheckContext, request_id: str, api_key: str | bool = True) -> tuple[list[Any], Response]:
    """The usage log entries of one request id."""
    response = ctx.request("GET", LOGS_PATH, params={"request_id": request_id, "limit": 10}, api_key=api_key)
    data = body_of(response).get("data")
    return (data if isinstance(data, list) else []), response


def balance(ctx: CheckContext, api_key: str | bool = True) -> tuple[float | None, Response]:
    """The credit balance, or None when it cannot be read."""
    response = ctx.request("GET", BALANCE_PATH, api_key=api_key)
    value = body_of(response).get("credits_balance")
    if response.status != 200 or not isinstance(value, int | float) or isinstance(value, bool):
        return None, response
    return float(value), response


def create_key(ctx: CheckContext, **fields: Any) -> tuple[dict[str, Any] | None, Response]:
    """A new key (the create answer) or None when the target refused it."""
    response = ctx.request("POST", KEYS_PATH, json={"label": f"conformance {ctx.check_name}", **fields})
    answer = body_of(response)
    if (
        response.status != 201
        or not isinstance(answer.get("id"), str)
        or not isinstance(answer.get("key"), str)
    ):
        return None, response
    return answer, response


def revoke_key(ctx: CheckContext, key_id: str) -> Response:
    """Revokes a key the check created (its clean-up, and the revoke under test)."""
    return ctx.request("DELETE", f"{KEYS_PATH}/{key_id}")
