"""What the control routes share: path-parameter checks, JSON answers, opaque page cursors.

Why signed cursors: the contract says an unknown cursor is 400; a cursor is the last id of the
previous page plus an HMAC under a per-process key, so a forged or foreign one is recognised.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from llmgw_reference.errors import bad_request
from llmgw_reference.runtime import Runtime

MODEL_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
POOL_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
_CURSOR_KEY = secrets.token_bytes(32)


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def json_answer(model: BaseModel | dict[str, Any], status: int = 200) -> Response:
    body = model.model_dump(mode="json", exclude_none=True) if isinstance(model, BaseModel) else model
    return JSONResponse(body, status_code=status)


def path_param(request: Request, name: str, pattern: re.Pattern[str]) -> str:
    value = str(request.path_params[name])
    if not pattern.match(value):
        raise bad_request(f"{name} {value!r} does not match {pattern.pattern}.", param=name)
    return value


def uuid_param(request: Request, name: str) -> str:
    value = str(request.path_params[name])
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise bad_request(f"{name} must be a UUID.", param=name) from None


def _sign(last_id: str) -> str:
    return hmac.new(_CURSOR_KEY, last_id.encode(), hashlib.sha256).hexdigest()[:16]


def make_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=") + "." + _sign(last_id)


def read_cursor(cursor: str) -> str:
    encoded, _, signature = cursor.partition(".")
    try:
        last_id = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_request("Unknown cursor.", param="cursor") from None
    # Bytes, not str: compare_digest refuses non-ASCII strings, and a cursor is client input.
    if not hmac.compare_digest(signature.encode(), _sign(last_id).encode()):
        raise bad_request("Unknown cursor.", param="cursor")
    return last_id


def page(request: Request, ids: list[str]) -> tuple[list[str], str | None]:
    """The ids of the requested page (ids sorted) and the next cursor (None on the last page)."""
    raw_limit = request.query_params.get("limit")
    limit = DEFAULT_LIMIT
    if raw_limit is not None:
        if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
            raise bad_request(f"limit must be an integer from 1 to {MAX_LIMIT}.", param="limit")
        limit = int(raw_limit)
    cursor = request.query_params.get("cursor")
    if cursor is not None:
        if not 1 <= len(cursor) <= 256:
            raise bad_request("Unknown cursor.", param="cursor")
        after = read_cursor(cursor)
        ids = [i for i in ids if i > after]
    chosen = ids[:limit]
    has_more = len(ids) > limit
    return chosen, make_cursor(chosen[-1]) if has_more and chosen else None


def page_answer(
    request: Request, ids: list[str], item: Callable[[str], Any], listing: type[BaseModel]
) -> Response:
    """One page of a list operation (``listing`` is its model, e.g. ``PoolList``): the items of the
    page's ids, ``has_more``, and ``next_cursor``, sent as null on the last page as the contract has it."""
    chosen, next_cursor = page(request, ids)
    body = listing(data=[item(i) for i in chosen], has_more=next_cursor is not None, next_cursor=next_cursor)
    answer = body.model_dump(mode="json", exclude_none=True)
    answer["next_cursor"] = next_cursor
    return json_answer(answer)
