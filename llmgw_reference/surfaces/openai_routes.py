"""Route handlers of the OpenAI-compatible JSON operations: the answer, or the error in OpenAI's shape.

Why one wrapper: every OpenAI-tagged operation must answer its errors with OpenAI's error body
(``{"error": {...}}``, not the native envelope) carrying the request id; written once, an operation
only says what its answer is and is decorated with :func:`openai_json_route`.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from llmgw_reference.errors import ApiError, openai_error_response
from llmgw_reference.surfaces.runtime_access import request_id_of

Handle = Callable[[Request], Awaitable[dict[str, Any]]]


def openai_json_route(handle: Handle) -> Callable[[Request], Awaitable[Response]]:
    """A route handler that answers ``handle``'s body as JSON and every ``ApiError`` OpenAI-shaped."""

    @functools.wraps(handle, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    async def route(request: Request) -> Response:
        try:
            return JSONResponse(await handle(request))
        except ApiError as err:
            err.request_id = err.request_id or request_id_of(request)
            return openai_error_response(err)

    return route
