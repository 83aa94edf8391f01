"""Faults that break the grammar of native task streams (`x-stream-grammars` native-task)."""

from __future__ import annotations

from typing import Any

from llmgw_reference.faults.base import fault
from llmgw_reference.faults.frame_rewrite import FrameRewrite, payload, with_payload
from llmgw_reference.sse import SSEFrame, event_frame

TERMINAL = ("end", "error")


@fault(
    "native-late-started",
    breaks=["NAT-FIRST-STARTED"],
    description="Sends `started` after the first token instead of first.",
)
class NativeLateStarted(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "started":
            state["started"] = frame
            return []
        if frame.event == "token" and "started" in state:
            return [frame, state.pop("started")]
        return [frame]


@fault(
    "native-started-twice",
    breaks=["NAT-STARTED-ONCE"],
    description="Sends the `started` event twice.",
)
class NativeStartedTwice(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [frame, frame] if frame.event == "started" else [frame]


@fault(
    "native-unnamed-token",
    breaks=["NAT-EVENT-NAMES"],
    description="Sends token events without their `event:` line.",
)
class NativeUnnamedToken(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "token":
            return [SSEFrame(data=frame.data)]
        return [frame]


@fault(
    "native-unknown-event",
    breaks=["NAT-EVENT-NAMES"],
    description="Sends an extra event named `progress`, which the grammar does not know.",
)
class NativeUnknownEvent(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "started":
            return [frame, event_frame("progress", {"percent": 0})]
        return [frame]


@fault(
    "native-token-repeat",
    breaks=["NAT-TOKEN-INDEX"],
    description="Sends the token event with i=0 twice.",
)
class NativeTokenRepeat(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if frame.event == "token" and body is not None and body.get("i") == 0:
            return [frame, frame]
        return [frame]


@fault(
    "native-no-terminal",
    breaks=["NAT-TERMINAL-ONCE", "BP-BURST-NO-LOSS"],
    description="Closes native streams without their terminal event.",
)
class NativeNoTerminal(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [] if frame.event in TERMINAL else [frame]


@fault(
    "native-token-after-end",
    breaks=["NAT-NOTHING-AFTER-TERMINAL"],
    description="Sends one more token event after the terminal event.",
)
class NativeTokenAfterEnd(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "token":
            state["last"] = frame
        if frame.event in TERMINAL and "last" in state:
            return [frame, state["last"]]
        return [frame]


@fault(
    "native-tokens-out-wrong",
    breaks=["NAT-END-TOKENS-OUT"],
    description="Reports one token more in `end.tokens_out` than were sent.",
)
class NativeTokensOutWrong(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if frame.event == "end" and body is not None and isinstance(body.get("tokens_out"), int):
            return [with_payload(frame, body | {"tokens_out": body["tokens_out"] + 1})]
        return [frame]


@fault(
    "native-extra-token",
    breaks=["NAT-MAX-TOKENS"],
    description="Sends one token beyond `max_tokens` on streams stopped by it (tokens_out kept honest).",
)
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


@fault(
    "native-no-metrics",
    breaks=["NAT-METRICS"],
    description="Drops every metrics event (a SHOULD rule).",
)
class NativeNoMetrics(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        return [] if frame.event == "metrics" else [frame]
