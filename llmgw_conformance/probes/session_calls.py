"""Session calls the checks make: open or change a session, read it, run a task in it to its end.

Why here: the session checks and the end-to-end flows both drive sessions; one place keeps the
requests identical in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import parse_json_object
from llmgw_conformance.probes.task_requests import events_of, submit, task_body, terminal_events


def put_session(ctx: CheckContext, session_id: str, **fields: Any) -> Response:
    """PUT /v1/sessions/{id} with the given SessionCreateRequest fields."""
    return ctx.request("PUT", f"/v1/sessions/{session_id}", json=fields)


def get_session(ctx: CheckContext, session_id: str) -> tuple[Response, dict[str, Any] | None]:
    """GET /v1/sessions/{id} and its JSON object."""
    response = ctx.request("GET", f"/v1/sessions/{session_id}")
    return response, parse_json_object(response.text or "") if response.status == 200 else None


def run_in_session(
    ctx: CheckContext, session_id: str, max_tokens: int, **extra: Any
) -> tuple[Response, int | None]:
    """Run a completion task in the session to its end; returns the admission and end.tokens_out."""
    body = task_body(ctx, session_id=session_id, max_tokens=max_tokens, **extra)
    admitted = submit(ctx, body)
    if admitted.status != 202:
        return admitted, None
    terminals = terminal_events(events_of(ctx, str(body["task_id"])))
    if terminals and terminals[0][0] == "end" and isinstance(terminals[0][1], Mapping):
        out = terminals[0][1].get("tokens_out")
        return admitted, out if isinstance(out, int) else None
    return admitted, None
