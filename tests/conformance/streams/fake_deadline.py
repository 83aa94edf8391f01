# mypy: disable-error-code="no-any-return"
# (the helpers come from fake_target, which mypy run from the repository root cannot resolve)
"""The fake target's ``deadline_ms`` on chat and generate streams, and the ways it breaks the error rule.

Streams of a prompt with "long" in it are paced (one token per ``TOKEN_DELAY_S``, as native tasks
are), so a deadline can pass mid-generation. At the deadline a correct stream ends with the surface's
error terminal and ``[DONE]``; the faults send it wrong:

* ``midstream-error-as-content``: the error JSON as assistant content, then a normal ``stop``;
* ``midstream-error-no-done``: the chat error event, then the connection closes with no ``[DONE]``;
* ``gen-error-not-done``: the generate error chunk with ``done: false`` (then ``[DONE]``);
* ``gen-error-no-sentinel``: the right generate error chunk, then no ``[DONE]``;
* ``deadline-ignored`` (shared with native tasks): the deadline never fires.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

from fake_target import TOKEN_DELAY_S, sse  # type: ignore[import-not-found]

if TYPE_CHECKING:
    from fake_target import FakeTarget

MESSAGE = "the deadline passed before generation finished"


def deadline_of(t: FakeTarget, body: dict[str, Any]) -> float | None:
    """When (``time.monotonic``) the request's ``deadline_ms`` passes; None without one or when ignored."""
    value = body.get("deadline_ms")
    if not isinstance(value, int) or isinstance(value, bool) or t.has("deadline-ignored"):
        return None
    return time.monotonic() + value / 1000


async def next_token(prompt: str, deadline: float | None) -> bool:
    """Wait for the next token (paced for "long" prompts); False when the deadline has passed."""
    if "long" in prompt:
        await asyncio.sleep(TOKEN_DELAY_S)
    return deadline is None or time.monotonic() <= deadline


def chat_deadline_end(t: FakeTarget, base: dict[str, Any], index: int) -> list[bytes]:
    """The frames that end a chat stream at its deadline."""
    error = {"message": MESSAGE, "type": "server_error", "param": None, "code": "deadline_unmet"}
    if t.has("midstream-error-as-content"):
        content = {**base, "choices": [{"index": index, "delta": {"content": json.dumps({"error": error})}}]}
        content["choices"][0]["finish_reason"] = None
        stop = {**base, "choices": [{"index": index, "delta": {}, "finish_reason": "stop"}]}
        return [sse(content), sse(stop), sse("[DONE]")]
    if t.has("midstream-error-no-done"):
        return [sse({"error": error})]
    return [sse({"error": error}), sse("[DONE]")]


def generate_deadline_end(t: FakeTarget, seq: int, usage: dict[str, int]) -> list[bytes]:
    """The frames that end a generate stream at its deadline (``seq`` of the next chunk)."""
    chunk: dict[str, Any] = {
        "request_id": "req-1",
        "seq": seq,
        "text_delta": "",
        "done": True,
        "finish_reason": "error",
        "usage": usage,
        "error": {"code": "DEADLINE_UNMET", "message": MESSAGE},
    }
    if t.has("gen-error-not-done"):
        chunk = {k: v for k, v in chunk.items() if k not in ("finish_reason", "usage")} | {"done": False}
    if t.has("gen-error-no-sentinel"):
        return [sse(chunk)]
    return [sse(chunk), sse("[DONE]")]
