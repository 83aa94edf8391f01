"""The accounts operations of control.yaml (keys, usage, credits, /auth/*) as Starlette routes.

Why thin handlers: each parses its body with the generated model (400 naming the field), calls
the service, and turns a locked or full database into the clear 500 envelope; the rules live in
keys.py, identity.py and usage.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_generated.models.control import (
    CreateApiKeyRequest,
    LoginRequest,
    RefreshRequest,
    RegisterRequest,
    UpdateApiKeyRequest,
)
from llmgw_reference.accounts.service import AccountsService, store_unavailable
from llmgw_reference.accounts.store import StoreUnavailable
from llmgw_reference.auth import principal_of
from llmgw_reference.errors import ApiError
from llmgw_reference.request_body import parse_body

Handler = Callable[[Request], Awaitable[Response]]


def service_of(request: Request) -> AccountsService:
    service: AccountsService = request.app.state.accounts
    return service


def account_of(request: Request) -> str:
    """The caller's account (AuthMiddleware has checked the `account` scope)."""
    principal = principal_of(request.scope)
    if principal is None or principal.account_id is None:
        raise ApiError(
            ErrorKind.INVALID_PARAMS,
            "This credential has no account.",
            status=403,
            reason=ErrorReason.FORBIDDEN,
        )
    return principal.account_id


async def _fields(request: Request, model: type[BaseModel]) -> dict[str, Any]:
    parsed = await parse_body(request, model)
    fields: dict[str, Any] = parsed.model_dump(mode="json", exclude_unset=True)
    return fields


def _guarded(handler: Handler) -> Handler:
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except StoreUnavailable as exc:
            raise store_unavailable(exc) from None

    return run


async def list_keys(request: Request) -> Response:
    return JSONResponse({"data": service_of(request).keys.list(account_of(request))})


async def create_key(request: Request) -> Response:
    body = await _fields(request, CreateApiKeyRequest)
    return JSONResponse(service_of(request).keys.create(account_of(request), body), status_code=201)


async def get_key(request: Request) -> Response:
    key_id = request.path_params["key_id"]
    return JSONResponse(service_of(request).keys.get(account_of(request), key_id))


async def update_key(request: Request) -> Response:
    body = await _fields(request, UpdateApiKeyRequest)
    key_id = request.path_params["key_id"]
    return JSONResponse(service_of(request).keys.update(account_of(request), key_id, body))


async def revoke_key(request: Request) -> Response:
    key_id = request.path_params["key_id"]
    return JSONResponse(service_of(request).keys.revoke(account_of(request), key_id))


async def usage_stats(request: Request) -> Response:
    period = request.query_params.get("period", "month")
    return JSONResponse(service_of(request).ledger.stats(account_of(request), period))


async def usage_logs(request: Request) -> Response:
    params = dict(request.query_params)
    return JSONResponse(service_of(request).ledger.page(account_of(request), params))


async def credit_balance(request: Request) -> Response:
    return JSONResponse({"credits_balance": service_of(request).identities.balance(account_of(request))})


async def register(request: Request) -> Response:
    body = await _fields(request, RegisterRequest)
    return JSONResponse(service_of(request).identities.register(body), status_code=201)


async def login(request: Request) -> Response:
    body = await _fields(request, LoginRequest)
    return JSONResponse(service_of(request).identities.login(body))


async def refresh(request: Request) -> Response:
    body = await _fields(request, RefreshRequest)
    return JSONResponse(service_of(request).identities.refresh(body))


def routes() -> list[Route]:
    """The accounts routes of control.yaml."""
    table: list[tuple[str, Handler, str]] = [
        ("/v1/keys", list_keys, "GET"),
        ("/v1/keys", create_key, "POST"),
        ("/v1/keys/{key_id}", get_key, "GET"),
        ("/v1/keys/{key_id}", update_key, "PATCH"),
        ("/v1/keys/{key_id}", revoke_key, "DELETE"),
        ("/v1/usage/stats", usage_stats, "GET"),
        ("/v1/usage/logs", usage_logs, "GET"),
        ("/v1/credits/balance", credit_balance, "GET"),
        ("/auth/register", register, "POST"),
        ("/auth/login", login, "POST"),
        ("/auth/refresh", refresh, "POST"),
    ]
    by_path: dict[str, dict[str, Handler]] = {}
    for path, handler, method in table:
        by_path.setdefault(path, {})[method] = _guarded(handler)
    return [_route(path, handlers) for path, handlers in by_path.items()]


def _route(path: str, handlers: dict[str, Handler]) -> Route:
    async def dispatch(request: Request) -> Response:
        return await handlers[request.method](request)

    return Route(path, dispatch, methods=list(handlers))
