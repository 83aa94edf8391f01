"""The SDK against the real reference gateway (``python -m llmgw_reference`` in a subprocess, real HTTP).

Every stream kind, the JSON calls, the error classes the reference can be made to produce, a retry on
its real ``MODEL_LOADING`` signal, and a cancel by disconnect that the server records.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from llmgw_generated.control_client.api.catalog import register_catalog_model, set_catalog_model_state
from llmgw_generated.control_client.models import ModelState, ModelStateChange, RegisterModelRequest
from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_generated.models.data import (
    ChatFinishReason,
    CompletionResult,
    FinishReason,
    GenerateFinishReason,
    TaskState,
)
from llmgw_sdk import (
    API_KEY_ENV,
    AsyncGatewayClient,
    AuthenticationError,
    GatewayClient,
    InvalidRequestError,
    ModelDeprecatedError,
    ModelLoadFailedError,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    StreamError,
    TaskStarted,
    TaskToken,
    acollect_chat_stream,
    acollect_generate_stream,
    acollect_task_stream,
    collect_chat_stream,
    collect_generate_stream,
    collect_task_stream,
)
from tests.sdk.readme_example import chat_summary_async, stream_chat_and_task
from tests.sdk.reference_process import KEY, running_reference

READONLY_KEY = "sk-local-readonly"
MODEL = "synth-small"
CHAT: dict[str, Any] = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "max_tokens": 6}


def task(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "workload": "completion", "model_ref": MODEL, "engine": "vllm", "ctx": 8000,
        "priority": "interactive", "prompt": "hi", "max_tokens": 5, "deadline_ms": 30000,
    }  # fmt: skip
    return {**base, **overrides}


@pytest.fixture(scope="module")
def reference_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # 100 tokens/s: slow enough that a stream can be cut or outrun by its deadline, fast enough for CI.
    with running_reference(tmp_path_factory.mktemp("reference"), tokens_per_s=100) as url:
        yield url


@pytest.fixture
def client(reference_url: str) -> Iterator[GatewayClient]:
    with GatewayClient(reference_url, api_key=KEY) as c:
        yield c


@pytest.fixture(scope="module")
def long_seed(reference_url: str) -> int:
    """A seed whose synthetic generation for prompt "hi" runs at least 30 tokens (0.3 s at 100 tokens/s).

    The synthetic engine stops naturally after 4 to 48 tokens, depending on prompt and seed; a test that
    cuts a stream short needs one that lasts.
    """
    with GatewayClient(reference_url, api_key=KEY) as c:
        for seed in range(64):
            result = c.generate(MODEL, {"prompt": "hi", "max_new_tokens": 48, "seed": seed})
            if result.usage.completion_tokens >= 30:
                return seed
    raise AssertionError("no seed in 0..63 gives a generation of 30 tokens or more")


def test_chat_json_and_stream(client: GatewayClient) -> None:
    completion = client.chat({**CHAT, "seed": 7, "temperature": 0})
    streamed = collect_chat_stream(
        client.stream_chat({**CHAT, "seed": 7, "temperature": 0, "stream_options": {"include_usage": True}})
    )
    assert completion.choices[0].message.content
    assert streamed.text == completion.choices[0].message.content
    assert streamed.finish_reason is ChatFinishReason.length
    assert streamed.usage is not None and streamed.usage.completion_tokens == 6
    assert streamed.ttft_ms is not None and streamed.tpot_ms is not None


def test_generate_json_and_stream(client: GatewayClient) -> None:
    request = {"prompt": "hi", "max_new_tokens": 5, "seed": 3}
    result = client.generate(MODEL, request)
    streamed = collect_generate_stream(client.stream_generate(MODEL, request))
    assert streamed.text == result.text != ""
    assert streamed.model == MODEL
    assert streamed.finish_reason is GenerateFinishReason.length
    assert streamed.usage.completion_tokens == 5


def test_native_task_stream_and_status(client: GatewayClient) -> None:
    result = collect_task_stream(client.run_task(task()))
    assert 1 <= result.tokens_out <= 5
    assert result.finish_reason in (FinishReason.length, FinishReason.stop)
    assert result.task_id is not None
    status = client.get_task(result.task_id)
    assert status.state is TaskState.succeeded
    assert isinstance(status.result, CompletionResult)
    assert status.result.text == result.text


def test_closing_a_native_stream_cancels_the_task(client: GatewayClient, long_seed: int) -> None:
    task_id = None
    with client.run_task(task(max_tokens=4000, seed=long_seed)) as stream:
        for event in stream:
            if isinstance(event, TaskStarted):
                task_id = event.data.task_id
            if isinstance(event, TaskToken) and event.data.i == 2:
                break
    assert task_id is not None
    status = client.get_task(task_id, wait_ms=3000)
    assert status.state is TaskState.cancelled
    assert status.tokens_out is not None and status.tokens_out < 4000


def test_mid_stream_deadline_is_raised_as_stream_error(client: GatewayClient, long_seed: int) -> None:
    tokens = 0
    with pytest.raises(StreamError) as caught:
        for event in client.run_task(task(max_tokens=4000, deadline_ms=150, seed=long_seed)):
            tokens += isinstance(event, TaskToken)
    assert caught.value.kind is ErrorKind.DEADLINE_UNMET
    assert 0 < tokens < 30


def test_error_classes_from_both_shapes(client: GatewayClient, reference_url: str) -> None:
    with GatewayClient(reference_url, api_key="sk-unknown") as stranger:
        with pytest.raises(AuthenticationError):
            stranger.chat(CHAT)
        with pytest.raises(AuthenticationError) as native:
            stranger.submit_task(task())
        assert native.value.reason is ErrorReason.UNAUTHENTICATED
    with GatewayClient(reference_url, api_key=READONLY_KEY) as reader, pytest.raises(PermissionDeniedError):
        reader.stream_chat({**CHAT})
    with pytest.raises(NotFoundError) as unknown:
        client.stream_chat({**CHAT, "model": "no-such-model"})
    assert unknown.value.reason is ErrorReason.UNKNOWN_MODEL and unknown.value.param == "model"
    with pytest.raises(NotFoundError):
        client.generate("no-such-model", {"prompt": "x", "max_new_tokens": 1})
    with pytest.raises(InvalidRequestError) as lora:
        client.chat({**CHAT, "lora_adapter": "no-such-adapter"})
    assert lora.value.reason is ErrorReason.UNKNOWN_LORA
    admitted = client.submit_task(task())
    with pytest.raises(InvalidRequestError) as dup:
        client.submit_task(task(task_id=admitted.task_id, session_id=str(uuid.uuid4())))
    assert dup.value.status == 409


def test_retired_model_via_the_generated_control_client(client: GatewayClient) -> None:
    retire = ModelStateChange(state=ModelState.RETIRED)
    assert (
        set_catalog_model_state.sync_detailed("synth-chat", client=client.control, body=retire).status_code
        == 200
    )
    try:
        with pytest.raises(ModelDeprecatedError):
            client.chat({**CHAT, "model": "synth-chat"})
    finally:
        back = ModelStateChange(state=ModelState.ACTIVE)
        set_catalog_model_state.sync_detailed("synth-chat", client=client.control, body=back)
    assert client.chat({**CHAT, "model": "synth-chat"}).choices


def register(client: GatewayClient, model_id: str, artifact: bytes) -> None:
    digest = "sha256:" + hashlib.sha256(artifact).hexdigest()
    uri = "data:application/json;base64," + base64.b64encode(artifact).decode()
    body = RegisterModelRequest(id=model_id, digest=digest, artifact_uri=uri)
    answer = register_catalog_model.sync_detailed(client=client.control, body=body)
    assert answer.status_code == 201, answer.content


def test_model_loading_is_waited_out_and_load_failure_is_not_retried(client: GatewayClient) -> None:
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    policy = RetryPolicy(sleep=sleep, random=lambda: 0.0)
    loadable = f"sdk-load-{uuid.uuid4().hex[:8]}"
    register(client, loadable, json.dumps({"format": "synthetic-model"}).encode())
    completion = client.chat({**CHAT, "model": loadable}, retry=policy)
    assert completion.choices[0].message.content
    assert waits and all(w >= 1.0 for w in waits)  # the reference asks Retry-After >= 1 s while loading

    broken = f"sdk-broken-{uuid.uuid4().hex[:8]}"
    register(client, broken, b"not a model")
    waits.clear()
    with pytest.raises(ModelLoadFailedError):
        client.chat({**CHAT, "model": broken}, retry=policy)
    assert waits == []


def test_async_client_streams_chat_and_tasks(reference_url: str) -> None:
    async def run() -> tuple[str, int, str]:
        async with AsyncGatewayClient(reference_url, api_key=KEY) as aclient:
            chat = await acollect_chat_stream(await aclient.stream_chat(CHAT))
            native = await acollect_task_stream(await aclient.run_task(task()))
            request = {"prompt": "hi", "max_new_tokens": 4, "seed": 1}
            generated = await acollect_generate_stream(await aclient.stream_generate(MODEL, request))
            assert generated.text == (await aclient.generate(MODEL, request)).text
        return chat.text, native.tokens_out, generated.text

    text, tokens_out, generated_text = asyncio.run(run())
    assert text and 1 <= tokens_out <= 5 and generated_text


def test_readme_example_runs(reference_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(API_KEY_ENV, KEY)
    chat_text, task_text = stream_chat_and_task(reference_url)
    assert chat_text and task_text
    ttft = asyncio.run(chat_summary_async(reference_url))
    assert ttft is not None and ttft > 0
