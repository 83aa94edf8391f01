"""Wire samples for the scripted-server tests: SSE frames and bodies shaped like the contract's."""

from __future__ import annotations

import json

API_KEY = "sk-test-sdk"
"""The key the SDK sends to scripted servers (they check nothing; the tests check it arrives)."""


def sse_data(payload: object) -> bytes:
    """One data-only SSE event."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return f"data: {text}\n\n".encode()


def sse_named(event: str, payload: object) -> bytes:
    """One named SSE event with JSON data."""
    return f"event: {event}\ndata: {json.dumps(payload)}\n\n".encode()


def chat_chunk(content: str | None, *, finish: str | None = None, role: bool = False) -> dict[str, object]:
    delta: dict[str, object] = {}
    if role:
        delta["role"] = "assistant"
    if content is not None:
        delta["content"] = content
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "synth-small",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def gen_chunk(seq: int, text: str, *, done: bool = False) -> dict[str, object]:
    chunk: dict[str, object] = {"request_id": "req-1", "seq": seq, "text_delta": text, "done": done}
    if done:
        chunk["finish_reason"] = "stop"
        chunk["usage"] = {"prompt_tokens": 3, "completion_tokens": seq, "total_tokens": 3 + seq}
    return chunk


CHAT_REQUEST: dict[str, object] = {"model": "synth-small", "messages": [{"role": "user", "content": "hi"}]}
CHAT_COMPLETION: dict[str, object] = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "synth-small",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "hello", "refusal": None},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
}


def openai_error(
    message: str, type_: str, code: str | None, *, param: str | None = None, **extra: object
) -> dict[str, object]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code, **extra}}
