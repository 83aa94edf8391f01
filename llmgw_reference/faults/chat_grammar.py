"""Faults that break the grammar of OpenAI chat completion streams (`x-stream-grammars` chat)."""

from __future__ import annotations

from typing import Any

from llmgw_reference.faults.base import fault
from llmgw_reference.faults.frame_rewrite import (
    DONE,
    FrameRewrite,
    is_chat_chunk,
    is_done,
    payload,
    usage_total_plus_one,
    with_payload,
)
from llmgw_reference.sse import SSEFrame, data_frame


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


@fault("chat-no-done", breaks=["CHAT-DONE-SENTINEL"], description="Drops the `data: [DONE]` sentinel.")
class ChatNoDone(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [] if is_done(frame) and state.get("chat") else self._note(frame, state)

    def _note(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if is_chat_chunk(payload(frame)):
            state["chat"] = True
        return [frame]


@fault(
    "chat-done-twice",
    breaks=["CHAT-DONE-SENTINEL"],
    description="Sends `data: [DONE]` twice at the end of chat streams.",
)
class ChatDoneTwice(ChatNoDone):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [frame, frame] if is_done(frame) and state.get("chat") else self._note(frame, state)


@fault(
    "chat-data-after-done",
    breaks=["CHAT-NOTHING-AFTER-DONE"],
    description="Sends the last chunk again after `data: [DONE]`.",
)
class ChatDataAfterDone(ChatNoDone):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if is_done(frame) and "last" in state:
            return [frame, state["last"]]
        if is_chat_chunk(payload(frame)):
            state["last"] = frame
        return [frame]


@fault("chat-id-changes", breaks=["CHAT-CHUNK-ID-STABLE"], description="Gives the second chunk another id.")
class ChatIdChanges(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        state["n"] = state.get("n", 0) + 1
        return [with_payload(frame, body | {"id": "chatcmpl-other"})] if state["n"] == 2 else [frame]


@fault("chat-role-missing", breaks=["CHAT-ROLE-FIRST"], description="Drops `role` from the first delta.")
class ChatRoleMissing(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None or "role" not in choice.get("delta", {}):
            return [frame]
        delta = {k: v for k, v in choice["delta"].items() if k != "role"}
        return [_with_choice(frame, body, choice | {"delta": delta})]


@fault("chat-role-repeated", breaks=["CHAT-ROLE-FIRST"], description="Puts `role` on every delta.")
class ChatRoleRepeated(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None:
            return [frame]
        delta = {"role": "assistant"} | choice.get("delta", {})
        return [_with_choice(frame, body, choice | {"delta": delta})]


@fault("chat-finish-empty", breaks=["CHAT-FINISH-VALUE"], description='Sends `finish_reason` "" at the end.')
class ChatFinishEmpty(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None or choice.get("finish_reason") is None:
            return [frame]
        return [_with_choice(frame, body, choice | {"finish_reason": ""})]


@fault(
    "chat-finish-absent",
    breaks=["CHAT-FINISH-VALUE"],
    description="Leaves the `finish_reason` key out of every chunk before the last.",
)
class ChatFinishAbsent(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None or choice.get("finish_reason") is not None:
            return [frame]
        return [_with_choice(frame, body, {k: v for k, v in choice.items() if k != "finish_reason"})]


@fault("chat-finish-twice", breaks=["CHAT-FINISH-ONCE"], description="Sends the finishing chunk twice.")
class ChatFinishTwice(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        return [frame, frame] if choice is not None and choice.get("finish_reason") else [frame]


@fault(
    "chat-finish-missing",
    breaks=["CHAT-FINISH-ONCE"],
    description="Sends the finishing chunk with `finish_reason` null.",
)
class ChatFinishMissing(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is None or choice.get("finish_reason") is None:
            return [frame]
        return [_with_choice(frame, body, choice | {"finish_reason": None})]


@fault(
    "chat-usage-with-choices",
    breaks=["CHAT-USAGE-CHUNK"],
    description="Sends the usage chunk with the last choice instead of `choices: []`.",
)
class ChatUsageWithChoices(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        if choice is not None:
            state["choice"] = choice | {"delta": {}}
        if body.get("usage") and not body.get("choices") and "choice" in state:
            return [with_payload(frame, body | {"choices": [state["choice"]]})]
        return [frame]


@fault(
    "chat-usage-every-chunk",
    breaks=["CHAT-USAGE-ABSENT"],
    description="Puts a usage object on every chunk.",
)
class ChatUsageEveryChunk(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if body.get("usage"):
            return [frame]
        usage = {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}
        return [with_payload(frame, body | {"usage": usage})]


@fault(
    "chat-usage-missing",
    breaks=["CHAT-USAGE-CHUNK"],
    description="Drops the usage chunk a request with `include_usage` asked for.",
)
class ChatUsageMissing(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        return [] if body.get("usage") and not body.get("choices") else [frame]


@fault(
    "chat-usage-total-wrong",
    breaks=["CHAT-USAGE-TOTAL"],
    description="Streams usage whose total_tokens is one more than prompt plus completion.",
)
class ChatUsageTotalWrong(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        wrong = usage_total_plus_one(body)
        return [frame] if wrong is None else [with_payload(frame, wrong)]


@fault(
    "chat-stream-usage-differs",
    breaks=["CHAT-USAGE-EQUAL"],
    description="Streams usage with one prompt token more than the JSON answer (totals kept consistent).",
)
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


@fault(
    "chat-tool-delta-no-index",
    breaks=["CHAT-TOOL-DELTA-INDEX"],
    description="Streams tool-call deltas without their `index`.",
)
class ChatToolDeltaNoIndex(ChatRewrite):
    drop = "index"

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        calls = (choice or {}).get("delta", {}).get("tool_calls")
        if choice is None or not isinstance(calls, list):
            return [frame]
        stripped = [{k: v for k, v in call.items() if k != self.drop} for call in calls]
        delta = choice["delta"] | {"tool_calls": stripped}
        return [_with_choice(frame, body, choice | {"delta": delta})]


@fault(
    "chat-tool-delta-no-id",
    breaks=["CHAT-TOOL-DELTA-INDEX"],
    description="Streams the first delta of each tool call without its `id`.",
)
class ChatToolDeltaNoId(ChatToolDeltaNoIndex):
    drop = "id"


@fault(
    "chat-error-without-done",
    breaks=["CHAT-ERROR-EVENT"],
    description="Cuts chat streams after the first content chunk with an error event and no `[DONE]`.",
)
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


@fault(
    "chat-cumulative-deltas",
    breaks=["CHAT-DELTA-INCREMENTAL"],
    description="Sends each content delta as the whole text so far instead of the new text.",
)
class ChatCumulativeDeltas(ChatRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        choice = _first_choice(body)
        delta = choice.get("delta") if choice else None
        content = delta.get("content") if isinstance(delta, dict) else None
        if choice is None or not isinstance(delta, dict) or not isinstance(content, str) or not content:
            return [frame]
        state["text"] = state.get("text", "") + content
        return [_with_choice(frame, body, choice | {"delta": delta | {"content": state["text"]}})]
