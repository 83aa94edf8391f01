# mypy: disable-error-code="no-any-return"
# (the helpers come from fake_target, which mypy run from the repository root cannot resolve)
"""The fake target's chat completions (JSON, stream, tools, logprobs) and the refusals before them."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from fake_deadline import chat_deadline_end, deadline_of, next_token  # type: ignore[import-not-found]
from fake_target import MODEL, WORDS, openai_error, sse  # type: ignore[import-not-found]
from starlette.responses import JSONResponse, Response, StreamingResponse

if TYPE_CHECKING:
    from fake_target import FakeTarget

CHAT_FIELDS = {
    "model",
    "messages",
    "max_tokens",
    "max_completion_tokens",
    "temperature",
    "top_p",
    "stream",
    "stream_options",
    "seed",
    "n",
    "logprobs",
    "top_logprobs",
    "frequency_penalty",
    "presence_penalty",
    "lora_adapter",
    "logit_bias",
    "tools",
    "tool_choice",
    "user",
    "deadline_ms",
    "stop",
    "response_format",
}
RANGES = {
    "temperature": (0, 2),
    "top_p": (0, 1),
    "frequency_penalty": (-2, 2),
    "presence_penalty": (-2, 2),
    "top_logprobs": (0, 20),
    "n": (1, 128),
}


def refuse_chat(t: FakeTarget, body: dict[str, Any]) -> Any:
    if body.get("logit_bias") and t.has("logit-bias-500"):
        return JSONResponse({"detail": "Internal Server Error: cannot serialize -inf"}, 500)
    unknown = set(body) - CHAT_FIELDS
    if unknown and not t.has("ignore-unknown-field"):
        return openai_error(
            400, f"unsupported field {sorted(unknown)[0]}", "unsupported_field", sorted(unknown)[0]
        )
    if body.get("model") != MODEL:
        return openai_error(
            400 if t.has("unknown-model-400") else 404, "unknown model", "model_not_found", "model"
        )
    for name, (low, high) in RANGES.items():
        value = body.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            outside = not low <= value <= high
            if (outside and not t.has("accept-out-of-range")) or (t.has("reject-boundary") and value == high):
                code: Any = 400 if t.has("integer-error-code") else "invalid_value"
                return openai_error(400, f"{name} out of range", code, name)
    for message in body.get("messages") or []:
        if message.get("role") == "developer" and t.has("reject-developer"):
            return openai_error(400, "unknown role developer", "invalid_value", "messages")
        content = message.get("content")
        parts = content if isinstance(content, list) else []
        if any(p.get("type") not in ("text", "input_text") for p in parts):
            if t.has("image-500"):
                return JSONResponse({"detail": "cannot read the image"}, 500)
            if not t.has("accept-image") and not t.has("image-ignored"):  # a vision model: the part is used
                return openai_error(400, "image parts are not supported", "unsupported_field", "messages")
    streams_n = any(
        t.has(name)
        for name in ("n-stream-constant-index", "n-stream-finish-twice", "n-stream-usage-per-choice")
    )
    if (body.get("n") or 1) > 1 and body.get("stream") and not streams_n:
        return openai_error(400, "n > 1 with stream is not supported", "unsupported_field", "n")
    if "lora_adapter" in body and not t.has("accept-unknown-lora"):
        return openai_error(400, "unknown LoRA adapter", "unknown_lora", "lora_adapter")
    return None


def _prompt_tokens(t: FakeTarget, body: dict[str, Any]) -> int:
    count = 0
    for message in body.get("messages") or []:
        if message.get("role") == "developer" and t.has("developer-ignored"):
            continue
        content = message.get("content")
        count += len(content.split()) if isinstance(content, str) else _parts_tokens(t, content)
    return count


def _parts_tokens(t: FakeTarget, content: Any) -> int:
    """Words of the text parts plus one per other part (an image read costs tokens), none for an
    image that ``image-ignored`` drops; 1 for content that is not a list of parts."""
    if not isinstance(content, list):
        return 1
    texts = [p for p in content if isinstance(p, dict) and p.get("type") in ("text", "input_text")]
    others = 0 if t.has("image-ignored") else len(content) - len(texts)
    return max(1, sum(len(str(p.get("text") or "").split()) for p in texts) + others)


async def answer_chat(t: FakeTarget, body: dict[str, Any]) -> Response:
    deadline = deadline_of(t, body)
    limit = body.get("max_completion_tokens") or body.get("max_tokens") or 16
    prompt = " ".join(str(m.get("content")) for m in body.get("messages") or [])
    count, reason = t.length(prompt, limit)
    if t.has("chat-over-limit"):
        count += 1
    if t.has("chat-created-clock"):  # generates to the limit, slowly, stamping chunks with the clock
        count, reason = limit, "length"
    if t.has("chat-stop-at-limit"):
        reason = "stop"
    offset = t.calls % 7 if (t.has("chat-seed-ignored") or body.get("seed") is None) else 0
    words = [w + " " for w in (WORDS * (1 + count // len(WORDS)))[offset : offset + count]]
    words, reason = _honoured(t, body, words, reason)
    count = len(words)
    usage = {
        "prompt_tokens": _prompt_tokens(t, body),
        "completion_tokens": count,
        "total_tokens": _prompt_tokens(t, body) + count,
    }
    if body.get("tools") and body.get("tool_choice") not in (None, "none"):
        return await _answer_tools(t, body, usage)
    if not body.get("stream"):
        n = body.get("n") or 1
        n = n + 1 if t.has("n-wrong-count") else n
        if n > 1 and not t.has("n-usage-one-choice"):  # usage covers every choice, as OpenAI bills
            usage = usage | {
                "completion_tokens": count * n,
                "total_tokens": usage["prompt_tokens"] + count * n,
            }
        choices = [
            {
                "index": i,
                "message": {"role": "assistant", "content": "".join(words), "refusal": None},
                "finish_reason": reason,
                **_logprobs(t, body, words),
            }
            for i in range(n)
        ]
        if t.has("json-keys-missing"):  # as llama-server, LiteLLM and transformers serve answer
            for choice in choices:
                choice.pop("logprobs", None)
                choice["message"].pop("refusal", None)
        return JSONResponse(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1,
                "model": MODEL,
                "choices": choices,
                "usage": usage,
            }
        )
    if t.has("chat-stream-text-differs"):
        words = [*words[:-1], "other "]
    return StreamingResponse(
        _chat_chunks(t, body, words, reason, usage, (prompt, deadline)),
        media_type=("application/json" if t.has("chat-json-content-type") else "text/event-stream"),
    )


def _honoured(t: FakeTarget, body: dict[str, Any], words: list[str], reason: str) -> tuple[list[str], str]:
    """``stop`` cuts the text before the first stop string (finish ``stop``); JSON mode wraps it in an
    object (a prefix of one when cut by length). The faults accept the fields and ignore them."""
    text = "".join(words)
    stops = body.get("stop")
    stops = [stops] if isinstance(stops, str) else [s for s in stops or [] if isinstance(s, str) and s]
    hits = [i for s in stops if (i := text.find(s)) >= 0]
    if hits and not t.has("stop-ignored"):
        words = [w + " " for w in text[: min(hits)].split()]
        reason = "length" if t.has("stop-finish-length") else "stop"
    wants_json = (body.get("response_format") or {}).get("type") == "json_object"
    if wants_json and not t.has("json-mode-ignored"):
        whole = json.dumps({"text": "".join(words).strip()})
        words = [whole if reason == "stop" else whole[: len(whole) // 2]]
    return words, reason


def _logprobs(t: FakeTarget, body: dict[str, Any], words: list[str]) -> dict[str, Any]:
    if not body.get("logprobs"):
        return {"logprobs": None}  # the key is always there, as OpenAI sends it
    k = (body.get("top_logprobs") or 0) + (1 if t.has("logprobs-too-many") else 0)
    value = 0.5 if t.has("logprobs-positive") else -0.25
    top = {"token": "x", "logprob": -1.0, "bytes": [120]}
    content = [
        {"token": w, "logprob": value, "bytes": list(w.encode()), "top_logprobs": [top] * k} for w in words
    ]
    return {"logprobs": {"content": content, "refusal": None}}


async def _answer_tools(t: FakeTarget, body: dict[str, Any], usage: dict[str, int]) -> Response:
    finish = "stop" if t.has("tools-finish-stop") else "tool_calls"
    name = body["tools"][0]["function"]["name"]
    call = {"id": "call_1", "type": "function", "function": {"name": name, "arguments": '{"city": "Paris"}'}}
    if not body.get("stream"):
        message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [call]}
        return JSONResponse(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1,
                "model": MODEL,
                "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
                "usage": usage,
            }
        )

    async def chunks() -> AsyncIterator[bytes]:
        base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": MODEL}
        deltas = [
            {
                "role": "assistant",
                "tool_calls": [
                    {
                        "index": 0,
                        **({} if t.has("tools-delta-no-id") else call),
                        "function": {"name": name, "arguments": ""},
                    }
                ],
            },
            {"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]},
            {"tool_calls": [{"index": 0, "function": {"arguments": '"Paris"}'}}]},
        ]
        for delta in deltas:
            yield sse({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
        yield sse({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
        yield sse("[DONE]")

    return StreamingResponse(chunks(), media_type="text/event-stream")


async def _chat_chunks(
    t: FakeTarget,
    body: dict[str, Any],
    words: list[str],
    reason: str,
    usage: dict[str, int],
    timing: tuple[str, float | None],
) -> AsyncIterator[bytes]:
    base: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": MODEL,
    }
    every = {"usage": usage} if t.has("chat-usage-every-chunk") else {}
    if t.has("chat-created-clock"):
        base["created"] = int(time.time())
    n = body.get("n") or 1
    per_choice_usage = t.has("n-stream-usage-per-choice") and bool(
        (body.get("stream_options") or {}).get("include_usage")
    )
    for index in range(n):
        choice_index = 0 if t.has("n-stream-constant-index") else index
        yield sse(
            {
                **base,
                **every,
                "choices": [
                    {
                        "index": choice_index,
                        "delta": {"role": "assistant", "content": ""},
                        "finish_reason": None,
                    }
                ],
            }
        )
        sent = ""
        for word in words:
            if t.has("chat-created-clock"):
                # Re-stamped per chunk with the wall clock, as llama-server does, tokens 20 ms apart:
                # only a stream that crosses a second boundary shows it.
                await asyncio.sleep(0.02)
                base["created"] = int(time.time())
            if not await next_token(*timing):
                for frame in chat_deadline_end(t, base, choice_index):
                    yield frame
                return
            sent += word
            delta: dict[str, Any] = {"content": sent if t.has("chat-cumulative-deltas") else word}
            if t.has("chat-role-every"):
                delta["role"] = "assistant"
            yield sse(
                {**base, **every, "choices": [{"index": choice_index, "delta": delta, "finish_reason": None}]}
            )
            if t.has("chat-error-field"):
                yield b'error: {"message": "upstream hiccup"}\n\n'
        final = "" if t.has("chat-finish-empty") else reason
        yield sse(
            {**base, **every, "choices": [{"index": choice_index, "delta": {}, "finish_reason": final}]}
        )
        if t.has("n-stream-finish-twice"):
            yield sse({**base, "choices": [{"index": choice_index, "delta": {}, "finish_reason": final}]})
        if per_choice_usage:  # llama-server: a usage chunk as each choice finishes, not one at the end
            yield sse({**base, "choices": [], "usage": usage})
    if (body.get("stream_options") or {}).get("include_usage") and not per_choice_usage:
        shown = dict(usage)
        if t.has("chat-usage-differs"):
            shown = {
                **usage,
                "prompt_tokens": usage["prompt_tokens"] + 1,
                "total_tokens": usage["total_tokens"] + 1,
            }
        if t.has("chat-usage-total"):
            shown = {**usage, "total_tokens": usage["total_tokens"] + 5}
        yield sse({**base, "choices": [], "usage": shown})
    if not t.has("chat-no-done"):
        yield sse("[DONE]")
