"""The wire objects of the chat surface, built as plain dicts so that null-vs-absent is exact.

Why not ``model_dump``: the contract needs ``finish_reason: null`` present on every unfinished
chunk choice and ``content: null`` on a tool-call message, but forbids ``tool_calls: null`` and
``usage`` on ordinary chunks; no single ``exclude_none`` setting gives that.  The tests validate
every object built here against the generated pydantic models and the contract schema.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from llmgw_reference.engine.synthetic import GeneratedToken
from llmgw_reference.runtime.records import TokenFrame

SYSTEM_FINGERPRINT = "fp_reference_synthetic"
#: Encodes one str exactly as ``json.dumps(..., ensure_ascii=False)`` does inside a chunk.
_TEXT_ENCODER = json.JSONEncoder(ensure_ascii=False)


@dataclass(frozen=True)
class ChunkHeader:
    """What every chunk of one stream repeats: the same id, created and model."""

    id: str
    created: int
    model: str

    def chunk(self, choices: list[dict[str, Any]], usage: dict[str, int] | None = None) -> dict[str, Any]:
        """One ``chat.completion.chunk``; ``usage`` only on the usage chunk."""
        body: dict[str, Any] = {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": SYSTEM_FINGERPRINT,
            "choices": choices,
        }
        if usage is not None:
            body["usage"] = usage
        return body

    def content_chunk_json(self, text: str) -> str:
        """The compact JSON of ``chunk([chunk_choice(0, {"content": text})])``, the same text exactly.

        Why a template: this is the one chunk sent per token; building its dicts and encoding them
        again for every token was a tenth of the gateway's CPU. Only the JSON string of ``text`` is
        encoded per token (tests compare it with the dict path).
        """
        prefix, suffix = self._content_template
        return prefix + _TEXT_ENCODER.encode(text) + suffix

    @property
    def token_frame(self) -> TokenFrame:
        """The SSE frame of ``content_chunk_json``, as a template a worker fills in per token."""
        prefix, suffix = self._content_template
        return TokenFrame("data: " + prefix, suffix + "\n\n")

    @cached_property
    def _content_template(self) -> tuple[str, str]:
        body = json.dumps(self.chunk([]), separators=(",", ":"), ensure_ascii=False)
        assert body.endswith('"choices":[]}')
        return body[:-2] + '{"index":0,"delta":{"content":', '},"finish_reason":null}]}'


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    """A usage object whose total is the sum of its parts."""
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def token_logprob(token: GeneratedToken, top_k: int) -> dict[str, Any]:
    """One ``TokenLogprob``: the token's logprob and its ``top_k`` best alternatives."""
    return {
        "token": token.text,
        "logprob": token.logprob,
        "bytes": list(token.text.encode("utf-8")),
        "top_logprobs": [
            {"token": text, "logprob": logprob, "bytes": list(text.encode("utf-8"))}
            for text, logprob in token.top[:top_k]
        ],
    }


def chunk_choice(
    index: int,
    delta: dict[str, Any],
    finish_reason: str | None = None,
    logprobs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One choice of a chunk; ``finish_reason`` is always present (null until the last chunk)."""
    choice: dict[str, Any] = {"index": index, "delta": delta, "finish_reason": finish_reason}
    if logprobs is not None:
        choice["logprobs"] = choice_logprobs(logprobs)
    return choice


def choice_logprobs(content: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``ChoiceLogprobs``: both keys always there, as OpenAI sends them (never a refusal here)."""
    return {"content": content, "refusal": None}


def function_call_deltas(name: str, fragments: list[str]) -> list[dict[str, Any]]:
    """The deltas of a legacy ``function_call`` (a ``functions`` request): the name, then arguments."""
    first = {"function_call": {"name": name, "arguments": ""}}
    return [first] + [{"function_call": {"arguments": fragment}} for fragment in fragments]


def tool_call_deltas(index: int, call_id: str, name: str, fragments: list[str]) -> list[dict[str, Any]]:
    """The deltas of one streamed call: id, type and name first, then the argument fragments."""
    first = {"index": index, "id": call_id, "type": "function", "function": {"name": name, "arguments": ""}}
    return [first] + [{"index": index, "function": {"arguments": fragment}} for fragment in fragments]


@dataclass(frozen=True)
class ToolCallOut:
    """A finished tool call of a non-streamed choice."""

    id: str
    name: str
    arguments: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments},
        }


def completion_choice(
    index: int,
    text: str | None,
    finish_reason: str,
    tool_calls: list[ToolCallOut] | None = None,
    logprobs: list[dict[str, Any]] | None = None,
    *,
    legacy_functions: bool = False,
) -> dict[str, Any]:
    """One ``ChatChoice``; ``content`` is null exactly when the turn is tool calls only.

    ``refusal`` and ``logprobs`` are always present (null when there is none), as OpenAI sends them.
    A legacy ``functions`` request gets its one call as ``message.function_call`` instead.
    """
    message: dict[str, Any] = {"role": "assistant", "content": None if tool_calls else text, "refusal": None}
    if tool_calls and legacy_functions:
        call = tool_calls[0]
        message["function_call"] = {"name": call.name, "arguments": call.arguments}
    elif tool_calls:
        message["tool_calls"] = [call.as_dict() for call in tool_calls]
    choice: dict[str, Any] = {"index": index, "message": message, "finish_reason": finish_reason}
    choice["logprobs"] = choice_logprobs(logprobs) if logprobs is not None else None
    return choice


def completion(header: ChunkHeader, choices: list[dict[str, Any]], usage_: dict[str, int]) -> dict[str, Any]:
    """The ``chat.completion`` JSON answer."""
    return {
        "id": header.id,
        "object": "chat.completion",
        "created": header.created,
        "model": header.model,
        "system_fingerprint": SYSTEM_FINGERPRINT,
        "choices": choices,
        "usage": usage_,
    }
