"""A gateway that changes the worker's tokens: the fault the differential mode of the suite proves.

Why this fault: a gateway that re-encodes streams can alter what its worker produced while every
frame stays well formed, every count and usage stays right and the finish reason is kept. The
differential run (``llm-gateway-conformance compare GATEWAY WORKER``) shows it as a text difference
with the first differing token; ``--role gateway`` with this fault in front of a clean worker is the
case its tests build.

Why ``breaks`` names the stream-equals-JSON rules: a fault must make the kill matrix's single-target
run fail (tools/killmatrix runs the suite on the profiles of ``breaks``), and no conformance rule is
about a second target. This gateway alters *streamed* answers only, the way a buggy stream
re-encoder does, so the one target's stream no longer equals its own non-streamed answer to the same
seeded request: CHAT-STREAM-EQUALS-JSON and GEN-STREAM-EQUALS-JSON fail, which is true of this fault
and kills it in the matrix. A change made alike to streamed and JSON answers would break no
single-target rule at all; only a differential run can see it.
"""

from __future__ import annotations

import re
from typing import Any

from llmgw_reference.faults.base import fault
from llmgw_reference.faults.frame_rewrite import (
    FrameRewrite,
    is_chat_chunk,
    is_generate_chunk,
    payload,
    with_payload,
)
from llmgw_reference.sse import SSEFrame

#: The index of the streamed token that is changed (0-based, counting non-empty text pieces).
CHANGED_TOKEN_INDEX = 2
#: What the changed token's text becomes (its leading whitespace is kept, so token counts hold).
REPLACEMENT = "gateway"
_LEADING_SPACE = re.compile(r"^\s*")


def changed_token(token: str) -> str:
    """``token`` with its word replaced, whitespace kept; never equal to ``token``."""
    lead = _LEADING_SPACE.match(token)
    space = lead.group() if lead else ""
    word = REPLACEMENT if token[len(space) :] != REPLACEMENT else "worker"
    return space + word


@fault(
    "gateway-token-changed",
    breaks=["CHAT-STREAM-EQUALS-JSON", "GEN-STREAM-EQUALS-JSON"],
    description=f"Changes streamed token {CHANGED_TOKEN_INDEX} of chat and generate streams (counts kept).",
)
class GatewayTokenChanged(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if is_chat_chunk(body) and body is not None:
            choices = body.get("choices") or []
            delta = choices[0].get("delta") if choices and isinstance(choices[0], dict) else None
            if isinstance(delta, dict) and isinstance(delta.get("content"), str) and delta["content"]:
                delta["content"] = self._next(delta["content"], state)
                return [with_payload(frame, body)]
        elif is_generate_chunk(body) and body is not None:
            text = body.get("text_delta")
            if isinstance(text, str) and text:
                return [with_payload(frame, body | {"text_delta": self._next(text, state)})]
        return [frame]

    @staticmethod
    def _next(token: str, state: dict[str, Any]) -> str:
        index = state.get("tokens", 0)
        state["tokens"] = index + 1
        return changed_token(token) if index == CHANGED_TOKEN_INDEX else token
