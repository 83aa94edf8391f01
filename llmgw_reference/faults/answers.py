"""Faults that break the JSON answers that describe the server and serve the OpenAI surface.

Health, capabilities, capacity, pagination, models, embeddings and chat: each fault rewrites the
answer a handler built (`json_answer` hook), so it is the server telling the client something the
contract forbids while doing the work correctly.  The native resources' answers (tasks, pools,
catalog, sessions) are broken in :mod:`llmgw_reference.faults.resource_answers`.
"""

from __future__ import annotations

import base64
import re
import struct
from typing import Any
from urllib.parse import parse_qs

from llmgw_reference.faults.base import Fault, fault
from llmgw_reference.faults.frame_rewrite import usage_total_plus_one

Body = dict[str, Any]
Answer = tuple[int, Body]
LIST_PATH = re.compile(r"^/v1/(catalog/models|pools)/?$")


def listed_items(body: Body) -> list[Any] | None:
    """The `data` list of a list answer (None when the answer is not one)."""
    data = body.get("data")
    return data if isinstance(data, list) else None


@fault("health-not-ok", breaks=["HEALTH-LIVE"], description="Answers /healthz with status `fine`.")
class HealthNotOk(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        return (status, body | {"status": "fine"}) if path == "/healthz" else (status, body)


@fault("capabilities-api-v2", breaks=["CAP-SHAPE"], description="Claims api_version 2.0 in capabilities.")
class CapabilitiesApiV2(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        return (status, body | {"api_version": "2.0"}) if path == "/v1/capabilities" else (status, body)


@fault(
    "capabilities-hide-synthetic",
    breaks=["CAP-SYNTHETIC-HONEST"],
    description="Claims its synthetic engines are real (`implementation.synthetic` false).",
)
class CapabilitiesHideSynthetic(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if path != "/v1/capabilities" or not isinstance(body.get("engines"), list):
            return status, body
        engines = [
            e | {"implementation": e.get("implementation", {}) | {"synthetic": False}}
            for e in body["engines"]
        ]
        return status, body | {"engines": engines}


@fault(
    "claimed-profile-unserved",
    breaks=["CAP-PROFILES-HONEST"],
    description="Claims the rerank profile but answers /v1/rerank with 404.",
)
class ClaimedProfileUnserved(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if path != "/v1/rerank":
            return status, body
        return 404, {"code": "INVALID_PARAMS", "reason": "NOT_FOUND", "message": "No operation here."}


@fault(
    "capacity-inconsistent",
    breaks=["CAP-CAPACITY-CONSISTENT"],
    description="Reports a first worker running one task more than its slots.",
)
class CapacityInconsistent(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        workers = body.get("workers")
        if path != "/v1/capacity" or not isinstance(workers, list) or not workers:
            return status, body
        first = workers[0] | {"active_tasks": int(workers[0].get("slots", 0)) + 1}
        return status, body | {"workers": [first, *workers[1:]]}


@fault(
    "page-duplicates",
    breaks=["PAGE-CURSOR"],
    description="Repeats the previous page's last item at the start of every page after the first.",
)
class PageDuplicates(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        if not LIST_PATH.match(path) or items is None or "cursor" not in parse_qs(query) or not items:
            return status, body
        return status, body | {"data": [items[0], *items]}


@fault(
    "page-over-limit",
    breaks=["PAGE-LIMIT"],
    description="Sends one item more than `limit` on full pages (the first item twice).",
)
class PageOverLimit(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        limit = parse_qs(query).get("limit", [""])[0]
        if not LIST_PATH.match(path) or items is None or not limit.isdigit() or len(items) != int(limit):
            return status, body
        return status, body | {"data": [*items, items[0]]}


@fault(
    "models-list-ghost",
    breaks=["OAI-MODELS-LIST"],
    description="Lists a model in /v1/models that chat cannot use.",
)
class ModelsListGhost(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        if path != "/v1/models" or items is None:
            return status, body
        ghost = {"id": "ghost-model", "object": "model", "created": 0, "owned_by": "nobody"}
        return status, body | {"data": [*items, ghost]}


@fault(
    "embeddings-reversed",
    breaks=["EMB-ONE-PER-INPUT"],
    description="Returns embeddings in reverse input order (indexes n-1..0).",
)
class EmbeddingsReversed(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        if path != "/v1/embeddings" or items is None or len(items) < 2:
            return status, body
        return status, body | {"data": [e | {"index": i} for i, e in enumerate(reversed(items))]}


@fault(
    "embeddings-usage-wrong",
    breaks=["EMB-USAGE"],
    description="Reports embeddings usage with total_tokens one more than prompt_tokens.",
)
class EmbeddingsUsageWrong(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        wrong = usage_total_plus_one(body) if path == "/v1/embeddings" else None
        return status, body if wrong is None else wrong


@fault(
    "embeddings-base64-big-endian",
    breaks=["EMB-BASE64"],
    description="Encodes base64 embeddings as big-endian float32 (clients decode little-endian).",
)
class EmbeddingsBase64BigEndian(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        for item in (listed_items(body) or []) if path == "/v1/embeddings" else []:
            if isinstance(item, dict) and isinstance(item.get("embedding"), str):  # base64 was asked for
                raw = base64.b64decode(item["embedding"])
                floats = struct.unpack(f"<{len(raw) // 4}f", raw)
                item["embedding"] = base64.b64encode(struct.pack(f">{len(floats)}f", *floats)).decode()
        return status, body


def _chat_choices(path: str, body: Body) -> list[Body] | None:
    choices = body.get("choices")
    if (
        path != "/v1/chat/completions"
        or body.get("object") != "chat.completion"
        or not isinstance(choices, list)
    ):
        return None
    return choices


@fault("chat-n-ignored", breaks=["CHAT-N-CHOICES"], description="Returns one choice whatever `n` asks for.")
class ChatNIgnored(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        choices = _chat_choices(path, body)
        return (status, body | {"choices": choices[:1]}) if choices else (status, body)


@fault(
    "chat-tool-finish-stop",
    breaks=["CHAT-TOOL-FINISH"],
    description="Ends JSON chat choices that carry tool calls with `finish_reason` stop.",
)
class ChatToolFinishStop(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        choices = _chat_choices(path, body)
        if not choices:
            return status, body
        fixed = [
            c | {"finish_reason": "stop"} if c.get("finish_reason") == "tool_calls" else c for c in choices
        ]
        return status, body | {"choices": fixed}


@fault(
    "chat-logprob-positive",
    breaks=["CHAT-LOGPROBS"],
    description="Reports every token's logprob as 0.5 (above 0) in JSON chat answers.",
)
class ChatLogprobPositive(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        choices = _chat_choices(path, body)
        if not choices:
            return status, body
        out = []
        for choice in choices:
            content = (choice.get("logprobs") or {}).get("content")
            if isinstance(content, list):
                choice = choice | {"logprobs": {"content": [t | {"logprob": 0.5} for t in content]}}
            out.append(choice)
        return status, body | {"choices": out}
