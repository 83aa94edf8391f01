"""A small server that answers like OpenAI on every point of issue 11, for the suite to judge.

Why: a suite that fails a server behaving exactly like OpenAI is wrong, not the server. This fake
does what OpenAI does where 1.0 of the contract disagreed: it takes ``null`` for the sampling
fields, token-id embeddings, replayed refusals and ``function`` messages, the fields real clients
send; it always sends ``choices[].logprobs`` and ``message.refusal`` (possibly null), usage details,
``service_tier``, ``system_fingerprint`` and an ``obfuscation`` string on every chunk; it returns
fewer ``top_logprobs`` than asked (OpenAI: "may be fewer"); it lists an embedding model that chat
refuses as "not a chat model"; it reads images (a vision model); it refuses an unknown argument with
400 and ``code: null`` ("Unrecognized request argument supplied") and an unknown model with 404
``model_not_found``; its answers are not seeded (two runs may differ, as OpenAI documents).

Like OpenAI it has no ``/v1/capabilities``: the suite learns its profiles and features (n, logprobs,
tools, stop, response_format) by probing. One thing is not OpenAI's and says so: the embeddings
route embeds with either listed model (the suite uses one model for the whole run).
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from collections.abc import AsyncIterator, Callable
from itertools import count
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from llmgw_conformance.contract import load_contract
from llmgw_generated.models.data import ChatCompletionRequest, EmbeddingsRequest

CHAT_MODEL = "gpt-faithful"
EMBEDDING_MODEL = "text-embedding-faithful"
WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
CHAT_FIELDS = frozenset(f.alias or name for name, f in ChatCompletionRequest.model_fields.items())
EMBEDDING_FIELDS = frozenset(f.alias or name for name, f in EmbeddingsRequest.model_fields.items())
#: Refused as OpenAI refuses them for a text model without audio, search or moderation.
REFUSED = ("audio", "web_search_options", "moderation")


def error(status: int, message: str, code: str | None = None, param: str | None = None) -> Response:
    """OpenAI's error body (``type`` by status, as OpenAI uses it)."""
    kind = {401: "invalid_request_error", 429: "rate_limit_error"}.get(status, "invalid_request_error")
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code}}, status)


def refusal_of(body: dict[str, Any], schema: str, fields: frozenset[str]) -> Response | None:
    """OpenAI's 400 for a body its API does not accept, or None."""
    unknown = sorted(set(body) - fields)
    if unknown:
        return error(400, f"Unrecognized request argument supplied: {unknown[0]}")
    problems = load_contract().schema_errors(schema, body)
    if problems:
        param = problems[0].split(":", 1)[0].strip() or None
        return error(400, f"Invalid request: {problems[0][:200]}", "invalid_value", param)
    return None


def words_for(body: dict[str, Any]) -> tuple[list[str], str]:
    """The answer's words (at most 5, or the limit) and why it ended; as OpenAI does, the text ends
    before the first ``stop`` sequence (finish ``stop``), and JSON mode answers a JSON object."""
    limit = body.get("max_completion_tokens") or body.get("max_tokens") or 16
    words = [w + " " for w in WORDS[: min(5, limit)]]
    finish = "length" if limit <= 5 else "stop"
    stops = body.get("stop")
    text = "".join(words)
    hits = [i for s in ([stops] if isinstance(stops, str) else stops or []) if s and (i := text.find(s)) >= 0]
    if hits:
        words, finish = [w + " " for w in text[: min(hits)].split()], "stop"
    if (body.get("response_format") or {}).get("type") == "json_object":
        whole = json.dumps({"answer": "".join(words).strip()})
        words = [whole if finish == "stop" else whole[: len(whole) // 2]]
    return words, finish


def prompt_tokens(body: dict[str, Any]) -> int:
    """Words of every message, roles alike (a developer message counts as a system one)."""
    total = 0
    for message in body["messages"]:
        content = message.get("content")
        parts = content if isinstance(content, list) else [{"text": content or ""}]
        total += sum(len(str(p.get("text") or p.get("refusal") or "x").split()) for p in parts)
    return max(total, 1)


def usage(prompt: int, completion: int) -> dict[str, Any]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def logprobs_of(body: dict[str, Any], words: list[str]) -> dict[str, Any] | None:
    """Logprobs with one alternative fewer than asked (OpenAI: "may be fewer"), never -inf."""
    if not body.get("logprobs"):
        return None
    # int(): JSON Schema's integer admits 2.0, which the suite's generated requests send.
    k = max(0, int(body.get("top_logprobs") or 0) - 1)
    biased = bool(body.get("logit_bias"))
    tops = [{"token": "a", "logprob": -9999.0 if biased else -2.0, "bytes": [97]}] * k
    content = [{"token": w, "logprob": -0.5, "bytes": list(w.encode()), "top_logprobs": tops} for w in words]
    return {"content": content, "refusal": None}


def tool_call(body: dict[str, Any]) -> dict[str, Any] | None:
    """The call a forced or required tool choice makes (OpenAI's tools API), or None."""
    choice, tools = body.get("tool_choice"), body.get("tools") or []
    if isinstance(choice, dict):
        name = choice["function"]["name"]
    elif choice == "required" and tools:
        name = tools[0]["function"]["name"]
    else:
        return None
    return {
        "id": "call_faithful",
        "type": "function",
        "function": {"name": name, "arguments": '{"city": "Paris"}'},
    }


def header(body: dict[str, Any], obj: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-faithful",
        "object": obj,
        "created": 1_700_000_000,
        "model": body["model"],
        "service_tier": "default",
        "system_fingerprint": "fp_faithful",
    }


def completion(body: dict[str, Any]) -> dict[str, Any]:
    words, finish = words_for(body)
    call = tool_call(body)
    choices = []
    for index in range(body.get("n") or 1):
        message: dict[str, Any] = {"role": "assistant", "content": "".join(words), "refusal": None}
        if call:
            message |= {"content": None, "tool_calls": [call]}
        reason = "tool_calls" if call else finish
        choices.append(
            {
                "index": index,
                "message": message,
                "finish_reason": reason,
                "logprobs": logprobs_of(body, words),
            }
        )
    used = len(words) * len(choices)
    return header(body, "chat.completion") | {"choices": choices, "usage": usage(prompt_tokens(body), used)}


def chunk_deltas(body: dict[str, Any], index: int) -> list[dict[str, Any]]:
    """The choices of one choice's chunks: role first, text or a tool call, then its finish."""
    words, finish = words_for(body)
    call = tool_call(body)
    first = {
        "index": index,
        "delta": {"role": "assistant", "content": "", "refusal": None},
        "finish_reason": None,
    }
    pieces: list[dict[str, Any]]
    if call:
        pieces = [
            {
                "tool_calls": [
                    {"index": 0, **call, "function": {"name": call["function"]["name"], "arguments": ""}}
                ]
            },
            {"tool_calls": [{"index": 0, "function": {"arguments": call["function"]["arguments"]}}]},
        ]
        finish = "tool_calls"
    else:
        pieces = [{"content": w} for w in words]
    middle = [
        {
            "index": index,
            "delta": p,
            "finish_reason": None,
            "logprobs": logprobs_of(body, [str(p.get("content", ""))]),
        }
        for p in pieces
    ]
    return [first, *middle, {"index": index, "delta": {}, "finish_reason": finish}]


async def stream(body: dict[str, Any]) -> AsyncIterator[bytes]:
    with_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    base = header(body, "chat.completion.chunk") | ({"usage": None} if with_usage else {})
    per_choice = [chunk_deltas(body, i) for i in range(body.get("n") or 1)]
    padding = count()
    for step in range(max(len(c) for c in per_choice)):
        for choice in per_choice:
            if step < len(choice):
                event = base | {"choices": [choice[step]], "obfuscation": "x" * (next(padding) % 7 + 1)}
                yield f"data: {json.dumps(event)}\n\n".encode()
    if with_usage:
        used = len(words_for(body)[0]) * len(per_choice)
        last = base | {"choices": [], "usage": usage(prompt_tokens(body), used)}
        yield f"data: {json.dumps(last)}\n\n".encode()
    yield b"data: [DONE]\n\n"


async def read_json(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError:
        return None


def authorised(handler: Callable[[Request], Any]) -> Callable[[Request], Any]:
    async def guarded(request: Request) -> Response:
        if not request.headers.get("authorization", "").startswith("Bearer sk-"):
            return error(401, "Incorrect API key provided.", "invalid_api_key")
        return await handler(request)  # type: ignore[no-any-return]

    return guarded


@authorised
async def chat(request: Request) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        return error(400, "We could not parse the JSON body of your request.")
    refused = refusal_of(body, "ChatCompletionRequest", CHAT_FIELDS)
    if refused is not None:
        return refused
    if body["model"] == EMBEDDING_MODEL:
        return error(
            404,
            "This is not a chat model and thus not supported in the v1/chat/completions endpoint.",
            param="model",
        )
    if body["model"] != CHAT_MODEL:
        message = f"The model `{body['model']}` does not exist or you do not have access to it."
        return error(404, message, "model_not_found", "model")
    for name in REFUSED:
        if body.get(name) is not None:
            return error(400, f"{name} is not supported with this model.", "unsupported_parameter", name)
    if "audio" in (body.get("modalities") or []):
        return error(400, "This model does not support audio output.", "unsupported_value", "modalities")
    if body.get("stream"):
        return StreamingResponse(stream(body), media_type="text/event-stream; charset=utf-8")
    return JSONResponse(completion(body))


def vector(seed: str) -> list[float]:
    """A deterministic 8-dimensional vector of float32-exact values."""
    digest = hashlib.sha256(seed.encode()).digest()
    return [struct.unpack("<f", struct.pack("<f", (b - 128) / 128))[0] for b in digest[:8]]


@authorised
async def embeddings(request: Request) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        return error(400, "We could not parse the JSON body of your request.")
    refused = refusal_of(body, "EmbeddingsRequest", EMBEDDING_FIELDS)
    if refused is not None:
        return refused
    if body["model"] not in (CHAT_MODEL, EMBEDDING_MODEL):
        return error(404, f"The model `{body['model']}` does not exist.", "model_not_found", "model")
    raw = body["input"]
    inputs = [raw] if isinstance(raw, str) or (raw and isinstance(raw[0], int)) else raw
    data = []
    for index, item in enumerate(inputs):
        values = vector(json.dumps(item))
        encoded: Any = values
        if body.get("encoding_format") == "base64":
            encoded = base64.b64encode(struct.pack(f"<{len(values)}f", *values)).decode()
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    tokens = sum(len(i) if isinstance(i, list) else max(1, len(str(i).split())) for i in inputs)
    return JSONResponse(
        {
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }
    )


@authorised
async def models(request: Request) -> Response:
    listed = [
        {"id": CHAT_MODEL, "object": "model", "created": 1_700_000_000, "owned_by": "system"},
        {
            "id": EMBEDDING_MODEL,
            "object": "model",
            "created": 1_700_000_000,
            "owned_by": "system",
            "shutdown_date": None,
        },
    ]
    return JSONResponse({"object": "list", "data": listed})


async def http_error(request: Request, exc: Exception) -> Response:
    """Wrong method or path answered as OpenAI does: the OpenAI error body, as JSON."""
    status = int(getattr(exc, "status_code", 404))
    message = (
        f"Invalid method for URL ({request.method} {request.url.path})"
        if status == 405
        else (f"Invalid URL ({request.method} {request.url.path})")
    )
    return error(status, message)


def openai_faithful_app() -> Starlette:
    """The app: chat completions (JSON and stream), embeddings and models; no /v1/capabilities, like
    OpenAI, so the suite decides profiles and features by probing."""
    return Starlette(
        routes=[
            Route("/v1/chat/completions", chat, methods=["POST"]),
            Route("/v1/embeddings", embeddings, methods=["POST"]),
            Route("/v1/models", models, methods=["GET"]),
        ],
        exception_handlers={HTTPException: http_error},
    )
