"""The session operations: put (open/update), get, delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from llmgw_generated.models.control import SessionCreateRequest
from llmgw_reference.control.common import json_answer, runtime_of, uuid_param
from llmgw_reference.request_body import parse_body


async def put_session(request: Request) -> Response:
    session_id = uuid_param(request, "session_id")
    req = await parse_body(request, SessionCreateRequest)
    session, created = runtime_of(request).sessions.put(session_id, req)
    return json_answer(session.info(), 201 if created else 200)


async def get_session(request: Request) -> Response:
    session_id = uuid_param(request, "session_id")
    return json_answer(runtime_of(request).sessions.get(session_id).info())


async def delete_session(request: Request) -> Response:
    session_id = uuid_param(request, "session_id")
    runtime_of(request).end_session(session_id)
    return Response(status_code=204)
