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

from llmgw_generated.models.common import Workload
from llmgw_generated.models.control import ModelLoadState, ModelState
from llmgw_reference.surfaces.openai_routes import openai_json_route
from llmgw_reference.surfaces.runtime_access import runtime_of

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


@openai_json_route
async def list_models(request: Request) -> dict[str, Any]:
    """The route handler: the usable chat models, as OpenAI's model list."""
    catalog = runtime_of(request).catalog
    entries = [catalog.models[model_id] for model_id in catalog.sorted_ids()]
    return {"object": "list", "data": chat_models(entries)}
