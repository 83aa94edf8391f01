"""Faults that break the JSON answers of the native resources: tasks, pools, catalog, sessions.

Like :mod:`llmgw_reference.faults.answers` they rewrite the answer a handler built
(`json_answer` hook): a wrong status for a creation, a resource that should be gone still found,
a state or a count that does not match what the server did.
"""

from __future__ import annotations

import re
from typing import Any

from llmgw_reference.faults.answers import Answer, Body, listed_items
from llmgw_reference.faults.base import Fault, fault


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
        items = listed_items(body)
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
    items = listed_items(body)
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


class ReversedTaskResult(Fault):
    """Reverses the list `listed` of a finished task's result of kind `kind` (two items or more)."""

    kind = ""
    listed = ""

    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        result = body.get("result")
        finished = method == "GET" and path.startswith("/v1/tasks/") and status == 200
        if not finished or not isinstance(result, dict):
            return status, body
        items = result.get(self.listed)
        if result.get("kind") != self.kind or not isinstance(items, list) or len(items) < 2:
            return status, body
        return status, body | {"result": result | {self.listed: list(reversed(items))}}


@fault(
    "task-embeddings-reversed",
    breaks=["TASK-EMBED-RESULT"],
    description="Reports an embedding task's vectors in reverse input order.",
)
class TaskEmbeddingsReversed(ReversedTaskResult):
    kind, listed = "embedding", "embeddings"


@fault(
    "task-ranking-reversed",
    breaks=["TASK-RERANK-RESULT"],
    description="Reports a rerank task's ranking lowest score first.",
)
class TaskRankingReversed(ReversedTaskResult):
    kind, listed = "rerank", "ranking"
