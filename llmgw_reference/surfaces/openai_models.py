"""``GET /v1/models`` (listModels): the Active catalog models that can serve chat.

Why filter: OpenAI lists every model it serves (embedding models too); the contract asks only that
a listed model is one the server knows (never ``model_not_found``), and this reference lists the
models a chat client can pick: Retired models, models without the ``completion`` workload and
models whose artifact failed to load are left out.  A model still loading is listed: using it gives
the retriable 503 ``model_loading``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from llmgw_generated.models.common import Workload
from llmgw_generated.models.control import ModelLoadState, ModelState
from llmgw_reference.errors import ApiError, openai_error_response
from llmgw_reference.surfaces.runtime_access import request_id_of, runtime_of

OWNER = "reference"


def chat_models(entries: list[Any]) -> list[dict[str, Any]]:
    """The ``ModelObject`` of each usable chat model, in id order."""
    listed = []
    for entry in sorted(entries, key=lambda e: str(e.id)):
        if entry.state != ModelState.Active or Workload.completion not in entry.workloads:
            continue
        if entry.load_state == ModelLoadState.failed:
            continue
        listed.append(
            {"id": str(entry.id), "object": "model", "created": int(entry.created), "owned_by": OWNER}
        )
    return listed


async def list_models(request: Request) -> Response:
    """The route handler."""
    try:
        catalog = runtime_of(request).catalog
        ids = catalog.sorted_ids()
        entries = [catalog.models[model_id] for model_id in ids]
        return JSONResponse({"object": "list", "data": chat_models(entries)})
    except ApiError as err:
        err.request_id = err.request_id or request_id_of(request)
        return openai_error_response(err)
