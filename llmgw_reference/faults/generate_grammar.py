"""Faults that break the grammar of native generate streams (`x-stream-grammars` generate)."""

from __future__ import annotations

from typing import Any

from llmgw_reference.faults.base import register_faults
from llmgw_reference.faults.frame_rewrite import (
    PLACEHOLDER_USAGE,
    FrameRewrite,
    SecondChunkChanged,
    UsageTotalWrong,
    is_done,
    is_generate_chunk,
    payload,
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


class GenerateSeqShifted(GenerateRewrite):
    """Numbers the chunks from seq `first` on one higher (1: a gap after seq 0; 0: from 1)."""

    first = 0

    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        seq = body.get("seq")
        return (
            [with_payload(frame, body | {"seq": seq + 1})]
            if isinstance(seq, int) and seq >= self.first
            else [frame]
        )


class GenerateDoneTwice(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if body.get("done") is True:
            again = body | {"seq": body["seq"] + 1} if isinstance(body.get("seq"), int) else body
            return [frame, with_payload(frame, again)]
        return [frame]


class GenerateDoneMissing(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        return [with_payload(frame, body | {"done": False})] if body.get("done") is True else [frame]


class GenerateNoDoneSentinel(GenerateRewrite):
    def rewrite_done(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return []


class GenerateDataAfterDone(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        state["last"] = frame
        return [frame]

    def rewrite_done(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [frame, state["last"]] if "last" in state else [frame]


class GenerateUsageEveryChunk(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        if body.get("done") is True:
            return [frame]
        return [with_payload(frame, body | {"finish_reason": "stop", "usage": PLACEHOLDER_USAGE})]


class GenerateExtraToken(GenerateRewrite):
    def rewrite_chunk(self, frame: SSEFrame, body: dict[str, Any], state: dict[str, Any]) -> list[SSEFrame]:
        usage = body.get("usage")
        if body.get("finish_reason") != "length" or not isinstance(usage, dict):
            return [frame]
        more = {
            k: usage[k] + 1 for k in ("completion_tokens", "total_tokens") if isinstance(usage.get(k), int)
        }
        return [with_payload(frame, body | {"usage": usage | more})]


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


register_faults(
    (
        "generate-seq-gap",
        ["GEN-SEQ"],
        "Skips seq 1 (numbers the chunks 0, 2, 3, ...).",
        GenerateSeqShifted,
        {"first": 1},
    ),
    (
        "generate-seq-from-one",
        ["GEN-SEQ"],
        "Numbers the chunks from 1 instead of 0.",
        GenerateSeqShifted,
        {"first": 0},
    ),
    (
        "generate-request-id-changes",
        ["GEN-REQUEST-ID"],
        "Gives the second chunk another request_id.",
        SecondChunkChanged,
        {"chunks": "generate", "change": {"request_id": "req-other"}},
    ),
    (
        "generate-done-twice",
        ["GEN-DONE-ONCE"],
        "Sends the `done` chunk twice.",
        GenerateDoneTwice,
        {},
    ),
    (
        "generate-done-missing",
        ["GEN-DONE-ONCE"],
        "Sends the terminal chunk with `done` false.",
        GenerateDoneMissing,
        {},
    ),
    (
        "generate-no-done-sentinel",
        ["GEN-DONE-SENTINEL"],
        "Drops `data: [DONE]`.",
        GenerateNoDoneSentinel,
        {},
    ),
    (
        "generate-data-after-done",
        ["GEN-DONE-SENTINEL"],
        "Sends a chunk after `data: [DONE]`.",
        GenerateDataAfterDone,
        {},
    ),
    (
        "generate-usage-every-chunk",
        ["GEN-TERMINAL-FIELDS"],
        "Puts `finish_reason` and `usage` on every chunk, not only the terminal one.",
        GenerateUsageEveryChunk,
        {},
    ),
    (
        "generate-usage-total-wrong",
        ["GEN-TERMINAL-FIELDS"],
        "Sends terminal usage whose total is one more than prompt plus completion.",
        UsageTotalWrong,
        {"chunks": "generate"},
    ),
    (
        "generate-extra-token",
        ["GEN-MAX-NEW-TOKENS"],
        "Reports one completion token beyond `max_new_tokens` on streams stopped by the limit.",
        GenerateExtraToken,
        {},
    ),
    (
        "generate-error-without-done",
        ["GEN-ERROR-CHUNK"],
        "Cuts generate streams after the first chunk with an error chunk that is not `done`.",
        GenerateErrorWithoutDone,
        {},
    ),
)
