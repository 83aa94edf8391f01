"""Faults that break the grammar of native task streams (`x-stream-grammars` native-task)."""

from __future__ import annotations

from typing import Any

from llmgw_reference.faults.base import register_faults
from llmgw_reference.faults.frame_rewrite import FrameRewrite, NativeEventCopies, payload, with_payload
from llmgw_reference.sse import SSEFrame, event_frame

TERMINAL = ("end", "error")


class NativeLateStarted(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "started":
            state["started"] = frame
            return []
        if frame.event == "token" and "started" in state:
            return [frame, state.pop("started")]
        return [frame]


class NativeUnnamedToken(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "token":
            return [SSEFrame(data=frame.data)]
        return [frame]


class NativeUnknownEvent(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "started":
            return [frame, event_frame("progress", {"percent": 0})]
        return [frame]


class NativeTokenAfterEnd(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "token":
            state["last"] = frame
        if frame.event in TERMINAL and "last" in state:
            return [frame, state["last"]]
        return [frame]


class NativeTokensOutWrong(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if frame.event == "end" and body is not None and isinstance(body.get("tokens_out"), int):
            return [with_payload(frame, body | {"tokens_out": body["tokens_out"] + 1})]
        return [frame]


class NativeExtraToken(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if body is None:
            return [frame]
        if frame.event == "token":
            state["last"] = body
        if frame.event == "end" and body.get("finish_reason") == "length" and "last" in state:
            last = state["last"]
            extra = event_frame("token", last | {"i": last["i"] + 1, "text": " more"})
            return [extra, with_payload(frame, body | {"tokens_out": body.get("tokens_out", 0) + 1})]
        return [frame]


register_faults(
    (
        "native-late-started",
        ["NAT-FIRST-STARTED"],
        "Sends `started` after the first token instead of first.",
        NativeLateStarted,
        {},
    ),
    (
        "native-started-twice",
        ["NAT-STARTED-ONCE"],
        "Sends the `started` event twice.",
        NativeEventCopies,
        {"events": ("started",), "copies": 2},
    ),
    (
        "native-unnamed-token",
        ["NAT-EVENT-NAMES"],
        "Sends token events without their `event:` line.",
        NativeUnnamedToken,
        {},
    ),
    (
        "native-unknown-event",
        ["NAT-EVENT-NAMES"],
        "Sends an extra event named `progress`, which the grammar does not know.",
        NativeUnknownEvent,
        {},
    ),
    (
        "native-token-repeat",
        ["NAT-TOKEN-INDEX"],
        "Sends the token event with i=0 twice.",
        NativeEventCopies,
        {"events": ("token",), "index": 0, "copies": 2},
    ),
    (
        "native-no-terminal",
        ["NAT-TERMINAL-ONCE", "BP-BURST-NO-LOSS"],
        "Closes native streams without their terminal event.",
        NativeEventCopies,
        {"events": TERMINAL, "copies": 0},
    ),
    (
        "native-token-after-end",
        ["NAT-NOTHING-AFTER-TERMINAL"],
        "Sends one more token event after the terminal event.",
        NativeTokenAfterEnd,
        {},
    ),
    (
        "native-tokens-out-wrong",
        ["NAT-END-TOKENS-OUT"],
        "Reports one token more in `end.tokens_out` than were sent.",
        NativeTokensOutWrong,
        {},
    ),
    (
        "native-extra-token",
        ["NAT-MAX-TOKENS"],
        "Sends one token beyond `max_tokens` on streams stopped by it (tokens_out kept honest).",
        NativeExtraToken,
        {},
    ),
    (
        "native-no-metrics",
        ["NAT-METRICS"],
        "Drops every metrics event (a SHOULD rule).",
        NativeEventCopies,
        {"events": ("metrics",), "copies": 0},
    ),
)
