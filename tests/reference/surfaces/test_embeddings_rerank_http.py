"""``/v1/embeddings``, ``/v1/rerank`` and ``/v1/models`` over real HTTP."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import struct
from typing import Any

import httpx
import pytest

from llmgw_reference.surfaces.contract_schemas import validator_for


def test_models_list(api: httpx.Client) -> None:
    payload = api.get("/v1/models").json()
    assert not list(validator_for("ModelList").iter_errors(payload))
    ids = [m["id"] for m in payload["data"]]
    assert ids == sorted(ids) and {"synth-small", "synth-chat"} <= set(ids)
    for model in ids:  # every listed model can be used for chat
        chat = {"model": model, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 2}
        assert api.post("/v1/chat/completions", json=chat).status_code == 200


def test_embeddings_one_per_input_in_order(api: httpx.Client) -> None:
    inputs = ["the river", "a quiet stone", "", "the river"]
    response = api.post("/v1/embeddings", json={"model": "synth-small", "input": inputs})
    assert response.status_code == 200
    payload = response.json()
    assert not list(validator_for("EmbeddingsResponse").iter_errors(payload))
    assert [d["index"] for d in payload["data"]] == [0, 1, 2, 3]
    vectors = [d["embedding"] for d in payload["data"]]
    assert len({len(v) for v in vectors}) == 1 and vectors[0] == vectors[3] and vectors[0] != vectors[1]
    assert all(math.isfinite(x) for v in vectors for x in v)
    assert abs(math.sqrt(sum(x * x for x in vectors[1])) - 1) < 1e-9
    assert payload["usage"]["prompt_tokens"] == payload["usage"]["total_tokens"] == 7
    single = api.post("/v1/embeddings", json={"model": "synth-small", "input": "a quiet stone"}).json()
    assert single["data"][0]["embedding"] == vectors[1]


def test_embeddings_dimensions_and_base64(api: httpx.Client) -> None:
    request = {"model": "synth-small", "input": ["alpha", "beta"], "dimensions": 8}
    floats = api.post("/v1/embeddings", json=request).json()["data"]
    assert all(len(d["embedding"]) == 8 for d in floats)
    encoded = api.post("/v1/embeddings", json={**request, "encoding_format": "base64"}).json()["data"]
    for plain, packed in zip(floats, encoded, strict=True):
        raw = base64.b64decode(packed["embedding"])
        decoded = struct.unpack(f"<{len(raw) // 4}f", raw)
        assert len(decoded) == 8 and all(
            abs(a - b) < 1e-6 for a, b in zip(decoded, plain["embedding"], strict=True)
        )


@pytest.mark.parametrize(
    ("path", "payload", "status", "code"),
    [
        ("/v1/embeddings", {"model": "synth-small", "input": "x", "dimensions": 65}, 400, "invalid_params"),
        ("/v1/embeddings", {"model": "synth-small", "input": []}, 400, "invalid_params"),
        ("/v1/embeddings", {"model": "synth-small", "input": "x", "foo": 1}, 400, "unsupported_field"),
        ("/v1/embeddings", {"model": "synth-chat", "input": "x"}, 400, "invalid_params"),
        ("/v1/embeddings", {"model": "missing", "input": "x"}, 404, "model_not_found"),
        ("/v1/rerank", {"model": "synth-small", "query": "q", "documents": []}, 400, "invalid_params"),
        (
            "/v1/rerank",
            {"model": "synth-small", "query": "q", "documents": ["d"], "top_n": 0},
            400,
            "invalid_params",
        ),
        ("/v1/rerank", {"model": "missing", "query": "q", "documents": ["d"]}, 404, "model_not_found"),
    ],
)
def test_errors_are_openai_shaped(
    api: httpx.Client, path: str, payload: dict[str, Any], status: int, code: str
) -> None:
    response = api.post(path, json=payload)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and {"message", "type", "param", "code"} <= set(error)


def test_rerank_sorted_with_top_n_and_documents(api: httpx.Client) -> None:
    documents = ["green river stone", "blue cloud", "river", "the green river"]
    request = {"model": "synth-small", "query": "green river", "documents": documents}
    payload = api.post("/v1/rerank", json=request).json()
    assert not list(validator_for("RerankResponse").iter_errors(payload))
    scores = [r["relevance_score"] for r in payload["results"]]
    assert scores == sorted(scores, reverse=True)
    assert sorted(r["index"] for r in payload["results"]) == [0, 1, 2, 3]
    assert payload["results"][-1]["index"] == 1 and "document" not in payload["results"][0]
    top = api.post("/v1/rerank", json={**request, "top_n": 2, "return_documents": True}).json()["results"]
    assert [r["index"] for r in top] == [r["index"] for r in payload["results"][:2]]
    assert all(r["document"]["text"] == documents[r["index"]] for r in top)
    assert payload["usage"]["total_tokens"] > 0


def test_model_states_on_embeddings_and_rerank(start_reference: Any) -> None:
    server = start_reference(load_ms=3000)
    raw = json.dumps({"format": "synthetic-model", "name": "emb"}).encode()
    register = {
        "id": "emb",
        "digest": "sha256:" + hashlib.sha256(raw).hexdigest(),
        "artifact_uri": "data:application/json;base64," + base64.b64encode(raw).decode(),
        "workloads": ["embedding", "rerank"],
    }
    with server.client() as client:
        assert client.post("/v1/catalog/models", json=register).status_code in (200, 201)
        for path, payload in (
            ("/v1/embeddings", {"model": "emb", "input": "x"}),
            ("/v1/rerank", {"model": "emb", "query": "q", "documents": ["d"]}),
        ):
            loading = client.post(path, json=payload)
            assert loading.status_code == 503 and loading.json()["error"]["code"] == "model_loading"
            assert int(loading.headers["retry-after"]) >= 1
        assert (
            client.post("/v1/catalog/models/synth-small/state", json={"state": "Retired"}).status_code == 200
        )
        gone = client.post("/v1/embeddings", json={"model": "synth-small", "input": "x"})
        assert gone.status_code == 410 and gone.json()["error"]["code"] == "model_deprecated"
