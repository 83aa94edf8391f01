"""The fake gateway's control plane and app factory: auth, health, capabilities, catalog, pools, sessions.

See control_fake_state for why the fake exists. ``make_app(faults)`` builds a fresh gateway; the
data plane (tasks, embeddings, rerank, generate, chat) is in control_fake_data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.conformance.control.control_fake_data import data_routes
from tests.conformance.control.control_fake_state import (
    CAPABILITIES,
    DIGEST,
    KEYS,
    PROFILE,
    GatewayState,
    error,
    json_body,
    openai_error,
)

Handler = Callable[[Request, GatewayState], Awaitable[Response]]
MODEL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
POOL_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def guarded(
    state: GatewayState, scope: str | None, handler: Handler, openai: bool = False
) -> Callable[..., Any]:
    """Wrap a handler with the bearer-key and scope check (the fault ``no-auth`` skips it)."""

    async def endpoint(request: Request) -> Response:
        if scope is not None and "no-auth" not in state.faults:
            header = request.headers.get("authorization", "")
            key = header[7:] if header.lower().startswith("bearer ") else ""
            scopes = KEYS.get(key)
            challenge = {} if "no-www-authenticate" in state.faults else {"WWW-Authenticate": "Bearer"}
            if scopes is None:
                text = f"unknown key {key}" if "echo-key" in state.faults else "missing or unknown API key"
                if openai:
                    return openai_error(401, "authentication_error", text, "unauthenticated", challenge)
                return error(
                    401,
                    "INVALID_PARAMS",
                    text,
                    reason="UNAUTHENTICATED",
                    faults=state.faults,
                    headers=challenge,
                )
            if scope not in scopes and "scope-ignored" not in state.faults:
                if openai:
                    return openai_error(403, "permission_error", "missing scope", "forbidden")
                return error(
                    403, "INVALID_PARAMS", f"needs scope {scope}", reason="FORBIDDEN", faults=state.faults
                )
        try:
            return await handler(request, state)
        except ValueError as exc:  # bad JSON and the like: a 400, never a 500
            return error(400, "INVALID_PARAMS", str(exc)[:200], faults=state.faults)

    return endpoint


def page(request: Request, state: GatewayState, items: list[dict[str, Any]]) -> Response:
    """One page of ``items`` (sorted by id) by ``limit`` and an opaque cursor."""
    try:
        limit = int(request.query_params.get("limit", "20"))
    except ValueError:
        return error(400, "INVALID_PARAMS", "limit is not an integer", faults=state.faults)
    if not 1 <= limit <= 100 and "limit-ignored" not in state.faults:
        return error(400, "INVALID_PARAMS", "limit must be 1..100", faults=state.faults)
    start = 0
    cursor = request.query_params.get("cursor")
    if cursor is not None:
        try:
            after = base64.urlsafe_b64decode(cursor.encode()).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            after = ""
        ids = [i["id"] for i in items]
        if after not in ids:
            return error(400, "INVALID_PARAMS", "unknown cursor", faults=state.faults)
        start = ids.index(after) + (0 if "page-overlap" in state.faults else 1)
    chunk = items[start : start + max(limit, 1) + (1 if "limit-ignored" in state.faults else 0)]
    more = start + len(chunk) < len(items)
    token = base64.urlsafe_b64encode(chunk[-1]["id"].encode()).decode() if more and chunk else None
    return JSONResponse({"data": chunk, "has_more": more, "next_cursor": token})


async def capabilities(request: Request, s: GatewayState) -> Response:
    caps = json.loads(json.dumps(CAPABILITIES))
    if "synthetic-lie" in s.faults:
        caps["engines"][0]["implementation"]["synthetic"] = False
    if "openai-traceback" in s.faults:
        caps["profiles"].append("openai-chat")
    if "bad-caps" in s.faults:
        caps["api_version"] = "2.0"
    return JSONResponse(caps)


async def capacity(request: Request, s: GatewayState) -> Response:
    if "undocumented-status" in s.faults:
        return JSONResponse({"status": "teapot"}, status_code=418)
    if "server-error" in s.faults:
        return Response("Internal Server Error", status_code=500)
    workers = [dict(w) for w in s.workers]
    active = sum(w["active_tasks"] for w in workers) + (1 if "capacity-off" in s.faults else 0)
    return JSONResponse(
        {
            "gpu_count": len(workers),
            "models_loaded": 1,
            "configured_machine_profiles": [PROFILE],
            "live_machine_profiles": [PROFILE],
            "workers": workers,
            "active_tasks": active,
            "queued_tasks": len(s.queued()),
        }
    )


async def list_models(request: Request, s: GatewayState) -> Response:
    return page(request, s, [s.models[k] for k in sorted(s.models)])


async def register(request: Request, s: GatewayState) -> Response:
    body, problem = await json_body(request, s, "RegisterModelRequest")
    if problem is not None:
        return problem
    uri = body["artifact_uri"]
    try:
        artifact = base64.b64decode(uri.split(",", 1)[1], validate=True) if uri.startswith("data:") else None
    except (binascii.Error, IndexError, ValueError):
        artifact = None
    actual = "sha256:" + hashlib.sha256(artifact).hexdigest() if artifact is not None else None
    if actual != body["digest"] and "digest-unchecked" not in s.faults:
        return error(422, "UNTRUSTED_ARTIFACT", "digest does not match", faults=s.faults)
    known = s.models.get(body["id"])
    if known is not None:
        if known["digest"] == body["digest"]:
            return JSONResponse(known, status_code=201 if "reregister-201" in s.faults else 200)
        return error(
            409, "INVALID_PARAMS", "registered with another digest", reason="CONFLICT", faults=s.faults
        )
    model = {
        "id": body["id"],
        "digest": DIGEST if "wrong-digest-echo" in s.faults else body["digest"],
        "state": "Active",
        "engine": body.get("engine", "vllm"),
        "workloads": body.get("workloads", ["completion"]),
        "load_state": "loading",
        "created": 1700000001,
    }
    s.models[body["id"]] = model
    s.created.append(body["id"])
    s.artifacts[body["id"]] = artifact or b""
    s.loading_until[body["id"]] = time.monotonic() + 0.3
    return JSONResponse(model, status_code=201)


async def get_model(request: Request, s: GatewayState) -> Response:
    model_id = request.path_params["model_id"]
    if not MODEL_ID.match(model_id):
        return error(400, "INVALID_PARAMS", "bad model id", faults=s.faults)
    if model_id not in s.models:
        return error(404, "INVALID_PARAMS", "no such model", reason="NOT_FOUND", faults=s.faults)
    return JSONResponse(s.models[model_id])


async def set_state(request: Request, s: GatewayState) -> Response:
    model_id = request.path_params["model_id"]
    body, problem = await json_body(request, s, "ModelStateChange")
    if problem is not None:
        return problem
    if model_id not in s.models:
        return error(404, "INVALID_PARAMS", "no such model", reason="NOT_FOUND", faults=s.faults)
    if "state-stuck" not in s.faults:
        s.models[model_id]["state"] = body["state"]
    return JSONResponse(s.models[model_id])


async def list_pools(request: Request, s: GatewayState) -> Response:
    pools = [{"id": k, "spec": s.pools[k]["spec"], "status": s.pool_status(k)} for k in sorted(s.pools)]
    return page(request, s, pools)


async def pool(request: Request, s: GatewayState) -> Response:
    pool_id = request.path_params["pool_id"]
    if not POOL_ID.match(pool_id):
        return error(400, "INVALID_PARAMS", "bad pool id", faults=s.faults)
    if request.method == "PUT":
        body, problem = await json_body(request, s, "PoolSpec")
        if problem is not None:
            return problem
        created = pool_id not in s.pools and "pool-put-200" not in s.faults
        if pool_id not in s.pools:
            s.created.append(pool_id)
        s.pools[pool_id] = {"spec": body}
        s.assign(pool_id)
        info = {"id": pool_id, "spec": body, "status": s.pool_status(pool_id)}
        return JSONResponse(info, status_code=201 if created else 200)
    if pool_id not in s.pools:
        return error(404, "INVALID_PARAMS", "no such pool", reason="NOT_FOUND", faults=s.faults)
    if request.method == "DELETE":
        if "delete-keeps" not in s.faults:
            del s.pools[pool_id]
            for worker in s.workers:
                if worker["pool_id"] == pool_id:
                    worker["pool_id"] = None
        return Response(status_code=204)
    return JSONResponse({"id": pool_id, "spec": s.pools[pool_id]["spec"], "status": s.pool_status(pool_id)})


async def pool_status(request: Request, s: GatewayState) -> Response:
    pool_id = request.path_params["pool_id"]
    if pool_id not in s.pools:
        return error(404, "INVALID_PARAMS", "no such pool", reason="NOT_FOUND", faults=s.faults)
    return JSONResponse(s.pool_status(pool_id))


async def session(request: Request, s: GatewayState) -> Response:
    sid = request.path_params["session_id"]
    if not UUID.match(sid):
        return error(400, "INVALID_PARAMS", "session id is not a UUID", faults=s.faults)
    if request.method == "PUT":
        body, problem = await json_body(request, s, "SessionCreateRequest")
        if problem is not None:
            return problem
        found = s.session(sid)
        created = found is None
        found = s.session(sid, create=True) or {}
        found["ttl_ms"] = body.get("ttl_ms", 60000)
        found["expires"] = time.monotonic() + found["ttl_ms"] / 1000
        if "tokens_budget" in body:
            found["tokens_budget"] = body["tokens_budget"]
        return JSONResponse(s.session_info(sid, found), status_code=201 if created else 200)
    found = s.session(sid)
    if found is None:
        return error(404, "INVALID_PARAMS", "no such session", reason="NOT_FOUND", faults=s.faults)
    if request.method == "DELETE":
        if "end-keeps" not in s.faults:
            del s.sessions[sid]
        return Response(status_code=204)
    return JSONResponse(s.session_info(sid, found))


def control_routes(state: GatewayState) -> list[Route]:
    """Every control-plane route of the fake."""

    def r(path: str, handler: Handler, methods: list[str], scope: str | None) -> Route:
        return Route(path, guarded(state, scope, handler), methods=methods)

    async def health(request: Request) -> Response:
        if "health-wrong" in state.faults:
            return JSONResponse({"status": "starting"})
        return JSONResponse({"status": "ok", "role": "combined"})

    read, write = "control:read", "control:write"
    return [
        Route("/healthz", health, methods=["GET"]),
        Route("/readyz", health, methods=["GET"]),
        r("/v1/capabilities", capabilities, ["GET"], read),
        r("/v1/capacity", capacity, ["GET"], read),
        r("/v1/catalog/models", list_models, ["GET"], read),
        r("/v1/catalog/models", register, ["POST"], write),
        r("/v1/catalog/models/{model_id}", get_model, ["GET"], read),
        r("/v1/catalog/models/{model_id}/state", set_state, ["POST"], write),
        r("/v1/pools", list_pools, ["GET"], read),
        r("/v1/pools/{pool_id}", pool, ["GET"], read),
        r("/v1/pools/{pool_id}", pool, ["PUT", "DELETE"], write),
        r("/v1/pools/{pool_id}/status", pool_status, ["GET"], read),
        r("/v1/sessions/{session_id}", session, ["GET"], read),
        r("/v1/sessions/{session_id}", session, ["PUT", "DELETE"], write),
    ]


def make_app(faults: set[str] | None = None) -> Starlette:
    """A fresh fake gateway breaking the named ``faults`` (none: a correct one)."""
    state = GatewayState(faults=set(faults or ()))

    async def not_found(request: Request, exc: Exception) -> Response:
        return error(404, "INVALID_PARAMS", "no such path", reason="NOT_FOUND", faults=state.faults)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return error(
            405, "INVALID_PARAMS", "method not allowed", reason="METHOD_NOT_ALLOWED", faults=state.faults
        )

    app = Starlette(
        routes=control_routes(state) + data_routes(state, guarded),
        exception_handlers={404: not_found, 405: not_allowed},
    )
    app.state.gateway = state
    return app
