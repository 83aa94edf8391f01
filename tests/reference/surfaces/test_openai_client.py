"""The official ``openai`` Python client against the reference server: sync, async, streaming, errors.

Why: a conformant gateway must work with the clients people use; this catches wire details the
schema allows but the client chokes on (role repetition, usage chunks, error shapes).
"""

from __future__ import annotations

import asyncio
import base64
import struct
from typing import Any

import openai
import pytest

MODEL = "synth-small"
MESSAGES: list[Any] = [{"role": "user", "content": "Tell me about rivers."}]


def client_for(server: Any, key: str = "sk-local-dev") -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0, timeout=30.0)


def test_sync_completion_and_stream_agree(reference_server: Any) -> None:
    client = client_for(reference_server)
    completion = client.chat.completions.create(model=MODEL, messages=MESSAGES, seed=4, max_tokens=30)
    assert completion.object == "chat.completion" and completion.choices[0].message.role == "assistant"
    text = completion.choices[0].message.content
    assert text and completion.usage is not None
    assert (
        completion.usage.total_tokens == completion.usage.prompt_tokens + completion.usage.completion_tokens
    )

    stream = client.chat.completions.create(
        model=MODEL,
        messages=MESSAGES,
        seed=4,
        max_tokens=30,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    assert len({c.id for c in chunks}) == 1
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed == text
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == [completion.choices[0].finish_reason]
    assert chunks[-1].choices == [] and chunks[-1].usage == completion.usage


def test_async_client_and_stream(reference_server: Any) -> None:
    async def run() -> tuple[str, str]:
        client = openai.AsyncOpenAI(
            base_url=f"{reference_server.url}/v1", api_key="sk-local-dev", max_retries=0
        )
        try:
            answer = await client.chat.completions.create(model=MODEL, messages=MESSAGES, seed=6)
            stream = await client.chat.completions.create(model=MODEL, messages=MESSAGES, seed=6, stream=True)
            parts = [chunk.choices[0].delta.content or "" async for chunk in stream if chunk.choices]
            return answer.choices[0].message.content or "", "".join(parts)
        finally:
            await client.close()

    answer, streamed = asyncio.run(run())
    assert answer and answer == streamed


def test_stream_helper_accumulates_tool_calls(reference_server: Any) -> None:
    client = client_for(reference_server)
    tool: Any = {
        "type": "function",
        "function": {
            "name": "lookup",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
        },
    }
    with client.chat.completions.stream(
        model=MODEL, messages=MESSAGES, tools=[tool], tool_choice="required", seed=2
    ) as stream:
        final = stream.get_final_completion()
    choice = final.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.tool_calls
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name == "lookup" and '"q"' in call.function.arguments


def test_embeddings_and_models(reference_server: Any) -> None:
    client = client_for(reference_server)
    result = client.embeddings.create(model=MODEL, input=["alpha", "beta"], dimensions=16)
    assert [d.index for d in result.data] == [0, 1] and all(len(d.embedding) == 16 for d in result.data)
    assert result.usage.prompt_tokens == result.usage.total_tokens == 2
    raw = client.embeddings.with_raw_response.create(model=MODEL, input="alpha", encoding_format="base64")
    packed = base64.b64decode(raw.http_response.json()["data"][0]["embedding"])
    assert len(struct.unpack(f"<{len(packed) // 4}f", packed)) == 64
    models = {m.id for m in client.models.list()}
    assert {"synth-small", "synth-chat"} <= models


def test_errors_are_typed_exceptions(reference_server: Any) -> None:
    client = client_for(reference_server)
    with pytest.raises(openai.BadRequestError) as bad:
        client.chat.completions.create(model=MODEL, messages=MESSAGES, extra_body={"not_a_field": 1})
    assert bad.value.code == "unsupported_field" and bad.value.param == "not_a_field"
    with pytest.raises(openai.NotFoundError) as missing:
        client.chat.completions.create(model="no-such-model", messages=MESSAGES)
    assert missing.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=MODEL, messages=MESSAGES, n=2, stream=True)
    with pytest.raises(openai.AuthenticationError):
        client_for(reference_server, key="sk-wrong").models.list()
    with pytest.raises(openai.PermissionDeniedError):
        client_for(reference_server, key="sk-local-readonly").models.list()


def test_fields_real_clients_send_are_accepted(reference_server: Any) -> None:
    client = client_for(reference_server)
    completion = client.chat.completions.create(
        model=MODEL,
        messages=[
            *MESSAGES,
            {"role": "assistant", "content": "Rivers flow.", "refusal": None},
            {"role": "user", "content": "More."},
        ],
        max_completion_tokens=6,
        service_tier="auto",
        store=False,
        metadata={"suite": "issue-11"},
        reasoning_effort="low",
        verbosity="low",
        safety_identifier="user-1",
        prompt_cache_key="rivers",
        parallel_tool_calls=True,
    )
    assert completion.choices[0].message.refusal is None and completion.choices[0].logprobs is None


def test_legacy_functions_with_the_client(reference_server: Any) -> None:
    client = client_for(reference_server)
    function: Any = {
        "name": "lookup",
        "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
    }
    completion = client.chat.completions.create(
        model=MODEL, messages=MESSAGES, functions=[function], function_call={"name": "lookup"}, seed=2
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "function_call"
    assert choice.message.function_call is not None and choice.message.function_call.name == "lookup"


def test_embeddings_default_base64_and_token_ids(reference_server: Any) -> None:
    client = client_for(reference_server)
    # Without encoding_format the client asks for base64 and decodes it to floats itself.
    default = client.embeddings.create(model=MODEL, input="alpha")
    floats = client.embeddings.create(model=MODEL, input="alpha", encoding_format="float")
    assert default.data[0].embedding == pytest.approx(floats.data[0].embedding, abs=1e-6)
    tokens = client.embeddings.create(model=MODEL, input=[[1, 2, 3], [4]])
    assert [d.index for d in tokens.data] == [0, 1] and tokens.usage.prompt_tokens == 4
