"""The catalog operations: list (paginated), register (digest-checked), get, set state."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from llmgw_generated.models.control import CatalogModelList, ModelStateChange, RegisterModelRequest
from llmgw_reference.control.common import MODEL_ID_RE, json_answer, page_answer, path_param, runtime_of
from llmgw_reference.request_body import parse_body


async def list_models(request: Request) -> Response:
    catalog = runtime_of(request).catalog
    models = catalog.models
    return page_answer(request, catalog.sorted_ids(), lambda i: models[i].to_model(), CatalogModelList)


async def register_model(request: Request) -> Response:
    req = await parse_body(request, RegisterModelRequest)
    entry, created = runtime_of(request).catalog.register(req)
    return json_answer(entry.to_model(), 201 if created else 200)


async def get_model(request: Request) -> Response:
    model_id = path_param(request, "model_id", MODEL_ID_RE)
    return json_answer(runtime_of(request).catalog.get(model_id).to_model())


async def set_model_state(request: Request) -> Response:
    model_id = path_param(request, "model_id", MODEL_ID_RE)
    catalog = runtime_of(request).catalog
    catalog.get(model_id)  # 404 before the body is judged
    change = await parse_body(request, ModelStateChange)
    return json_answer(catalog.set_state(model_id, change.state).to_model())
