"""Faults that break the grammar of native generate streams (`x-stream-grammars` generate)."""

from __future__ import annotations

from typing import Any

from llmgw_reference.faults.base import fault
from llmgw_reference.faults.frame_rewrite import (
    FrameRewrite,
    is_done,
    is_generate_chunk,
    payload,
    usage_total_plus_one,
    with_payload,
)
from llmgw_reference.sse import SSEFrame, data_frame


class GenerateRewrite(FrameRewrite):
    """Rewrites generate chunks only (`rewrite_chunk`); `rewrite_done` sees the `[DONE]` of them."""

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if is_generate_chunk(body):
            state["generate"] = True
            assert body is not None
            return self.rewrite_chunk(frame, body, state)
        if is_done(frame) and state.get("generate"):
            return self.rewrite_done(frame, state)
        return [frame]

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        return [frame]

    def rewrite_done(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [frame]


@fault("generate-seq-gap", breaks=["GEN-SEQ"], description="Skips seq 1 (numbers the chunks 0, 2, 3, ...).")
class GenerateSeqGap(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        seq = body.get("seq")
        return (
            [with_payload(frame, body | {"seq": seq + 1})] if isinstance(seq, int) and seq >= 1 else [frame]
        )


@fault("generate-seq-from-one", breaks=["GEN-SEQ"], description="Numbers the chunks from 1 instead of 0.")
class GenerateSeqFromOne(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        seq = body.get("seq")
        return [with_payload(frame, body | {"seq": seq + 1})] if isinstance(seq, int) else [frame]


@fault(
    "generate-request-id-changes",
    breaks=["GEN-REQUEST-ID"],
    description="Gives the second chunk another request_id.",
)
class GenerateRequestIdChanges(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        state["n"] = state.get("n", 0) + 1
        return [with_payload(frame, body | {"request_id": "req-other"})] if state["n"] == 2 else [frame]


@fault("generate-done-twice", breaks=["GEN-DONE-ONCE"], description="Sends the `done` chunk twice.")
class GenerateDoneTwice(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if body.get("done") is True:
            again = body | {"seq": body["seq"] + 1} if isinstance(body.get("seq"), int) else body
            return [frame, with_payload(frame, again)]
        return [frame]


@fault(
    "generate-done-missing",
    breaks=["GEN-DONE-ONCE"],
    description="Sends the terminal chunk with `done` false.",
)
class GenerateDoneMissing(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        return [with_payload(frame, body | {"done": False})] if body.get("done") is True else [frame]


@fault("generate-no-done-sentinel", breaks=["GEN-DONE-SENTINEL"], description="Drops `data: [DONE]`.")
class GenerateNoDoneSentinel(GenerateRewrite):
    def rewrite_done(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return []


@fault(
    "generate-data-after-done",
    breaks=["GEN-DONE-SENTINEL"],
    description="Sends a chunk after `data: [DONE]`.",
)
class GenerateDataAfterDone(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        state["last"] = frame
        return [frame]

    def rewrite_done(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [frame, state["last"]] if "last" in state else [frame]


@fault(
    "generate-usage-every-chunk",
    breaks=["GEN-TERMINAL-FIELDS"],
    description="Puts `finish_reason` and `usage` on every chunk, not only the terminal one.",
)
class GenerateUsageEveryChunk(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if body.get("done") is True:
            return [frame]
        usage = {"prompt_tokens": 1, "completion_tokens": 0, "total_tokens": 1}
        return [with_payload(frame, body | {"finish_reason": "stop", "usage": usage})]


@fault(
    "generate-usage-total-wrong",
    breaks=["GEN-TERMINAL-FIELDS"],
    description="Sends terminal usage whose total is one more than prompt plus completion.",
)
class GenerateUsageTotalWrong(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        wrong = usage_total_plus_one(body)
        return [frame] if wrong is None else [with_payload(frame, wrong)]


@fault(
    "generate-extra-token",
    breaks=["GEN-MAX-NEW-TOKENS"],
    description="Reports one completion token beyond `max_new_tokens` on streams stopped by the limit.",
)
class GenerateExtraToken(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        usage = body.get("usage")
        if body.get("finish_reason") != "length" or not isinstance(usage, dict):
            return [frame]
        more = {
            k: usage[k] + 1 for k in ("completion_tokens", "total_tokens") if isinstance(usage.get(k), int)
        }
        return [with_payload(frame, body | {"usage": usage | more})]


@fault(
    "generate-error-without-done",
    breaks=["GEN-ERROR-CHUNK"],
    description="Cuts generate streams after the first chunk with an error chunk that is not `done`.",
)
class GenerateErrorWithoutDone(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if state.get("cut"):
            return []
        state["cut"] = True
        error = {"code": "INTERNAL", "message": "worker lost"}
        cut = {
            "request_id": body.get("request_id"),
            "seq": 1,
            "text_delta": "",
            "done": False,
            "error": error,
        }
        return [frame, data_frame(cut)]
