"""The stream faults of :mod:`llmgw_reference.faults.semantics`: streams that end with what did not happen.

Why apart: these change what a stream says about how its task ended (a failure reported as `stop`,
an error that is not terminal, a cancelled task that claims to have finished); they are registered
in that module's table, in the catalogue's order, beside the faults that change what requests mean.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from llmgw_reference.faults.frame_rewrite import FrameRewrite, payload, with_payload
from llmgw_reference.sse import SSEFrame, event_frame


class FakeStopAfterFailure(FrameRewrite):
    _n: Callable[[], int] = itertools.count().__next__

    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event == "started":
            state["cut"] = self._n() % 2 == 1
        if not state.get("cut"):
            return [frame]
        body = payload(frame)
        if frame.event == "token" and body is not None and body.get("i", 0) >= 2:
            return []
        if frame.event in ("end", "error"):
            end = {"finish_reason": "stop", "tokens_out": 2}
            return [
                event_frame("end", (body or {}) | end) if frame.event == "end" else event_frame("end", end)
            ]
        return [frame]


class MidstreamErrorNotTerminal(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event != "error":
            return [frame]
        return [frame, event_frame("end", {"finish_reason": "stop", "tokens_out": 0})]


class MidstreamErrorAsToken(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if frame.event == "token" and body is not None:
            state["next"] = int(body.get("i", -1)) + 1
        if frame.event != "error" or body is None:
            return [frame]
        i = state.get("next", 0)
        token = event_frame("token", {"i": i, "text": f"[error: {body.get('message', '')}]"})
        return [token, with_payload(SSEFrame(event="end"), {"finish_reason": "stop", "tokens_out": i + 1})]


class CancelReportedAsStop(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if frame.event == "end" and body is not None and body.get("finish_reason") == "cancelled":
            return [with_payload(frame, body | {"finish_reason": "stop"})]
        return [frame]
