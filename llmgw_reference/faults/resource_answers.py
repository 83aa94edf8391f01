"""Faults that break the JSON answers of the native resources: tasks, pools, catalog, sessions.

Like :mod:`llmgw_reference.faults.answers` they rewrite the answer a handler built
(`json_answer` hook): a wrong status for a creation, a resource that should be gone still found,
a state or a count that does not match what the server did.
"""

from __future__ import annotations

import re
from typing import Any

from llmgw_reference.faults.answer_rewrite import (
    Answer,
    AnswerKeySet,
    AnswerStatusChanged,
    Body,
    GoneStillFound,
    listed_items,
)
from llmgw_reference.faults.base import Fault, register_faults

#: Every path under the catalog of models (registration, lists, one model).
CATALOG_PATHS = re.compile(r"/v1/catalog/models.*", re.DOTALL)


class CapacitySchemaBroken(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if path != "/v1/capacity" or "gpu_count" not in body:
            return status, body
        return status, body | {"gpu_count": str(body["gpu_count"])}


class CatalogStateStuck(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if not path.startswith("/v1/catalog/models") or status >= 300:
            return status, body
        items = listed_items(body)
        if items is not None:
            return status, body | {"data": [m | {"state": "Active"} if "state" in m else m for m in items]}
        return (status, body | {"state": "Active"}) if "state" in body else (status, body)


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


class PoolReadyFlipped(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        if not path.startswith("/v1/pools") or status >= 300:
            return status, body
        return status, _rewrite_pool_status(body, lambda s: s | {"ready": not s.get("ready")})


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


register_faults(
    (
        "task-admission-wrong-id",
        ["TASK-ADMISSION"],
        "Answers a task submission with another task_id than the request's.",
        AnswerKeySet,
        {
            "method": "POST",
            "path": re.compile(r"/v1/tasks/*"),
            "statuses": (202,),
            "key": "task_id",
            "value": "00000000-0000-4000-8000-000000000000",
        },
    ),
    (
        "capacity-schema-broken",
        ["RESP-SCHEMA"],
        "Sends capacity with `gpu_count` as a string.",
        CapacitySchemaBroken,
        {},
    ),
    (
        "pool-created-200",
        ["POOL-CRUD"],
        "Answers the creation of a new pool with 200 instead of 201.",
        AnswerStatusChanged,
        {
            "method": "PUT",
            "path": re.compile(r"/v1/pools/.*", re.DOTALL),
            "statuses": (201,),
            "to_status": 200,
        },
    ),
    (
        "catalog-digest-altered",
        ["CAT-REGISTER-DIGEST"],
        "Reports another digest than the registered one for models it registers.",
        AnswerKeySet,
        {
            "method": "POST",
            "path": CATALOG_PATHS,
            "statuses": (200, 201),
            "key": "digest",
            "value": "sha256:" + "0" * 64,
        },
    ),
    (
        "catalog-reregister-201",
        ["CAT-REGISTER-IDEMPOTENT"],
        "Answers the repeated registration of the same model with 201, as if it were new.",
        AnswerStatusChanged,
        {
            "method": "POST",
            "path": CATALOG_PATHS,
            "statuses": (200,),
            "to_status": 201,
        },
    ),
    (
        "catalog-state-stuck",
        ["CAT-STATE-TRANSITION"],
        "Reports every catalog model as Active, whatever state it was moved to.",
        CatalogStateStuck,
        {},
    ),
    (
        "deleted-pool-still-found",
        ["POOL-DELETE"],
        "Answers GET of a pool that does not exist with 200 and an empty pool.",
        GoneStillFound,
        {
            "method": "GET",
            "path": re.compile(r"/v1/pools/([^/]+)"),
            "statuses": (404,),
            "found": {
                "spec": {"gpus": {}},
                "status": {"state": "ready", "ready": True, "assigned": {}, "workers": []},
            },
        },
    ),
    (
        "ended-session-still-found",
        ["SESS-END", "SESS-TTL-EXPIRES"],
        "Answers GET of a session that is not open (ended or expired) with 200.",
        GoneStillFound,
        {
            "method": "GET",
            "path": re.compile(r"/v1/sessions/([^/]+)"),
            "statuses": (404,),
            "id_key": "session_id",
            "found": {"turns": 0, "kv_warmth": False, "kv_bytes": 0},
        },
    ),
    (
        "pool-ready-flipped",
        ["POOL-READY-MEANS-GPUS"],
        "Reports every pool's `ready` as the opposite of what its workers say.",
        PoolReadyFlipped,
        {},
    ),
    (
        "pool-over-caps",
        ["POOL-CAPS-ENFORCED"],
        "Reports 64 more workers of each assigned machine profile than a pool has.",
        PoolOverCaps,
        {},
    ),
    (
        "task-embeddings-reversed",
        ["TASK-EMBED-RESULT"],
        "Reports an embedding task's vectors in reverse input order.",
        ReversedTaskResult,
        {"kind": "embedding", "listed": "embeddings"},
    ),
    (
        "task-ranking-reversed",
        ["TASK-RERANK-RESULT"],
        "Reports a rerank task's ranking lowest score first.",
        ReversedTaskResult,
        {"kind": "rerank", "listed": "ranking"},
    ),
)
