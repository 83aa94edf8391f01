"""Faults that break the grammar of OpenAI chat completion streams (`x-stream-grammars` chat)."""

from __future__ import annotations

import json
from contextvars import ContextVar
from typing import Any

from llmgw_reference.faults.base import register_faults
from llmgw_reference.faults.frame_rewrite import (
    DONE,
    PLACEHOLDER_USAGE,
    FrameRewrite,
    SecondChunkChanged,
    UsageTotalWrong,
    is_chat_chunk,
    is_done,
    payload,
    with_payload,
)
from llmgw_reference.sse import SSEFrame, data_frame

#: The `n` of a chat stream request n-stream-usage-per-choice streams itself (1: none).
_STREAMED_N: ContextVar[int] = ContextVar("streamed_n", default=1)


def _chunk(frame: SSEFrame) -> dict[str, Any] | None:
    body = payload(frame)
    return body if is_chat_chunk(body) else None


def _first_choice(body: dict[str, Any]) -> dict[str, Any] | None:
    choices = body.get("choices")
    return choices[0] if isinstance(choices, list) and choices else None


def _with_choice(frame: SSEFrame, body: dict[str, Any], choice: dict[str, Any]) -> SSEFrame:
    return with_payload(frame, body | {"choices": [choice, *body["choices"][1:]]})


class ChatRewrite(FrameRewrite):
    """Rewrites chat chunks only (`rewrite_chunk`); other frames pass untouched."""

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = _chunk(frame)
        if body is not None and state.get("chat", True):
            return self.rewrite_chunk(frame, body, state)
        if body is None and payload(frame) is not None:
            state["chat"] = False  # a native or generate stream
        return [frame]

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        return [frame]


class ChatDoneCopies(FrameRewrite):
    """Sends the `data: [DONE]` of chat streams `copies` times (0: never)."""

    copies = 1

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if is_done(frame) and state.get("chat"):
            return [frame] * self.copies
        if is_chat_chunk(payload(frame)):
            state["chat"] = True
        return [frame]


class ChatDataAfterDone(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if is_done(frame) and "last" in state:
            return [frame, state["last"]]
        if is_chat_chunk(payload(frame)):
            state["last"] = frame
        return [frame]


class ChatRoleMissing(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None or "role" not in choice.get("delta", {}):
            return [frame]
        delta = {k: v for k, v in choice["delta"].items() if k != "role"}
        return [_with_choice(frame, body, choice | {"delta": delta})]


class ChatRoleRepeated(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None:
            return [frame]
        delta = {"role": "assistant"} | choice.get("delta", {})
        return [_with_choice(frame, body, choice | {"delta": delta})]


class ChatFinishReasonSet(ChatRewrite):
    """Sends the finishing chunk with `finish_reason` set to `value` (an empty string, or null)."""

    value: str | None = ""

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None or choice.get("finish_reason") is None:
            return [frame]
        return [_with_choice(frame, body, choice | {"finish_reason": self.value})]


class ChatFinishAbsent(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None or choice.get("finish_reason") is not None:
            return [frame]
        return [_with_choice(frame, body, {k: v for k, v in choice.items() if k != "finish_reason"})]


class ChatFinishTwice(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        return [frame, frame] if choice is not None and choice.get("finish_reason") else [frame]


class ChatUsageWithChoices(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is not None:
            state["choice"] = choice | {"delta": {}}
        if body.get("usage") and not body.get("choices") and "choice" in state:
            return [with_payload(frame, body | {"choices": [state["choice"]]})]
        return [frame]


class ChatUsageEveryChunk(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if body.get("usage"):
            return [frame]
        return [with_payload(frame, body | {"usage": PLACEHOLDER_USAGE})]


class ChatUsageMissing(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        return [] if body.get("usage") and not body.get("choices") else [frame]


class ChatStreamUsageDiffers(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        usage = body.get("usage")
        if not isinstance(usage, dict) or not isinstance(usage.get("prompt_tokens"), int):
            return [frame]
        bumped = usage | {
            "prompt_tokens": usage["prompt_tokens"] + 1,
            "total_tokens": usage["total_tokens"] + 1,
        }
        return [with_payload(frame, body | {"usage": bumped})]


class ChatToolDeltaKeyDropped(ChatRewrite):
    """Streams tool-call deltas without their key `drop`."""

    drop = ""

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        calls = (choice or {}).get("delta", {}).get("tool_calls")
        if choice is None or not isinstance(calls, list):
            return [frame]
        stripped = [{k: v for k, v in call.items() if k != self.drop} for call in calls]
        delta = choice["delta"] | {"tool_calls": stripped}
        return [_with_choice(frame, body, choice | {"delta": delta})]


class ChatErrorWithoutDone(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if state.get("cut"):
            return []
        choice = _first_choice(body)
        if choice is not None and choice.get("delta", {}).get("content"):
            state["cut"] = True
            error = {"message": "worker lost", "type": "server_error", "param": None, "code": "internal"}
            return [frame, data_frame({"error": error}), data_frame({"error": error})]
        return [frame]

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if state.get("cut") and (is_done(frame) or frame.data == DONE):
            return []
        return super().rewrite(frame, state)


class ChatCumulativeDeltas(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        delta = choice.get("delta") if choice else None
        content = delta.get("content") if isinstance(delta, dict) else None
        if choice is None or not isinstance(delta, dict) or not isinstance(content, str) or not content:
            return [frame]
        state["text"] = state.get("text", "") + content
        return [_with_choice(frame, body, choice | {"delta": delta | {"content": state["text"]}})]


class ChatUsagePerChoice(ChatRewrite):
    """Streams `n` > 1 with `include_usage` as llama-server does: a usage chunk after each choice.

    The reference refuses `n` > 1 streams, so the request goes on with `n` 1 (the request hook notes
    `n` in this request's context, which its stream inherits) and the stream's choice is replayed
    under each further index, every choice followed by the usage chunk instead of one at the end.
    """

    def request_body(self, path: str, body: bytes) -> bytes:
        try:
            value = json.loads(body) if path == "/v1/chat/completions" else None
        except ValueError:
            return body
        options = value.get("stream_options") if isinstance(value, dict) else None
        n = value.get("n") if isinstance(value, dict) else None
        if not isinstance(value, dict) or not isinstance(options, dict) or value.get("stream") is not True:
            return body
        if not isinstance(n, int) or n < 2 or options.get("include_usage") is not True:
            return body
        _STREAMED_N.set(n)
        return json.dumps({k: v for k, v in value.items() if k != "n"}).encode()

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        n = _STREAMED_N.get()
        if n < 2:
            return [frame]
        if not (body.get("usage") and not body.get("choices")):
            state.setdefault("choice", []).append(body)
            return [frame]
        out = [frame]
        for index in range(1, n):
            for chunk in state.get("choice", []):
                choices = [c | {"index": index} for c in chunk.get("choices") or []]
                out.append(with_payload(frame, chunk | {"choices": choices}))
            out.append(frame)
        return out


register_faults(
    (
        "chat-no-done",
        ["CHAT-DONE-SENTINEL"],
        "Drops the `data: [DONE]` sentinel.",
        ChatDoneCopies,
        {"copies": 0},
    ),
    (
        "chat-done-twice",
        ["CHAT-DONE-SENTINEL"],
        "Sends `data: [DONE]` twice at the end of chat streams.",
        ChatDoneCopies,
        {"copies": 2},
    ),
    (
        "chat-data-after-done",
        ["CHAT-NOTHING-AFTER-DONE"],
        "Sends the last chunk again after `data: [DONE]`.",
        ChatDataAfterDone,
        {},
    ),
    (
        "chat-id-changes",
        ["CHAT-CHUNK-ID-STABLE"],
        "Gives the second chunk another id.",
        SecondChunkChanged,
        {"chunks": "chat", "change": {"id": "chatcmpl-other"}},
    ),
    (
        "chat-role-missing",
        ["CHAT-ROLE-FIRST"],
        "Drops `role` from the first delta.",
        ChatRoleMissing,
        {},
    ),
    (
        "chat-role-repeated",
        ["CHAT-ROLE-FIRST"],
        "Puts `role` on every delta.",
        ChatRoleRepeated,
        {},
    ),
    (
        "chat-finish-empty",
        ["CHAT-FINISH-VALUE"],
        'Sends `finish_reason` "" at the end.',
        ChatFinishReasonSet,
        {"value": ""},
    ),
    (
        "chat-finish-absent",
        ["CHAT-FINISH-VALUE"],
        "Leaves the `finish_reason` key out of every chunk before the last.",
        ChatFinishAbsent,
        {},
    ),
    (
        "chat-finish-twice",
        ["CHAT-FINISH-ONCE"],
        "Sends the finishing chunk twice.",
        ChatFinishTwice,
        {},
    ),
    (
        "chat-finish-missing",
        ["CHAT-FINISH-ONCE"],
        "Sends the finishing chunk with `finish_reason` null.",
        ChatFinishReasonSet,
        {"value": None},
    ),
    (
        "chat-usage-with-choices",
        ["CHAT-USAGE-CHUNK"],
        "Sends the usage chunk with the last choice instead of `choices: []`.",
        ChatUsageWithChoices,
        {},
    ),
    (
        "chat-usage-every-chunk",
        ["CHAT-USAGE-ABSENT"],
        "Puts a usage object on every chunk.",
        ChatUsageEveryChunk,
        {},
    ),
    (
        "chat-usage-missing",
        ["CHAT-USAGE-CHUNK"],
        "Drops the usage chunk a request with `include_usage` asked for.",
        ChatUsageMissing,
        {},
    ),
    (
        "chat-usage-total-wrong",
        ["CHAT-USAGE-TOTAL"],
        "Streams usage whose total_tokens is one more than prompt plus completion.",
        UsageTotalWrong,
        {"chunks": "chat"},
    ),
    (
        "chat-stream-usage-differs",
        ["CHAT-USAGE-EQUAL"],
        "Streams usage with one prompt token more than the JSON answer (totals kept consistent).",
        ChatStreamUsageDiffers,
        {},
    ),
    (
        "chat-tool-delta-no-index",
        ["CHAT-TOOL-DELTA-INDEX"],
        "Streams tool-call deltas without their `index`.",
        ChatToolDeltaKeyDropped,
        {"drop": "index"},
    ),
    (
        "chat-tool-delta-no-id",
        ["CHAT-TOOL-DELTA-INDEX"],
        "Streams the first delta of each tool call without its `id`.",
        ChatToolDeltaKeyDropped,
        {"drop": "id"},
    ),
    (
        "chat-error-without-done",
        ["CHAT-ERROR-EVENT"],
        "Cuts chat streams after the first content chunk with an error event and no `[DONE]`.",
        ChatErrorWithoutDone,
        {},
    ),
    (
        "chat-cumulative-deltas",
        ["CHAT-DELTA-INCREMENTAL"],
        "Sends each content delta as the whole text so far instead of the new text.",
        ChatCumulativeDeltas,
        {},
    ),
    (
        "n-stream-usage-per-choice",
        ["OAI-N-USAGE"],
        "Streams `n` > 1 with `include_usage` (the reference refuses it) with a usage chunk after "
        "each choice, as llama-server does, instead of one after all of them.",
        ChatUsagePerChoice,
        {},
    ),
)
