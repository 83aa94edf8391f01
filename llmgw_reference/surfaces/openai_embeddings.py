"""``POST /v1/embeddings`` (createEmbeddings): one embedding per input, in input order.

``dimensions`` keeps the first ``d`` components and renormalises (what the synthetic engine does
for a ``dimensions`` argument), so a shortened vector is still unit-norm.  ``base64`` is the
little-endian float32 bytes of the same vector, as the OpenAI clients decode it.  ``input`` may be
token ids (LangChain's default), one list or one per input, as OpenAI's API allows.
"""

from __future__ import annotations

import base64
import math
import struct
from typing import Any

from starlette.requests import Request

from llmgw_generated.models.common import ErrorKind, Workload
from llmgw_generated.models.data import EmbeddingsRequest
from llmgw_reference.engine.synthetic import EMBEDDING_DIMENSIONS
from llmgw_reference.errors import ApiError, bad_request
from llmgw_reference.surfaces.batch_tasks import batch_task, run_batch_task
from llmgw_reference.surfaces.json_body import parse_validated, read_json_body
from llmgw_reference.surfaces.openai_routes import openai_json_route
from llmgw_reference.surfaces.runtime_access import principal_of, resolve_model, runtime_of

OPERATION_ID = "createEmbeddings"


def shorten(vector: list[float], dimensions: int | None) -> list[float]:
    """The first ``dimensions`` components, renormalised to unit length."""
    if dimensions is None or dimensions >= len(vector):
        return vector
    head = vector[:dimensions]
    norm = math.sqrt(sum(v * v for v in head)) or 1.0
    return [v / norm for v in head]


def encode_base64(vector: list[float]) -> str:
    """Little-endian float32 bytes, base64-encoded."""
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def token_text(ids: list[int]) -> str:
    """A token-id input as the synthetic engine's text: one word per id, so its count is the id count.

    The synthetic engine has no vocabulary to decode ids with; what matters to the contract is one
    embedding per input, deterministic per id sequence, and usage that counts the ids.
    """
    return " ".join(f"t{token}" for token in ids)


def input_texts(raw_input: Any) -> list[str]:
    """The inputs of a schema-valid ``input``: a text, texts, one token-id list or token-id lists."""
    if isinstance(raw_input, str):
        return [raw_input]
    if all(isinstance(item, int) for item in raw_input):
        return [token_text(raw_input)]
    return [item if isinstance(item, str) else token_text(item) for item in raw_input]


@openai_json_route
async def create_embeddings(request: Request) -> dict[str, Any]:
    """The embeddings answer: one vector per input, in input order."""
    raw = await read_json_body(request, "EmbeddingsRequest")
    body = parse_validated(EmbeddingsRequest, raw)
    runtime = runtime_of(request)
    model = resolve_model(request, body.model, Workload.embedding)
    inputs = input_texts(raw["input"])  # the validated JSON: independent of how codegen wraps the union
    if body.dimensions is not None and body.dimensions > EMBEDDING_DIMENSIONS:
        raise bad_request(
            f"dimensions {body.dimensions} is above the model's {EMBEDDING_DIMENSIONS}", param="dimensions"
        )
    counts = [runtime.engine.count_tokens(text) for text in inputs]
    task = batch_task(
        workload=Workload.embedding,
        model_id=body.model,
        model=model,
        inputs=inputs,
        query=None,
        ctx=max(counts),
        input_param="input",
    )
    status = await run_batch_task(runtime, principal_of(request), task, OPERATION_ID)
    vectors = getattr(status.result, "embeddings", None)
    if not isinstance(vectors, list) or len(vectors) != len(inputs):
        raise ApiError(
            ErrorKind.INTERNAL, "the embedding task returned a wrong number of vectors", status=502
        )
    as_base64 = body.encoding_format == "base64"
    data = []
    for index, vector in enumerate(vectors):
        short = shorten([float(v) for v in vector], body.dimensions)
        data.append(
            {"object": "embedding", "index": index, "embedding": encode_base64(short) if as_base64 else short}
        )
    total = sum(counts)
    return {
        "object": "list",
        "data": data,
        "model": body.model,
        "usage": {"prompt_tokens": total, "total_tokens": total},
    }
