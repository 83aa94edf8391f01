"""Faults that break the JSON answers: control plane, pagination, capacity, models, embeddings, chat.

They rewrite the answer a handler built (`json_answer` hook), so each one is the server telling
the client something the contract forbids while doing the work correctly.
"""

from __future__ import annotations

import base64
import re
import struct
from typing import Any
from urllib.parse import parse_qs

from llmgw_reference.faults.base import Fault, fault

Body = dict[str, Any]
Answer = tuple[int, Body]
LIST_PATH = re.compile(r"^/v1/(catalog/models|pools)/?$")


def _items(body: Body) -> list[Any] | None:
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
        items = _items(body)
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
        items = _items(body)
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
        items = _items(body)
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
        items = _items(body)
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
        usage = body.get("usage")
        if (
            path != "/v1/embeddings"
            or not isinstance(usage, dict)
            or not isinstance(usage.get("total_tokens"), int)
        ):
            return status, body
        return status, body | {"usage": usage | {"total_tokens": usage["total_tokens"] + 1}}


@fault(
    "embeddings-base64-big-endian",
    breaks=["EMB-BASE64"],
    description="Encodes base64 embeddings as big-endian float32 (clients decode little-endian).",
)
class EmbeddingsBase64BigEndian(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        for item in (_items(body) or []) if path == "/v1/embeddings" else []:
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


@fault(
    "task-admission-wrong-id",
    breaks=["TASK-ADMISSION"],
    description="Answers a task submission with another task_id than the request's.",
)
class TaskAdmissionWrongId(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if method != "POST" or path.rstrip("/") != "/v1/tasks" or status != 202:
            return status, body
        return status, body | {"task_id": "00000000-0000-4000-8000-000000000000"}


@fault(
    "capacity-schema-broken",
    breaks=["RESP-SCHEMA"],
    description="Sends capacity with `gpu_count` as a string.",
)
class CapacitySchemaBroken(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if path != "/v1/capacity" or "gpu_count" not in body:
            return status, body
        return status, body | {"gpu_count": str(body["gpu_count"])}


@fault(
    "pool-created-200",
    breaks=["POOL-CRUD"],
    description="Answers the creation of a new pool with 200 instead of 201.",
)
class PoolCreated200(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        return (
            (200, body)
            if method == "PUT" and path.startswith("/v1/pools/") and status == 201
            else (status, body)
        )


@fault(
    "catalog-digest-altered",
    breaks=["CAT-REGISTER-DIGEST"],
    description="Reports another digest than the registered one for models it registers.",
)
class CatalogDigestAltered(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if method != "POST" or not path.startswith("/v1/catalog/models") or status not in (200, 201):
            return status, body
        return status, body | {"digest": "sha256:" + "0" * 64}


@fault(
    "catalog-reregister-201",
    breaks=["CAT-REGISTER-IDEMPOTENT"],
    description="Answers the repeated registration of the same model with 201, as if it were new.",
)
class CatalogReregister201(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if method == "POST" and path.startswith("/v1/catalog/models") and status == 200:
            return 201, body
        return status, body


@fault(
    "catalog-state-stuck",
    breaks=["CAT-STATE-TRANSITION"],
    description="Reports every catalog model as Active, whatever state it was moved to.",
)
class CatalogStateStuck(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if not path.startswith("/v1/catalog/models") or status >= 300:
            return status, body
        items = _items(body)
        if items is not None:
            return status, body | {"data": [m | {"state": "Active"} if "state" in m else m for m in items]}
        return (status, body | {"state": "Active"}) if "state" in body else (status, body)


POOL_PATH = re.compile(r"^/v1/pools/([^/]+)$")
SESSION_PATH = re.compile(r"^/v1/sessions/([^/]+)$")


@fault(
    "deleted-pool-still-found",
    breaks=["POOL-DELETE"],
    description="Answers GET of a pool that does not exist with 200 and an empty pool.",
)
class DeletedPoolStillFound(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        found = POOL_PATH.match(path)
        if method != "GET" or status != 404 or found is None:
            return status, body
        state = {"state": "ready", "ready": True, "assigned": {}, "workers": []}
        return 200, {"id": found.group(1), "spec": {"gpus": {}}, "status": state}


@fault(
    "ended-session-still-found",
    breaks=["SESS-END", "SESS-TTL-EXPIRES"],
    description="Answers GET of a session that is not open (ended or expired) with 200.",
)
class EndedSessionStillFound(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        found = SESSION_PATH.match(path)
        if method != "GET" or status != 404 or found is None:
            return status, body
        return 200, {"session_id": found.group(1), "turns": 0, "kv_warmth": False, "kv_bytes": 0}


def _rewrite_pool_status(body: Body, change: Any) -> Body:
    """`body` with `change` applied to every pool status in it (a pool, a status, or a list)."""
    if "ready" in body and "assigned" in body:
        return dict(change(body))
    if isinstance(body.get("status"), dict):
        return body | {"status": change(body["status"])}
    items = _items(body)
    if items is not None:
        return body | {"data": [_rewrite_pool_status(p, change) if isinstance(p, dict) else p for p in items]}
    return body


@fault(
    "pool-ready-flipped",
    breaks=["POOL-READY-MEANS-GPUS"],
    description="Reports every pool's `ready` as the opposite of what its workers say.",
)
class PoolReadyFlipped(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if not path.startswith("/v1/pools") or status >= 300:
            return status, body
        return status, _rewrite_pool_status(body, lambda s: s | {"ready": not s.get("ready")})


@fault(
    "pool-over-caps",
    breaks=["POOL-CAPS-ENFORCED"],
    description="Reports 64 more workers of each assigned machine profile than a pool has.",
)
class PoolOverCaps(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if not path.startswith("/v1/pools") or status >= 300:
            return status, body

        def inflate(s: Body) -> Body:
            assigned = s.get("assigned")
            if not isinstance(assigned, dict):
                return s
            return s | {"assigned": {k: int(v) + 64 for k, v in assigned.items()}}

        return status, _rewrite_pool_status(body, inflate)


def _task_result(method: str, path: str, status: int, body: Body, kind: str) -> Body | None:
    result = body.get("result")
    if method != "GET" or not path.startswith("/v1/tasks/") or status != 200 or not isinstance(result, dict):
        return None
    return result if result.get("kind") == kind else None


@fault(
    "task-embeddings-reversed",
    breaks=["TASK-EMBED-RESULT"],
    description="Reports an embedding task's vectors in reverse input order.",
)
class TaskEmbeddingsReversed(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        result = _task_result(method, path, status, body, "embedding")
        if result is None or not isinstance(result.get("embeddings"), list) or len(result["embeddings"]) < 2:
            return status, body
        return status, body | {"result": result | {"embeddings": list(reversed(result["embeddings"]))}}


@fault(
    "task-ranking-reversed",
    breaks=["TASK-RERANK-RESULT"],
    description="Reports a rerank task's ranking lowest score first.",
)
class TaskRankingReversed(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        result = _task_result(method, path, status, body, "rerank")
        if result is None or not isinstance(result.get("ranking"), list) or len(result["ranking"]) < 2:
            return status, body
        return status, body | {"result": result | {"ranking": list(reversed(result["ranking"]))}}
