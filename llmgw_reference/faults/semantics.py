"""Faults that break what requests mean: limits, seeds, deadlines, validation, sessions, auth.

Most rewrite the request body before the server parses it (`request_body` hook), so the server
honestly serves a different request than the one the client sent -- exactly what a gateway that
ignores or clamps a field looks like from outside. The module's faults are registered from one
table at its end, in the catalogue's order (the stream ones are in :mod:`.stream_endings`).
"""

from __future__ import annotations

import json
import random
import uuid
from typing import TYPE_CHECKING, Any

from llmgw_generated.models.data import ChatCompletionRequest
from llmgw_reference.faults.base import Fault, register_faults
from llmgw_reference.faults.stream_endings import (
    CancelReportedAsStop,
    FakeStopAfterFailure,
    MidstreamErrorAsToken,
    MidstreamErrorNotTerminal,
)

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


class OAIUnknownFieldAccepted(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return {k: v for k, v in body.items() if k in CHAT_FIELDS}


class OAIOutOfRangeAccepted(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        out = dict(body)
        for key, (low, high) in CHAT_RANGES.items():
            value = out.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[key] = type(value)(min(high, max(low, value)))
        return out


class OAIBoundaryRejected(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"temperature": 2.5} if body.get("temperature") == 2 else body


class MaxTokensExceeded(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return _bumped(body, ("max_tokens", "max_completion_tokens", "max_new_tokens"), 2)


class SeedIgnored(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"seed": random.randrange(1, 2**31)} if "seed" in body else body


class DeadlineIgnored(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"deadline_ms": 3_600_000} if isinstance(body.get("deadline_ms"), int) else body


class UnknownModelServed(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        from llmgw_reference.config import Config

        known = [m.id for m in Config().models]
        for key in ("model", "model_ref"):
            if isinstance(body.get(key), str) and body[key] not in known:
                return body | {key: known[-1] if key == "model" else known[0]}
        return body


class DuplicateTaskIdAccepted(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        if path.rstrip("/") != "/v1/tasks" or not isinstance(body.get("task_id"), str):
            return body
        return body | {"task_id": str(uuid.uuid4())}


class SessionIgnored(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        return body | {"session_id": str(uuid.uuid4())} if "session_id" in body else body


def _placement(body: Body) -> Body | None:
    placement = body.get("placement")
    return placement if isinstance(placement, dict) else None


class AvoidPoolsPinned(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        placement = _placement(body)
        if placement is None or not placement.get("avoid_pools") or placement.get("mode") == "pin":
            return body
        pinned = {"mode": "pin", "pin_pool_id": placement["avoid_pools"][0]}
        return body | {"placement": pinned}


class UnknownPinIgnored(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        placement = _placement(body)
        if placement is None or not placement.get("pin_pool_id"):
            return body
        return body | {"placement": placement | {"pin_pool_id": "default"}}


class RequestFieldsDropped(BodyRewrite):
    """Drops the fields `dropped` from requests: the server serves them as if they were never sent."""

    dropped: tuple[str, ...] = ()

    def rewrite_body(self, path: str, body: Body) -> Body:
        return {k: v for k, v in body.items() if k not in self.dropped}


class AuthScopeIgnored(Fault):
    def authenticate(self, principal: Principal | None) -> Principal | None:
        from llmgw_reference.auth import Principal
        from llmgw_reference.config import ALL_SCOPES

        if principal is None:
            return None
        return Principal(key_label=principal.key_label, scopes=frozenset(ALL_SCOPES))


class OAIDeveloperRejected(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        messages = body.get("messages")
        if not isinstance(messages, list):
            return body
        renamed = [
            m | {"role": "coder"} if isinstance(m, dict) and m.get("role") == "developer" else m
            for m in messages
        ]
        return body | {"messages": renamed}


class UnknownLoraAccepted(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        from llmgw_reference.config import Config

        known = {a for m in Config().models for a in m.lora_adapters}
        if "lora_adapter" in body and body["lora_adapter"] not in known:
            return {k: v for k, v in body.items() if k != "lora_adapter"}
        return body


class UnreadyPinFallsBack(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        placement = _placement(body)
        if placement is None or placement.get("mode") != "pin" or placement.get("allow_fallback"):
            return body
        return body | {"placement": placement | {"allow_fallback": True}}


class NStreamSingleChoice(BodyRewrite):
    def rewrite_body(self, path: str, body: Body) -> Body:
        if body.get("stream") is True and isinstance(body.get("n"), int) and body["n"] > 1:
            return {k: v for k, v in body.items() if k != "n"}
        return body


register_faults(
    (
        "oai-unknown-field-accepted",
        ["OAI-UNKNOWN-FIELD"],
        "Silently drops chat request fields the contract does not list instead of refusing them.",
        OAIUnknownFieldAccepted,
        {"prefix": "/v1/chat/completions"},
    ),
    (
        "oai-out-of-range-accepted",
        ["OAI-RANGE-REJECT"],
        "Clamps out-of-range chat values into their ranges instead of refusing them.",
        OAIOutOfRangeAccepted,
        {"prefix": "/v1/chat/completions"},
    ),
    (
        "oai-boundary-rejected",
        ["OAI-RANGE-BOUNDARY"],
        "Refuses chat requests whose temperature is exactly 2 (a documented boundary).",
        OAIBoundaryRejected,
        {"prefix": "/v1/chat/completions"},
    ),
    (
        "max-tokens-exceeded",
        ["NAT-MAX-TOKENS", "CHAT-MAX-TOKENS", "GEN-MAX-NEW-TOKENS"],
        "Generates two tokens more than max_tokens / max_completion_tokens / max_new_tokens ask for.",
        MaxTokensExceeded,
        {},
    ),
    (
        "seed-ignored",
        ["DET-STRICT", "CHAT-STREAM-EQUALS-JSON", "GEN-STREAM-EQUALS-JSON"],
        "Replaces every request's seed with a random one.",
        SeedIgnored,
        {},
    ),
    (
        "deadline-ignored",
        ["DL-FIRES", "DL-UNMET-REJECT"],
        "Stretches every request's `deadline_ms` to an hour, so deadlines never fire.",
        DeadlineIgnored,
        {},
    ),
    (
        "unknown-model-served",
        ["OAI-UNKNOWN-MODEL", "TASK-UNKNOWN-MODEL"],
        "Serves requests for models it does not have with its first model instead of a 404.",
        UnknownModelServed,
        {},
    ),
    (
        "duplicate-task-id-accepted",
        ["TASK-DUPLICATE-ID"],
        "Renames every submitted task, so a reused task_id is admitted again instead of 409.",
        DuplicateTaskIdAccepted,
        {"prefix": "/v1/tasks"},
    ),
    (
        "session-ignored",
        ["SESS-TURNS", "SESS-BUDGET-DECREASE", "SESS-BUDGET-ENFORCED"],
        "Runs every task in a fresh session, so the named one never counts turns or spends budget.",
        SessionIgnored,
        {"prefix": "/v1/tasks"},
    ),
    (
        "avoid-pools-pinned",
        ["PLACE-AVOID"],
        "Pins a task to the first pool it asked to avoid.",
        AvoidPoolsPinned,
        {"prefix": "/v1/tasks"},
    ),
    (
        "unknown-pin-ignored",
        ["PLACE-PIN-UNKNOWN"],
        "Runs a task pinned to a pool that does not exist anywhere instead of refusing it.",
        UnknownPinIgnored,
        {"prefix": "/v1/tasks"},
    ),
    (
        "rerank-top-n-ignored",
        ["RERANK-ORDER"],
        "Drops `top_n` from rerank requests, so every document is returned.",
        RequestFieldsDropped,
        {"prefix": "/v1/rerank", "dropped": ("top_n",)},
    ),
    (
        "fake-stop-after-failure",
        ["ERR-NO-FAKE-STOP"],
        "Cuts every second native stream after two tokens and ends it `stop`, as if it had finished.",
        FakeStopAfterFailure,
        {},
    ),
    (
        "midstream-error-not-terminal",
        ["ERR-MIDSTREAM-EVENT"],
        "Follows a native mid-stream `error` event with an `end` event (the error is not terminal).",
        MidstreamErrorNotTerminal,
        {},
    ),
    (
        "midstream-error-as-token",
        ["DL-FIRES"],
        "Sends a native mid-stream error as a token holding its message, then a normal end.",
        MidstreamErrorAsToken,
        {},
    ),
    (
        "auth-scope-ignored",
        ["AUTH-SCOPE"],
        "Gives every valid key every scope (unknown and missing keys are still refused).",
        AuthScopeIgnored,
        {},
    ),
    (
        "oai-developer-rejected",
        ["OAI-DEVELOPER-ROLE"],
        "Refuses chat messages with role `developer` (treats it as an unknown role).",
        OAIDeveloperRejected,
        {"prefix": "/v1/chat/completions"},
    ),
    (
        "unknown-lora-accepted",
        ["OAI-UNKNOWN-LORA"],
        "Serves chat requests naming an unknown `lora_adapter` with the base model.",
        UnknownLoraAccepted,
        {"prefix": "/v1/chat/completions"},
    ),
    (
        "unready-pin-falls-back",
        ["PLACE-PIN-UNREADY"],
        "Runs tasks pinned to an unready pool elsewhere, as if `allow_fallback` were true.",
        UnreadyPinFallsBack,
        {"prefix": "/v1/tasks"},
    ),
    (
        "n-stream-single-choice",
        ["OAI-N-STREAM"],
        "Streams one choice for a streamed request with `n` > 1 (neither refused nor n choices).",
        NStreamSingleChoice,
        {"prefix": "/v1/chat/completions"},
    ),
    (
        "cancel-reported-as-stop",
        ["CANCEL-EXPLICIT"],
        "Ends a cancelled native stream with `finish_reason` stop instead of cancelled.",
        CancelReportedAsStop,
        {},
    ),
)
