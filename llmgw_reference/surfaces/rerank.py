"""``POST /v1/rerank`` (createRerank): documents by relevance to the query, highest first.

Ties keep document order, so the ranking is total and deterministic; ``top_n`` cuts the list and
``return_documents`` adds each document's text.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request

from llmgw_generated.models.common import ErrorKind, Workload
from llmgw_generated.models.data import RerankRequest
from llmgw_reference.errors import ApiError
from llmgw_reference.surfaces.batch_tasks import batch_task, run_batch_task
from llmgw_reference.surfaces.json_body import parse_validated, read_json_body
from llmgw_reference.surfaces.openai_routes import openai_json_route
from llmgw_reference.surfaces.runtime_access import principal_of, resolve_model, runtime_of

OPERATION_ID = "createRerank"


def ranked(scores: list[tuple[int, float]], top_n: int | None) -> list[tuple[int, float]]:
    """(index, score) pairs by score, highest first, ties by index; at most ``top_n``."""
    ordered = sorted(scores, key=lambda pair: (-pair[1], pair[0]))
    return ordered[:top_n] if top_n is not None else ordered


@openai_json_route
async def create_rerank(request: Request) -> dict[str, Any]:
    """The rerank answer: the documents by relevance to the query, highest first."""
    body = parse_validated(RerankRequest, await read_json_body(request, "RerankRequest"))
    runtime = runtime_of(request)
    model = resolve_model(request, body.model, Workload.rerank)
    query_tokens = runtime.engine.count_tokens(body.query)
    doc_tokens = [runtime.engine.count_tokens(doc) for doc in body.documents]
    task = batch_task(
        workload=Workload.rerank,
        model_id=body.model,
        model=model,
        inputs=list(body.documents),
        query=body.query,
        ctx=query_tokens + max(doc_tokens),
        input_param="documents",
    )
    status = await run_batch_task(runtime, principal_of(request), task, OPERATION_ID)
    ranking = getattr(status.result, "ranking", None)
    if not isinstance(ranking, list):
        raise ApiError(ErrorKind.INTERNAL, "the rerank task returned no ranking", status=502)
    pairs = [(int(item.index), float(item.score)) for item in ranking]
    results = []
    for index, score in ranked(pairs, body.top_n):
        item: dict[str, Any] = {"index": index, "relevance_score": score}
        if body.return_documents:
            item["document"] = {"text": body.documents[index]}
        results.append(item)
    total = query_tokens + sum(doc_tokens)
    return {
        "id": f"rerank-{uuid.uuid4().hex}",
        "model": body.model,
        "results": results,
        "usage": {"prompt_tokens": total, "total_tokens": total},
    }
