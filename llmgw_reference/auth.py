"""Bearer API keys and scopes, request ids and the body-size limit, as one ASGI middleware.

Why a middleware: every operation, R2's surfaces included, is covered without each handler
remembering to check; the scope an operation needs comes from its `x-required-scope` in the
contract. A missing or unknown key is 401 (`WWW-Authenticate: Bearer`), a key without the scope
403, both in the surface's error shape (OpenAI-tagged operations get the OpenAI body).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference import spec
from llmgw_reference.config import Config
from llmgw_reference.errors import ApiError, error_response_for_path
from llmgw_reference.faults import FaultSet


@dataclass(frozen=True)
class Principal:
    """Who is calling: a label (never the key itself) and the key's scopes."""

    key_label: str
    scopes: frozenset[str]


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

    def __init__(self, app: ASGIApp, *, config: Config, faults: FaultSet) -> None:
        self.app = app
        self.config = config
        self.faults = faults

    def authenticate(self, headers: Headers) -> Principal | None:
        key = _bearer(headers)
        scopes = self.config.scopes_of(key) if key is not None else None
        principal = None
        if scopes is not None and key is not None:
            principal = Principal(key_label=f"key-{abs(hash(key)) % 10_000:04d}", scopes=frozenset(scopes))
        return self.faults.authenticate(principal)

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
        principal = self.authenticate(headers)
        if principal is None:
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
