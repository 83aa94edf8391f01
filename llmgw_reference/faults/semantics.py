"""Faults that break what requests mean: limits, seeds, deadlines, validation, sessions, auth.

Most rewrite the request body before the server parses it (`request_body` hook), so the server
honestly serves a different request than the one the client sent -- exactly what a gateway that
ignores or clamps a field looks like from outside.
"""

from __future__ import annotations

import itertools
import json
import random
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from llmgw_generated.models.data import ChatCompletionRequest
from llmgw_reference.faults.base import Fault, fault
from llmgw_reference.faults.frame_rewrite import FrameRewrite, payload, with_payload
from llmgw_reference.sse import SSEFrame, event_frame

if TYPE_CHECKING:
    from llmgw_reference.auth import Principal

CHAT_FIELDS = frozenset(f.alias or n for n, f in ChatCompletionRequest.model_fields.items())
#: Documented ranges of chat fields (OAI-RANGE-*), clamped by `oai-out-of-range-accepted`.
CHAT_RANGES: dict[str, tuple[float, float]] = {
    "temperature": (0, 2),
    "top_p": (0, 1),
    "frequency_penalty": (-2, 2),
    "presence_penalty": (-2, 2),
    "top_logprobs": (0, 20),
    "n": (1, 128),
}
Body = dict[str, Any]


class BodyRewrite(Fault):
    """Rewrites JSON object bodies of requests to paths starting with `prefix`; others pass."""

    prefix = "/v1/"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return body

    def request_body(self, path: str, body: bytes) -> bytes:
        if not path.startswith(self.prefix):
            return body
        try:
            value = json.loads(body)
        except ValueError:
            return body
        if not isinstance(value, dict):
            return body
        return json.dumps(self.rewrite_body(path, value)).encode()


def _bumped(body: Body, keys: tuple[str, ...], by: int) -> Body:
    return body | {k: body[k] + by for k in keys if isinstance(body.get(k), int)}


@fault(
    "oai-unknown-field-accepted",
    breaks=["OAI-UNKNOWN-FIELD"],
    description="Silently drops chat request fields the contract does not list instead of refusing them.",
)
class OAIUnknownFieldAccepted(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return {k: v for k, v in body.items() if k in CHAT_FIELDS}


@fault(
    "oai-out-of-range-accepted",
    breaks=["OAI-RANGE-REJECT"],
    description="Clamps out-of-range chat values into their ranges instead of refusing them.",
)
class OAIOutOfRangeAccepted(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        out = dict(body)
        for key, (low, high) in CHAT_RANGES.items():
            value = out.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[key] = type(value)(min(high, max(low, value)))
        return out


@fault(
    "oai-boundary-rejected",
    breaks=["OAI-RANGE-BOUNDARY"],
    description="Refuses chat requests whose temperature is exactly 2 (a documented boundary).",
)
class OAIBoundaryRejected(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"temperature": 2.5} if body.get("temperature") == 2 else body


@fault(
    "max-tokens-exceeded",
    breaks=["NAT-MAX-TOKENS", "CHAT-MAX-TOKENS", "GEN-MAX-NEW-TOKENS"],
    description="Generates two tokens more than max_tokens / max_completion_tokens / max_new_tokens ask for.",
)
class MaxTokensExceeded(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return _bumped(body, ("max_tokens", "max_completion_tokens", "max_new_tokens"), 2)


@fault(
    "seed-ignored",
    breaks=["DET-STRICT", "CHAT-STREAM-EQUALS-JSON", "GEN-STREAM-EQUALS-JSON"],
    description="Replaces every request's seed with a random one.",
)
class SeedIgnored(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"seed": random.randrange(1, 2**31)} if "seed" in body else body


@fault(
    "deadline-ignored",
    breaks=["DL-FIRES", "DL-UNMET-REJECT"],
    description="Stretches every request's `deadline_ms` to an hour, so deadlines never fire.",
)
class DeadlineIgnored(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"deadline_ms": 3_600_000} if isinstance(body.get("deadline_ms"), int) else body


@fault(
    "unknown-model-served",
    breaks=["OAI-UNKNOWN-MODEL", "TASK-UNKNOWN-MODEL"],
    description="Serves requests for models it does not have with its first model instead of a 404.",
)
class UnknownModelServed(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        from llmgw_reference.config import Config

        known = [m.id for m in Config().models]
        for key in ("model", "model_ref"):
            if isinstance(body.get(key), str) and body[key] not in known:
                return body | {key: known[-1] if key == "model" else known[0]}
        return body


@fault(
    "duplicate-task-id-accepted",
    breaks=["TASK-DUPLICATE-ID"],
    description="Renames every submitted task, so a reused task_id is admitted again instead of 409.",
)
class DuplicateTaskIdAccepted(BodyRewrite):
    prefix = "/v1/tasks"

    def rewrite_body(self, path: str, body: Body) -> Body:
        if path.rstrip("/") != "/v1/tasks" or not isinstance(body.get("task_id"), str):
            return body
        return body | {"task_id": str(uuid.uuid4())}


@fault(
    "session-ignored",
    breaks=["SESS-TURNS", "SESS-BUDGET-DECREASE", "SESS-BUDGET-ENFORCED"],
    description="Runs every task in a fresh session, so the named one never counts turns or spends budget.",
)
class SessionIgnored(BodyRewrite):
    prefix = "/v1/tasks"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"session_id": str(uuid.uuid4())} if "session_id" in body else body


def _placement(body: Body) -> Body | None:
    placement = body.get("placement")
    return placement if isinstance(placement, dict) else None


@fault(
    "avoid-pools-pinned",
    breaks=["PLACE-AVOID"],
    description="Pins a task to the first pool it asked to avoid.",
)
class AvoidPoolsPinned(BodyRewrite):
    prefix = "/v1/tasks"

    def rewrite_body(self, path: str, body: Body) -> Body:
        placement = _placement(body)
        if placement is None or not placement.get("avoid_pools") or placement.get("mode") == "pin":
            return body
        pinned = {"mode": "pin", "pin_pool_id": placement["avoid_pools"][0]}
        return body | {"placement": pinned}


@fault(
    "unknown-pin-ignored",
    breaks=["PLACE-PIN-UNKNOWN"],
    description="Runs a task pinned to a pool that does not exist anywhere instead of refusing it.",
)
class UnknownPinIgnored(BodyRewrite):
    prefix = "/v1/tasks"

    def rewrite_body(self, path: str, body: Body) -> Body:
        placement = _placement(body)
        if placement is None or not placement.get("pin_pool_id"):
            return body
        return body | {"placement": placement | {"pin_pool_id": "default"}}


@fault(
    "rerank-top-n-ignored",
    breaks=["RERANK-ORDER"],
    description="Drops `top_n` from rerank requests, so every document is returned.",
)
class RerankTopNIgnored(BodyRewrite):
    prefix = "/v1/rerank"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return {k: v for k, v in body.items() if k != "top_n"}


@fault(
    "fake-stop-after-failure",
    breaks=["ERR-NO-FAKE-STOP"],
    description="Cuts every second native stream after two tokens and ends it `stop`, as if it had finished.",
)
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


@fault(
    "midstream-error-not-terminal",
    breaks=["ERR-MIDSTREAM-EVENT"],
    description="Follows a native mid-stream `error` event with an `end` event (the error is not terminal).",
)
class MidstreamErrorNotTerminal(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        if frame.event != "error":
            return [frame]
        return [frame, event_frame("end", {"finish_reason": "stop", "tokens_out": 0})]


@fault(
    "midstream-error-as-token",
    breaks=["DL-FIRES"],
    description="Sends a native mid-stream error as a token holding its message, then a normal end.",
)
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


@fault(
    "auth-scope-ignored",
    breaks=["AUTH-SCOPE"],
    description="Gives every valid key every scope (unknown and missing keys are still refused).",
)
class AuthScopeIgnored(Fault):
    def authenticate(self, principal: Principal | None) -> Principal | None:
        from llmgw_reference.auth import Principal
        from llmgw_reference.config import ALL_SCOPES

        if principal is None:
            return None
        return Principal(key_label=principal.key_label, scopes=frozenset(ALL_SCOPES))


@fault(
    "oai-developer-rejected",
    breaks=["OAI-DEVELOPER-ROLE"],
    description="Refuses chat messages with role `developer` (treats it as an unknown role).",
)
class OAIDeveloperRejected(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        messages = body.get("messages")
        if not isinstance(messages, list):
            return body
        renamed = [
            m | {"role": "coder"} if isinstance(m, dict) and m.get("role") == "developer" else m
            for m in messages
        ]
        return body | {"messages": renamed}


@fault(
    "unknown-lora-accepted",
    breaks=["OAI-UNKNOWN-LORA"],
    description="Serves chat requests naming an unknown `lora_adapter` with the base model.",
)
class UnknownLoraAccepted(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        from llmgw_reference.config import Config

        known = {a for m in Config().models for a in m.lora_adapters}
        if "lora_adapter" in body and body["lora_adapter"] not in known:
            return {k: v for k, v in body.items() if k != "lora_adapter"}
        return body


@fault(
    "unready-pin-falls-back",
    breaks=["PLACE-PIN-UNREADY"],
    description="Runs tasks pinned to an unready pool elsewhere, as if `allow_fallback` were true.",
)
class UnreadyPinFallsBack(BodyRewrite):
    prefix = "/v1/tasks"

    def rewrite_body(self, path: str, body: Body) -> Body:
        placement = _placement(body)
        if placement is None or placement.get("mode") != "pin" or placement.get("allow_fallback"):
            return body
        return body | {"placement": placement | {"allow_fallback": True}}


@fault(
    "n-stream-single-choice",
    breaks=["OAI-N-STREAM"],
    description="Streams one choice for a streamed request with `n` > 1 (neither refused nor n choices).",
)
class NStreamSingleChoice(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        if body.get("stream") is True and isinstance(body.get("n"), int) and body["n"] > 1:
            return {k: v for k, v in body.items() if k != "n"}
        return body


@fault(
    "cancel-reported-as-stop",
    breaks=["CANCEL-EXPLICIT"],
    description="Ends a cancelled native stream with `finish_reason` stop instead of cancelled.",
)
class CancelReportedAsStop(FrameRewrite):
    def rewrite(self, frame: SSEFrame, state: dict[str, Any]) -> list[SSEFrame]:
        body = payload(frame)
        if frame.event == "end" and body is not None and body.get("finish_reason") == "cancelled":
            return [with_payload(frame, body | {"finish_reason": "stop"})]
        return [frame]
