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
from urllib.parse import parse_qs

from llmgw_reference.faults.answer_rewrite import Answer, AnswerKeySet, Body, listed_items
from llmgw_reference.faults.base import Fault, register_faults
from llmgw_reference.faults.frame_rewrite import usage_total_plus_one

LIST_PATH = re.compile(r"^/v1/(catalog/models|pools)/?$")


class CapabilitiesHideSynthetic(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if path != "/v1/capabilities" or not isinstance(body.get("engines"), list):
            return status, body
        engines = [
            e | {"implementation": e.get("implementation", {}) | {"synthetic": False}}
            for e in body["engines"]
        ]
        return status, body | {"engines": engines}


class ClaimedProfileUnserved(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if path != "/v1/rerank":
            return status, body
        return 404, {"code": "INVALID_PARAMS", "reason": "NOT_FOUND", "message": "No operation here."}


class CapacityInconsistent(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        workers = body.get("workers")
        if path != "/v1/capacity" or not isinstance(workers, list) or not workers:
            return status, body
        first = workers[0] | {"active_tasks": int(workers[0].get("slots", 0)) + 1}
        return status, body | {"workers": [first, *workers[1:]]}


class PageDuplicates(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        if not LIST_PATH.match(path) or items is None or "cursor" not in parse_qs(query) or not items:
            return status, body
        return status, body | {"data": [items[0], *items]}


class PageOverLimit(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        limit = parse_qs(query).get("limit", [""])[0]
        if not LIST_PATH.match(path) or items is None or not limit.isdigit() or len(items) != int(limit):
            return status, body
        return status, body | {"data": [*items, items[0]]}


class ModelsListGhost(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        if path != "/v1/models" or items is None:
            return status, body
        ghost = {"id": "ghost-model", "object": "model", "created": 0, "owned_by": "nobody"}
        return status, body | {"data": [*items, ghost]}


class EmbeddingsReversed(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        items = listed_items(body)
        if path != "/v1/embeddings" or items is None or len(items) < 2:
            return status, body
        return status, body | {"data": [e | {"index": i} for i, e in enumerate(reversed(items))]}


class EmbeddingsUsageWrong(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        wrong = usage_total_plus_one(body) if path == "/v1/embeddings" else None
        return status, body if wrong is None else wrong


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


class ChatNIgnored(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        choices = _chat_choices(path, body)
        return (status, body | {"choices": choices[:1]}) if choices else (status, body)


class ChatUsageOneChoice(Fault):
    """Reports the completion tokens of one choice, as llama-server does with ``n`` above 1."""

    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        choices, usage = _chat_choices(path, body), body.get("usage")
        if not choices or len(choices) < 2 or not isinstance(usage, dict):
            return status, body
        one = int(usage.get("completion_tokens") or 0) // len(choices)
        total = int(usage.get("prompt_tokens") or 0) + one  # still consistent: only the sum is wrong
        return status, body | {"usage": usage | {"completion_tokens": one, "total_tokens": total}}


class ChatToolFinishStop(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        choices = _chat_choices(path, body)
        if not choices:
            return status, body
        fixed = [
            c | {"finish_reason": "stop"} if c.get("finish_reason") == "tool_calls" else c for c in choices
        ]
        return status, body | {"choices": fixed}


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


register_faults(
    (
        "health-not-ok",
        ["HEALTH-LIVE"],
        "Answers /healthz with status `fine`.",
        AnswerKeySet,
        {"path": re.compile("/healthz"), "key": "status", "value": "fine"},
    ),
    (
        "capabilities-api-v2",
        ["CAP-SHAPE"],
        "Claims api_version 2.0 in capabilities.",
        AnswerKeySet,
        {"path": re.compile("/v1/capabilities"), "key": "api_version", "value": "2.0"},
    ),
    (
        "capabilities-hide-synthetic",
        ["CAP-SYNTHETIC-HONEST"],
        "Claims its synthetic engines are real (`implementation.synthetic` false).",
        CapabilitiesHideSynthetic,
        {},
    ),
    (
        "claimed-profile-unserved",
        ["CAP-PROFILES-HONEST"],
        "Claims the rerank profile but answers /v1/rerank with 404.",
        ClaimedProfileUnserved,
        {},
    ),
    (
        "capacity-inconsistent",
        ["CAP-CAPACITY-CONSISTENT"],
        "Reports a first worker running one task more than its slots.",
        CapacityInconsistent,
        {},
    ),
    (
        "page-duplicates",
        ["PAGE-CURSOR"],
        "Repeats the previous page's last item at the start of every page after the first.",
        PageDuplicates,
        {},
    ),
    (
        "page-over-limit",
        ["PAGE-LIMIT"],
        "Sends one item more than `limit` on full pages (the first item twice).",
        PageOverLimit,
        {},
    ),
    (
        "models-list-ghost",
        ["OAI-MODELS-LIST"],
        "Lists a model in /v1/models that chat cannot use.",
        ModelsListGhost,
        {},
    ),
    (
        "embeddings-reversed",
        ["EMB-ONE-PER-INPUT"],
        "Returns embeddings in reverse input order (indexes n-1..0).",
        EmbeddingsReversed,
        {},
    ),
    (
        "embeddings-usage-wrong",
        ["EMB-USAGE"],
        "Reports embeddings usage with total_tokens one more than prompt_tokens.",
        EmbeddingsUsageWrong,
        {},
    ),
    (
        "embeddings-base64-big-endian",
        ["EMB-BASE64"],
        "Encodes base64 embeddings as big-endian float32 (clients decode little-endian).",
        EmbeddingsBase64BigEndian,
        {},
    ),
    (
        "chat-n-ignored",
        ["CHAT-N-CHOICES"],
        "Returns one choice whatever `n` asks for.",
        ChatNIgnored,
        {},
    ),
    (
        "chat-tool-finish-stop",
        ["CHAT-TOOL-FINISH"],
        "Ends JSON chat choices that carry tool calls with `finish_reason` stop.",
        ChatToolFinishStop,
        {},
    ),
    (
        "chat-logprob-positive",
        ["CHAT-LOGPROBS"],
        "Reports every token's logprob as 0.5 (above 0) in JSON chat answers.",
        ChatLogprobPositive,
        {},
    ),
    (
        "n-usage-one-choice",
        ["OAI-N-USAGE"],
        "Reports `usage.completion_tokens` of one choice only in JSON chat answers with `n` > 1.",
        ChatUsageOneChoice,
        {},
    ),
)
