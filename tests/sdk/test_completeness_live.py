"""Embeddings, rerank and model listing, request validation, configuration from the environment and
``status_code``: the SDK against the real reference gateway (a subprocess, real HTTP), sync and async.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator

import pydantic
import pytest

from llmgw_generated.models.data import EmbeddingsRequest
from llmgw_sdk import (
    API_KEY_ENV,
    BASE_URL_ENV,
    LEGACY_API_KEY_ENV,
    AsyncGatewayClient,
    AuthenticationError,
    GatewayClient,
    GatewayError,
    NotFoundError,
    RequestValidationError,
    RetryPolicy,
    UsageError,
)
from tests.sdk.reference_process import KEY, running_reference

MODEL = "synth-small"
DOCUMENTS = ["a cat sat on the mat", "stock prices fell", "the cat chased a mouse", "rain tomorrow"]


@pytest.fixture(scope="module")
def reference_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_reference(tmp_path_factory.mktemp("reference")) as url:
        yield url


@pytest.fixture
def client(reference_url: str) -> Iterator[GatewayClient]:
    with GatewayClient(reference_url, api_key=KEY) as c:
        yield c


def test_embeddings_one_per_input_in_order(client: GatewayClient) -> None:
    texts = ["first", "second text", "third"]
    answer = client.embeddings({"model": MODEL, "input": texts})
    assert answer.object == "list" and answer.model == MODEL
    assert [e.index for e in answer.data] == [0, 1, 2]
    vectors = [e.embedding for e in answer.data]
    assert all(isinstance(v, list) and v and all(isinstance(x, float) for x in v) for v in vectors)
    assert vectors[0] != vectors[1]
    assert answer.usage.total_tokens == answer.usage.prompt_tokens > 0
    # A model instance works as well as a mapping, and one text gives one vector.
    single = client.embeddings(EmbeddingsRequest.model_validate({"model": MODEL, "input": "first"}))
    assert len(single.data) == 1 and single.data[0].embedding == vectors[0]


def test_rerank_sorted_by_relevance_with_top_n(client: GatewayClient) -> None:
    answer = client.rerank({"model": MODEL, "query": "cat", "documents": DOCUMENTS})
    scores = [r.relevance_score for r in answer.results]
    assert scores == sorted(scores, reverse=True)
    assert sorted(r.index for r in answer.results) == list(range(len(DOCUMENTS)))
    top = client.rerank(
        {"model": MODEL, "query": "cat", "documents": DOCUMENTS, "top_n": 2, "return_documents": True}
    )
    assert [r.index for r in top.results] == [r.index for r in answer.results[:2]]
    assert all(r.document and r.document.text == DOCUMENTS[r.index] for r in top.results)


def test_list_models_names_the_active_models(client: GatewayClient) -> None:
    models = client.list_models()
    assert models.object == "list" and MODEL in {m.id for m in models.data}


def test_async_client_has_the_same_calls(reference_url: str) -> None:
    async def main() -> tuple[int, list[int], set[str]]:
        async with AsyncGatewayClient(reference_url, api_key=KEY) as aclient:
            emb = await aclient.embeddings({"model": MODEL, "input": ["x", "y"]})
            ranked = await aclient.rerank({"model": MODEL, "query": "cat", "documents": DOCUMENTS})
            models = await aclient.list_models()
            return len(emb.data), [r.index for r in ranked.results], {m.id for m in models.data}

    count, order, ids = asyncio.run(main())
    with GatewayClient(reference_url, api_key=KEY) as sync:
        expected = [
            r.index for r in sync.rerank({"model": MODEL, "query": "cat", "documents": DOCUMENTS}).results
        ]
    assert count == 2 and order == expected and MODEL in ids


def test_errors_carry_status_code_as_httpx_and_openai_name_it(client: GatewayClient) -> None:
    with pytest.raises(NotFoundError) as missing:
        client.embeddings({"model": "no-such-model", "input": "x"})
    assert missing.value.status_code == 404 and missing.value.status == 404


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.embeddings({"model": MODEL}), "input"),
        (lambda c: c.rerank({"model": MODEL, "query": "q", "documents": ["d"], "bogus": 1}), "bogus"),
        (lambda c: c.rerank({"model": MODEL, "query": "q", "documents": ["d"], "top_n": 0}), "top_n"),
        (lambda c: c.chat({"model": MODEL}), "messages"),
        (lambda c: c.generate(MODEL, {"prompt": "x", "max_new_tokens": "many"}), "max_new_tokens"),
        (lambda c: c.submit_task({"workload": "completion"}), "model_ref"),
    ],
)
def test_a_request_that_does_not_validate_names_the_field(
    call: Callable[[GatewayClient], object], field: str
) -> None:
    # Port 9 (discard) is never contacted: the error comes before any connection attempt.
    with (
        GatewayClient("http://127.0.0.1:9", api_key="k", retry=RetryPolicy.never()) as c,
        pytest.raises(RequestValidationError) as bad,
    ):
        call(c)
    error = bad.value
    assert isinstance(error, GatewayError) and isinstance(error, UsageError)
    assert not isinstance(error, pydantic.ValidationError)
    assert field in {name for name, _ in error.errors} and field in str(error)
    assert isinstance(error.__cause__, pydantic.ValidationError)


def test_async_validation_error_is_the_same(reference_url: str) -> None:
    async def main() -> None:
        async with AsyncGatewayClient(reference_url, api_key=KEY) as aclient:
            await aclient.embeddings({"model": MODEL})

    with pytest.raises(RequestValidationError) as bad:
        asyncio.run(main())
    assert bad.value.field == "input"


def test_base_url_and_key_from_the_environment(reference_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BASE_URL_ENV, reference_url)
    monkeypatch.setenv(API_KEY_ENV, KEY)
    monkeypatch.delenv(LEGACY_API_KEY_ENV, raising=False)
    with GatewayClient() as c:
        assert MODEL in {m.id for m in c.list_models().data}
    # The older variable is still read when the new one is unset ...
    monkeypatch.delenv(API_KEY_ENV)
    monkeypatch.setenv(LEGACY_API_KEY_ENV, KEY)
    with GatewayClient() as c:
        assert c.list_models().data
    # ... and the new one wins when both are set (a wrong key proves which was sent).
    monkeypatch.setenv(API_KEY_ENV, "sk-not-a-key")
    with GatewayClient() as c, pytest.raises(AuthenticationError) as refused:
        c.list_models()
    assert refused.value.status_code == 401


def test_no_base_url_anywhere_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_URL_ENV, raising=False)
    with pytest.raises(UsageError, match=BASE_URL_ENV):
        GatewayClient(api_key="k")
    with pytest.raises(UsageError, match=BASE_URL_ENV):
        AsyncGatewayClient(api_key="k")
