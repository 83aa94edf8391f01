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

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.answer_problems import judge_problems, ok_object
from llmgw_conformance.probes.error_rules import field_list, field_map, parse_json_object
from llmgw_conformance.probes.target_claims import model_for
from llmgw_conformance.probes.task_requests import judge_task_result
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


def _has_data(answer: Mapping[str, Any]) -> bool:
    return isinstance(answer.get("data"), list)


def _embed(ctx: CheckContext, inputs: list[Any], encoding: str | None = None) -> Response:
    body: dict[str, Any] = {"model": model_for(ctx, "embedding")[0], "input": inputs}
    if encoding:
        body["encoding_format"] = encoding
    return ctx.request("POST", "/v1/embeddings", json=body)


def _in_order_problems(items: list[Any], n_inputs: int, same: tuple[int, int]) -> list[str]:
    """Problems of the answer's ``data`` items for ``n_inputs`` inputs, in order, where the inputs at
    positions ``same`` are equal (so their vectors must be too: an answer out of order shows there)."""
    found = [d for d in items if isinstance(d, Mapping)]
    vectors = [d.get("embedding") for d in found]
    problems = vectors_problems(vectors, n_inputs)
    indexes = [d.get("index") for d in found]
    if indexes != list(range(n_inputs)):
        problems.append(f"indexes {indexes} are not 0..{n_inputs - 1} in order")
    first, again = same
    if not problems and vectors[first] != vectors[again]:
        problems.append(
            f"the same input (positions {first} and {again}) got different vectors: not in input order"
        )
    return problems


@check("embeddings", requirements=["EMB-ONE-PER-INPUT", "EMB-USAGE", "EMB-BASE64"], profiles=["embeddings"])
def embeddings(ctx: CheckContext) -> None:
    """One finite embedding per input, in order, one dimension; usage total == prompt > 0; base64 equal."""
    with Verdicts(ctx, ["EMB-ONE-PER-INPUT", "EMB-USAGE", "EMB-BASE64"]) as verdicts:
        response = _embed(ctx, INPUTS)
        answer = ok_object(
            verdicts,
            "EMB-ONE-PER-INPUT",
            response,
            "/v1/embeddings",
            expected="200 EmbeddingsResponse",
            holds=_has_data,
        )
        if answer is None:
            return
        judge_problems(
            verdicts, "EMB-ONE-PER-INPUT", response, _in_order_problems(answer["data"], len(INPUTS), (1, 3))
        )
        usage = field_map(answer, "usage")
        prompt, total = usage.get("prompt_tokens"), usage.get("total_tokens")
        verdicts.expect(
            "EMB-USAGE",
            isinstance(prompt, int) and prompt > 0 and total == prompt,
            "usage is not total_tokens == prompt_tokens > 0",
            expected="total_tokens == prompt_tokens > 0",
            received=repr(usage),
            exchanges=[response.exchange],
        )
        floats = [d.get("embedding") for d in answer["data"] if isinstance(d, Mapping)]
        _judge_base64(ctx, verdicts, floats)


def _decoded_base64(item: Any) -> list[float] | None:
    """The little-endian float32 vector of a base64 ``embedding``, or None when it is not one."""
    encoded = item.get("embedding") if isinstance(item, Mapping) else None
    try:
        raw = base64.b64decode(str(encoded), validate=True)
        return list(struct.unpack(f"<{len(raw) // 4}f", raw)) if len(raw) % 4 == 0 else None
    except (ValueError, struct.error):
        return None


def _judge_base64(ctx: CheckContext, verdicts: Verdicts, floats: list[Any]) -> None:
    req = "EMB-BASE64"
    response = _embed(ctx, INPUTS, "base64")
    answer = ok_object(
        verdicts,
        req,
        response,
        "base64 request",
        holds=lambda found: _has_data(found) and len(found["data"]) == len(floats),
    )
    if answer is None:
        return
    for i, item in enumerate(answer["data"]):
        decoded = _decoded_base64(item)
        expected = floats[i] if isinstance(floats[i], list) else []
        if (
            decoded is None
            or len(decoded) != len(expected)
            or any(
                abs(a - float(b)) > BASE64_TOLERANCE * max(1.0, abs(float(b)))
                for a, b in zip(decoded, expected, strict=False)
            )
        ):
            encoded = item.get("embedding") if isinstance(item, Mapping) else None
            verdicts.fail(
                req,
                f"embedding {i} in base64 does not decode to the float answer",
                expected=str(expected[:4]),
                received=str(decoded[:4] if decoded else encoded)[:200],
                exchanges=[response.exchange],
            )
            return
    verdicts.observed(req, response.exchange)


def _task_vectors_problems(result: Mapping[str, Any]) -> list[str]:
    """A native embedding result holds one finite vector per input, of one dimension, in input order."""
    vectors = field_list(result, "embeddings")
    problems = vectors_problems(vectors, len(INPUTS))
    if not problems and vectors[1] != vectors[3]:
        problems.append("the same input (positions 1 and 3) got different vectors: not in input order")
    return problems


@check("task-embed-result", requirements=["TASK-EMBED-RESULT"], profiles=["embeddings"])
def task_embed_result(ctx: CheckContext) -> None:
    """A succeeded native embedding task has one finite vector per input, one dimension, in input order."""
    req = "TASK-EMBED-RESULT"
    with Verdicts(ctx, [req]) as verdicts:
        judge_task_result(ctx, verdicts, req, ("embedding", None, INPUTS), _task_vectors_problems)


#: Token ids of three inputs (small ids exist in every vocabulary): the list form of each.
TOKEN_INPUTS: list[list[int]] = [[15, 16, 17], [20, 21], [15, 16, 17]]


@check("embeddings-token-input", requirements=["EMB-TOKEN-INPUT"], profiles=["embeddings"])
def embeddings_token_input(ctx: CheckContext) -> None:
    """Token-id inputs (LangChain's default) get one embedding each in order, or a clear 400."""
    req = "EMB-TOKEN-INPUT"
    with Verdicts(ctx, [req]) as verdicts:
        response = _embed(ctx, TOKEN_INPUTS)
        error = field_map(parse_json_object(response.text or "") or {}, "error")
        if response.status == 400 and error.get("type") == "invalid_request_error":
            verdicts.not_supported(req, "token-id input refused with 400 invalid_request_error")
            return
        expected = "200 with one embedding per input, or 400 invalid_request_error"
        answer = ok_object(verdicts, req, response, "token-id input", expected=expected, holds=_has_data)
        if answer is not None:
            problems = _in_order_problems(answer["data"], len(TOKEN_INPUTS), (0, 2))
            judge_problems(verdicts, req, response, problems)
