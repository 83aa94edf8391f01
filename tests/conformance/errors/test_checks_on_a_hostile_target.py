"""Every control-plane and error check against a hostile target: wrong types, garbage, lying capabilities.

The suite must never crash or hang on such a target: each check ends in bounded time with
findings (failures, skips), never with an exception escaping the check.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from llmgw_conformance.checks import (
    auth,
    backpressure,
    catalog,
    control,
    embeddings,
    errors,
    flows,
    invalid_requests,
    pools,
    rerank,
    schema_driven,
    sessions,
    tasks,
)
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import start_server

CAPABILITIES = {
    "api_version": 1,
    "engines": [{"engine": "vllm", "ctx_max": "huge", "implementation": "synthetic"}, 7],
    "profiles": [
        "control",
        "auth",
        "control-admin",
        "tasks",
        "generate",
        "embeddings",
        "rerank",
        "backpressure",
    ],
    "features": ["sessions", "pools", "catalog-data-uri", "provisioning", "deadlines", "kv-reuse"],
    "limits": {"queue_capacity": "many", "max_body_bytes": -1, "max_tokens": None},
}

ANSWERS: list[Any] = [
    (200, {"data": "not a list", "has_more": "yes", "next_cursor": 5, "state": ["Active"], "turns": "one"}),
    (
        200,
        {
            "workers": [1, None, {"active_tasks": "x", "slots": -1}],
            "active_tasks": "3",
            "assigned": {"l4": "2"},
        },
    ),
    (202, {"task_id": None, "queue_position": "first", "predicted_start_ms": -5}),
    (200, [1, 2, 3]),
    (500, "Traceback (most recent call last):\n  File 'x'"),
    (429, {"code": "ADMISSION_REJECT", "retriable": "yes", "retry_after_ms": "soon"}),
    (200, {"data": [{"index": "0", "embedding": [float("1e308"), "NaN"]}], "results": [{"index": 99}]}),
    (404, {"error": 5}),
]


def hostile_app() -> Starlette:
    async def anything(request: Request) -> Response:
        path = request.url.path
        if path == "/v1/capabilities":
            return JSONResponse(CAPABILITIES)
        if path.endswith("/events"):
            return Response(
                b'event: token\ndata: {"i": "zero"}\n\nevent: end\ndata: [1]\n\ngarbage',
                media_type="text/event-stream",
            )
        key = int(hashlib.sha256((request.method + path).encode()).hexdigest(), 16) + int(
            time.monotonic() * 10
        )
        status, body = ANSWERS[key % len(ANSWERS)]
        if isinstance(body, str):
            return Response(body, status_code=status, media_type="text/plain")
        return JSONResponse(body, status_code=status)

    return Starlette(routes=[Route("/{path:path}", anything, methods=["GET", "POST", "PUT", "DELETE"])])


CHECKS = [
    control.health_live,
    control.capabilities_honest,
    control.capacity_consistent,
    control.pagination,
    tasks.task_admission,
    tasks.task_errors_before_stream,
    tasks.task_duplicate_id,
    tasks.task_unknown_model,
    errors.error_envelopes,
    invalid_requests.invalid_requests,
    auth.auth_required,
    auth.auth_scope,
    embeddings.embeddings,
    embeddings.task_embed_result,
    rerank.rerank_order,
    rerank.task_rerank_result,
    catalog.catalog_register,
    catalog.catalog_lifecycle,
    catalog.provisioning,
    pools.pools,
    sessions.sessions,
    sessions.session_kv_warmth,
    backpressure.backpressure_burst,
    backpressure.task_priority,
    backpressure.admission_estimates,
    backpressure.deadline_unmet,
    flows.flow_catalog,
    flows.flow_pools,
    flows.flow_sessions,
    schema_driven.schema_driven,
]


@pytest.fixture(scope="module")
def hostile_url() -> Any:
    server, thread, url = start_server(hostile_app())
    yield url
    server.should_exit = True
    thread.join(timeout=5)


@pytest.mark.parametrize("function", CHECKS, ids=[f.__name__ for f in CHECKS])
def test_check_survives_a_hostile_target(hostile_url: str, function: Any) -> None:
    options = SuiteOptions(
        read_timeout_s=2.0,
        stream_budget_s=2.0,
        idle_gap_s=1.0,
        examples=2,
        profiles=("control", "tasks", "generate"),
    )
    ctx, findings = make_context(
        hostile_url, "sk-hostile-0123", function.__name__, options, restricted_api_key="sk-hostile-ro"
    )
    started = time.monotonic()
    try:
        function(ctx)  # must not raise
    finally:
        ctx.close()
    assert time.monotonic() - started < 45
    assert findings, "a check must report something on every requirement it could or could not judge"
    assert all(f.outcome != Outcome.ERROR for f in findings)
    assert any(f.outcome is not Outcome.PASSED for f in findings), "nonsense never passes everything"
