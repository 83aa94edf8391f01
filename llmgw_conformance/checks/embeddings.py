"""Embeddings: one finite vector per input, in order, of one dimension; usage; base64; native tasks.

Why: retrieval pipelines zip embeddings back to their inputs by position; an answer in another
order, with a missing vector or a NaN, corrupts an index without any error. Base64 answers must
decode to the same floats, or clients that ask for the compact encoding get different vectors.
"""

from __future__ import annotations

import base64
import math
import struct
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.error_rules import field_list, field_map, parse_json_object
from llmgw_conformance.probes.target_claims import model_for
from llmgw_conformance.probes.task_requests import succeeded_task
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

INPUTS = ["the river runs to the sea", "a cat sleeps", "quantum chromodynamics", "a cat sleeps"]
#: Float32 round trip tolerance between the float and the base64 answers.
BASE64_TOLERANCE = 1e-5


def vectors_problems(vectors: list[Any], n_inputs: int) -> list[str]:
    """Problems of a list of vectors for ``n_inputs`` inputs (count, finiteness, one dimension)."""
    problems = []
    if len(vectors) != n_inputs:
        problems.append(f"{len(vectors)} vectors for {n_inputs} inputs")
    dims = set()
    for i, vec in enumerate(vectors):
        if not isinstance(vec, list) or not vec:
            problems.append(f"vector {i} is not a non-empty list")
            continue
        dims.add(len(vec))
        if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in vec):
            problems.append(f"vector {i} has a non-finite or non-number component")
    if len(dims) > 1:
        problems.append(f"vectors of different dimensions {sorted(dims)}")
    return problems


def _embed(ctx: CheckContext, encoding: str | None = None) -> tuple[Any, dict[str, Any] | None]:
    body: dict[str, Any] = {"model": model_for(ctx, "embedding")[0], "input": INPUTS}
    if encoding:
        body["encoding_format"] = encoding
    response = ctx.request("POST", "/v1/embeddings", json=body)
    return response, parse_json_object(response.text or "") if response.status == 200 else None


@check("embeddings", requirements=["EMB-ONE-PER-INPUT", "EMB-USAGE", "EMB-BASE64"], profiles=["embeddings"])
def embeddings(ctx: CheckContext) -> None:
    """One finite embedding per input, in order, one dimension; usage total == prompt > 0; base64 equal."""
    with Verdicts(ctx, ["EMB-ONE-PER-INPUT", "EMB-USAGE", "EMB-BASE64"]) as verdicts:
        response, answer = _embed(ctx)
        ex = response.exchange
        if answer is None or not isinstance(answer.get("data"), list):
            verdicts.fail(
                "EMB-ONE-PER-INPUT",
                f"/v1/embeddings answered {response.status}",
                expected="200 EmbeddingsResponse",
                received=(response.text or "")[:300],
                exchanges=[ex],
            )
            return
        items = [d for d in answer["data"] if isinstance(d, Mapping)]
        indexes = [d.get("index") for d in items]
        problems = vectors_problems([d.get("embedding") for d in items], len(INPUTS))
        if indexes != list(range(len(INPUTS))):
            problems.append(f"indexes {indexes} are not 0..{len(INPUTS) - 1} in order")
        floats = [d.get("embedding") for d in items]
        if not problems and floats[1] != floats[3]:
            problems.append(
                "the same input (positions 1 and 3) got different vectors: answers are not in input order"
            )
        if problems:
            verdicts.fail(
                "EMB-ONE-PER-INPUT",
                "; ".join(problems[:3]),
                received=(response.text or "")[:300],
                exchanges=[ex],
            )
        else:
            verdicts.observed("EMB-ONE-PER-INPUT", ex)
        usage = field_map(answer, "usage")
        prompt, total = usage.get("prompt_tokens"), usage.get("total_tokens")
        if not isinstance(prompt, int) or prompt <= 0 or total != prompt:
            verdicts.fail(
                "EMB-USAGE",
                "usage is not total_tokens == prompt_tokens > 0",
                expected="total_tokens == prompt_tokens > 0",
                received=repr(usage),
                exchanges=[ex],
            )
        else:
            verdicts.observed("EMB-USAGE", ex)
        _judge_base64(ctx, verdicts, floats)


def _judge_base64(ctx: CheckContext, verdicts: Verdicts, floats: list[Any]) -> None:
    req = "EMB-BASE64"
    response, answer = _embed(ctx, "base64")
    ex = response.exchange
    if answer is None or not isinstance(answer.get("data"), list) or len(answer["data"]) != len(floats):
        verdicts.fail(
            req,
            f"base64 request answered {response.status}",
            received=(response.text or "")[:200],
            exchanges=[ex],
        )
        return
    for i, item in enumerate(answer["data"]):
        encoded = item.get("embedding") if isinstance(item, Mapping) else None
        try:
            raw = base64.b64decode(str(encoded), validate=True)
            decoded = list(struct.unpack(f"<{len(raw) // 4}f", raw)) if len(raw) % 4 == 0 else None
        except (ValueError, struct.error):
            decoded = None
        expected = floats[i] if isinstance(floats[i], list) else []
        if (
            decoded is None
            or len(decoded) != len(expected)
            or any(
                abs(a - float(b)) > BASE64_TOLERANCE * max(1.0, abs(float(b)))
                for a, b in zip(decoded, expected, strict=False)
            )
        ):
            verdicts.fail(
                req,
                f"embedding {i} in base64 does not decode to the float answer",
                expected=str(expected[:4]),
                received=str(decoded[:4] if decoded else encoded)[:200],
                exchanges=[ex],
            )
            return
    verdicts.observed(req, ex)


@check("task-embed-result", requirements=["TASK-EMBED-RESULT"], profiles=["embeddings"])
def task_embed_result(ctx: CheckContext) -> None:
    """A succeeded native embedding task has one finite vector per input, one dimension, in input order."""
    req = "TASK-EMBED-RESULT"
    with Verdicts(ctx, [req]) as verdicts:
        ran = succeeded_task(ctx, verdicts, req, "embedding", None, INPUTS)
        if ran is None:
            return
        response, result = ran
        vectors = field_list(result, "embeddings")
        problems = vectors_problems(vectors, len(INPUTS))
        if not problems and vectors[1] != vectors[3]:
            problems.append("the same input (positions 1 and 3) got different vectors: not in input order")
        if problems:
            verdicts.fail(
                req,
                "; ".join(problems[:3]),
                received=(response.text or "")[:300],
                exchanges=[response.exchange],
            )
        else:
            verdicts.observed(req, response.exchange)


#: Token ids of three inputs (small ids exist in every vocabulary): the list form of each.
TOKEN_INPUTS: list[list[int]] = [[15, 16, 17], [20, 21], [15, 16, 17]]


@check("embeddings-token-input", requirements=["EMB-TOKEN-INPUT"], profiles=["embeddings"])
def embeddings_token_input(ctx: CheckContext) -> None:
    """Token-id inputs (LangChain's default) get one embedding each in order, or a clear 400."""
    req = "EMB-TOKEN-INPUT"
    with Verdicts(ctx, [req]) as verdicts:
        model = model_for(ctx, "embedding")[0]
        response = ctx.request("POST", "/v1/embeddings", json={"model": model, "input": TOKEN_INPUTS})
        ex = response.exchange
        answer = parse_json_object(response.text or "") if response.status == 200 else None
        error = field_map(parse_json_object(response.text or "") or {}, "error")
        if response.status == 400 and error.get("type") == "invalid_request_error":
            verdicts.not_supported(req, "token-id input refused with 400 invalid_request_error")
        elif answer is None or not isinstance(answer.get("data"), list):
            verdicts.fail(
                req,
                f"token-id input answered {response.status}",
                expected="200 with one embedding per input, or 400 invalid_request_error",
                received=(response.text or "")[:300],
                exchanges=[ex],
            )
        else:
            items = [d for d in answer["data"] if isinstance(d, Mapping)]
            vectors = [d.get("embedding") for d in items]
            problems = vectors_problems(vectors, len(TOKEN_INPUTS))
            if [d.get("index") for d in items] != list(range(len(TOKEN_INPUTS))):
                problems.append(f"indexes are not 0..{len(TOKEN_INPUTS) - 1} in order")
            if not problems and vectors[0] != vectors[2]:
                problems.append("the same token ids (inputs 0 and 2) got different vectors")
            if problems:
                verdicts.fail(
                    req, "; ".join(problems[:3]), received=(response.text or "")[:300], exchanges=[ex]
                )
            else:
                verdicts.observed(req, ex)
