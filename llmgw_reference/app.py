"""create_app: the reference gateway as one ASGI app (FastAPI on uvicorn).

Why FastAPI with plain Starlette routes: R2's surfaces may be an APIRouter or Starlette routes;
both mount here. Our own routes parse bodies with the generated models (`request_body`), so
the contract's errors are ours to shape. Every error -- unknown path (404), wrong method (405),
FastAPI's request validation (its 422 becomes 400 INVALID_PARAMS with `param`), anything
unexpected (500 INTERNAL, no traceback) -- leaves as the surface's error body.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_generated.models.control import Health, Role, Status
from llmgw_reference import errors, tasks_api
from llmgw_reference.auth import AuthMiddleware
from llmgw_reference.config import Config
from llmgw_reference.errors import ApiError, error_response_for_path
from llmgw_reference.faults import FaultSet
from llmgw_reference.runtime import Runtime

log = logging.getLogger("reference")


def _with_request_id(err: ApiError, request: Request) -> Response:
    err.request_id = request.scope.get("state", {}).get("request_id")
    return error_response_for_path(err, request.url.path)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _with_request_id(exc, request)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    routing = {
        405: (f"{request.method} is not allowed on {request.url.path}.", ErrorReason.METHOD_NOT_ALLOWED),
        404: (f"No operation at {request.url.path}.", ErrorReason.NOT_FOUND),
    }
    if exc.status_code in routing:
        message, reason = routing[exc.status_code]
        err = ApiError(ErrorKind.INVALID_PARAMS, message, status=exc.status_code, reason=reason)
    else:
        err = ApiError(ErrorKind.INVALID_PARAMS, str(exc.detail), status=400)
    response = _with_request_id(err, request)
    if exc.status_code == 405 and exc.headers:
        allow = exc.headers.get("Allow") or exc.headers.get("allow")
        if allow:
            response.headers["Allow"] = allow
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errs = list(exc.errors())
    extra = [e for e in errs if e.get("type") == "extra_forbidden"]
    first = extra[0] if extra else (errs[0] if errs else {"loc": (), "msg": "invalid request"})
    loc = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path", "header")]
    param = ".".join(loc) or None
    reason = ErrorReason.UNSUPPORTED_FIELD if extra else None
    err = ApiError(
        ErrorKind.INVALID_PARAMS,
        f"Invalid request: {first.get('msg', 'invalid')}.",
        status=400,
        reason=reason,
        param=param,
    )
    return _with_request_id(err, request)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    err = ApiError(ErrorKind.INTERNAL, "The server failed to answer this request.", status=500)
    return _with_request_id(err, request)


def _health_routes(role: str) -> list[Route]:
    async def healthz(request: Request) -> Response:
        return JSONResponse(Health(status=Status.ok, role=Role(role)).model_dump(mode="json"))

    async def readyz(request: Request) -> Response:
        runtime: Runtime = request.app.state.runtime
        if not any(not w.down for w in runtime.cluster.workers):
            raise ApiError(ErrorKind.POOL_UNREADY, "No worker is up.", status=503, retry_after_ms=1000)
        return JSONResponse(Health(status=Status.ok, role=Role(role)).model_dump(mode="json"))

    return [Route("/healthz", healthz, methods=["GET"]), Route("/readyz", readyz, methods=["GET"])]


def _surface_routes(runtime: Runtime) -> list[Any]:
    """R2's surfaces (reference.surfaces.routes), when that package is present."""
    try:
        from llmgw_reference import surfaces  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return []
    factory = getattr(surfaces, "routes", None)
    if factory is None:
        return []
    found = factory(runtime)
    return list(found.routes) if hasattr(found, "routes") else list(found)


def _control_routes() -> list[Route]:
    try:
        from llmgw_reference import control
    except ImportError:
        return []
    routes: list[Route] = control.routes()
    return routes


def create_app(config: Config | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """The whole reference server for `config` (defaults: `make serve`)."""
    config = config or Config()
    faults = FaultSet(config.faults)
    runtime = runtime or Runtime(config, faults)
    if config.role == "gateway" and config.worker_urls:
        from llmgw_reference.worker_http import HttpExecutor

        runtime.executor = HttpExecutor(config, runtime.cluster, on_worker_up=runtime.dispatch)
    errors.install_fault_set(faults)
    from llmgw_reference.accounts import AccountsService, BillingMiddleware, account_routes

    accounts = AccountsService(config, faults)  # contract 1.2: keys, usage, credits, images
    app = FastAPI(
        title="reference gateway", openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False
    )
    app.state.runtime = runtime
    app.state.config = config
    app.state.accounts = accounts
    for route in _health_routes(config.role) + tasks_api.routes() + _control_routes():
        app.router.routes.append(route)
    for route in _surface_routes(runtime) + account_routes():
        app.router.routes.append(route)
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(BillingMiddleware, service=accounts, max_tokens=config.max_tokens)  # inside auth
    app.add_middleware(AuthMiddleware, config=config, faults=faults, accounts=accounts)
    if faults.faults:  # only a server started in a fault mode buffers its JSON answers
        from llmgw_reference.faults.json_answers import JsonAnswerFaults

        app.add_middleware(JsonAnswerFaults, faults=faults)
    return app
