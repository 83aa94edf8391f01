"""Bearer API keys and scopes, request ids and the body-size limit, as one ASGI middleware.

Why a middleware: every operation, R2's surfaces included, is covered without each handler
remembering to check; the scope an operation needs comes from its `x-required-scope` in the
contract. A missing or unknown key is 401 (`WWW-Authenticate: Bearer`), a key without the scope
403, both in the surface's error shape (OpenAI-tagged operations get the OpenAI body).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference import spec
from llmgw_reference.config import Config
from llmgw_reference.errors import ApiError, error_response_for_path
from llmgw_reference.faults import FaultSet

if TYPE_CHECKING:
    from llmgw_reference.accounts.service import AccountsService

DEFAULT_ACCOUNT_ID = "acct_local"  # the account the static keys belong to (accounts/service.py)


@dataclass(frozen=True)
class Principal:
    """Who is calling: a label (never the key itself) and the key's scopes."""

    key_label: str
    scopes: frozenset[str]
    account_id: str | None = None  # contract 1.2: the account billed for this request
    key_prefix: str | None = None  # a stored key's prefix (None for static keys and access tokens)


def principal_of(scope: Scope) -> Principal | None:
    """The authenticated principal of a request (set by AuthMiddleware)."""
    state = scope.get("state") or {}
    found = state.get("principal")
    return found if isinstance(found, Principal) else None


def _bearer(headers: Headers) -> str | None:
    value = headers.get("authorization")
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


class AuthMiddleware:
    """Authenticates /v1 operations, tags each request with an id, refuses oversized bodies."""

    def __init__(
        self, app: ASGIApp, *, config: Config, faults: FaultSet, accounts: AccountsService | None = None
    ) -> None:
        self.app = app
        self.config = config
        self.faults = faults
        self.accounts = accounts

    def authenticate(self, headers: Headers, scope: Scope | None = None) -> Principal | None:
        key = _bearer(headers)
        scopes = self.config.scopes_of(key) if key is not None else None
        principal = None
        if scopes is not None and key is not None:
            account = DEFAULT_ACCOUNT_ID if self.accounts is not None else None
            label = f"key-{abs(hash(key)) % 10_000:04d}"
            granted = set(scopes)
            if account and "control:write" in granted:
                granted.add("account")  # an operator key also manages its own account (contract 1.2)
            principal = Principal(key_label=label, scopes=frozenset(granted), account_id=account)
        elif key is not None and self.accounts is not None and scope is not None:
            principal = self._account_principal(key, scope)
        return self.faults.authenticate(principal)

    def _account_principal(self, key: str, scope: Scope) -> Principal | None:
        """A stored API key or access token (contract 1.2); a refusal other than 401 is kept in state."""
        assert self.accounts is not None
        client = scope.get("client")
        found = self.accounts.credential(key, client[0] if client else None, scope["path"])
        if isinstance(found, ApiError):
            scope["state"]["auth_refusal"] = found
            return None
        if found is None:
            return None
        label = found.key_prefix or "access-token"
        scopes = frozenset(found.scopes)
        return Principal(label, scopes, account_id=found.account_id, key_prefix=found.key_prefix)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        request_id = headers.get("x-request-id") or f"req-{uuid.uuid4().hex[:16]}"
        if len(request_id) > 128 or not request_id.isprintable():
            request_id = f"req-{uuid.uuid4().hex[:16]}"
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                if not any(k.lower() == b"x-request-id" for k, _ in raw):
                    raw.append((b"x-request-id", request_id.encode("latin-1")))
                if self.faults.faults:
                    raw = self._fault_headers(scope["path"], int(message["status"]), raw)
                message = {**message, "headers": raw}
            await send(message)

        path: str = scope["path"]
        err = self.check(scope, headers, path)
        if err is not None:
            err.request_id = request_id
            await error_response_for_path(err, path)(scope, receive, send_with_id)
            return
        await self.app(scope, receive, send_with_id)

    def _fault_headers(
        self, path: str, status: int, raw: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in raw}
        changed = self.faults.response_headers(path, status, headers)
        return [(k.encode("latin-1"), v.encode("latin-1")) for k, v in changed.items()]

    def check(self, scope: Scope, headers: Headers, path: str) -> ApiError | None:
        """The error to answer instead of running the operation, or None."""
        entry = spec.match_path(path)
        if entry is None:
            return None
        operation = entry.operations.get(scope["method"].upper())
        needs_key = any(op.scope for op in entry.operations.values())
        if not needs_key:
            return None
        principal = self.authenticate(headers, scope)
        if principal is None:
            refusal = scope["state"].pop("auth_refusal", None)
            if isinstance(refusal, ApiError):
                return refusal
            return ApiError(
                ErrorKind.INVALID_PARAMS,
                "A valid API key is required (Authorization: Bearer <key>).",
                status=401,
                reason=ErrorReason.UNAUTHENTICATED,
            )
        scope["state"]["principal"] = principal
        if operation is not None and operation.scope and operation.scope not in principal.scopes:
            return ApiError(
                ErrorKind.INVALID_PARAMS,
                f"This API key lacks the scope {operation.scope!r} that {operation.operation_id} needs.",
                status=403,
                reason=ErrorReason.FORBIDDEN,
            )
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.config.max_body_bytes:
            return ApiError(
                ErrorKind.INVALID_PARAMS,
                f"The body exceeds {self.config.max_body_bytes} bytes.",
                status=413,
                reason=ErrorReason.PAYLOAD_TOO_LARGE,
            )
        return None
