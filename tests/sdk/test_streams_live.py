"""Stream handling over real HTTP against scripted servers: typed items, errors raised (never yielded),
no silent truncation, no retry once a stream opened, and closing a stream is a disconnect the server sees.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_generated.models.data import ChatFinishReason
from llmgw_sdk import (
    APIConnectionError,
    APITimeoutError,
    AsyncGatewayClient,
    GatewayClient,
    IncompleteStreamError,
    ServerError,
    StreamError,
    TaskEnd,
    TaskMetrics,
    TaskStarted,
    TaskToken,
    UnexpectedResponseError,
    collect_chat_stream,
    collect_generate_stream,
    collect_task_stream,
)
from tests.sdk.fake_time import FakeTime
from tests.sdk.scripted_gateway import DropConnection, ScriptedGateway
from tests.sdk.wire_samples import (
    API_KEY,
    CHAT_REQUEST,
    chat_chunk,
    gen_chunk,
    openai_error,
    sse_data,
    sse_named,
)

TASK_ID = "6f1c1f0e-8d2a-4c59-9a53-0a3c8e0e7b11"
EVENTS = ("GET", f"/v1/tasks/{TASK_ID}/events")
CHAT = ("POST", "/v1/chat/completions")
GEN = ("POST", "/v1/generate/synth-small")
GEN_REQUEST = {"prompt": "hi", "max_new_tokens": 8}

STARTED = sse_named("started", {"queue_position": 0, "predicted_start_ms": 5, "task_id": TASK_ID})


def token(i: int, text: str) -> bytes:
    return sse_named("token", {"t": text, "i": i})


def serve(
    gateway: ScriptedGateway, route: tuple[str, str], steps: list[bytes | float | DropConnection]
) -> None:
    async def handler(request: Request) -> Response:
        return gateway.sse(steps)

    gateway.on(*route, handler)


def test_native_events_are_typed_and_summarised(gateway: ScriptedGateway) -> None:
    end = {"tokens_out": 2, "decode_ms": 7, "finish_reason": "stop", "prompt_tokens": 3, "ttft_ms": 2}
    steps: list[bytes | float | DropConnection] = [
        STARTED, b": keep-alive\n\n", token(0, "Hel"), 0.02, sse_named("metrics", {"queue_depth": 0}),
        token(1, "lo"), sse_named("end", end),
    ]  # fmt: skip
    serve(gateway, EVENTS, steps)
    with GatewayClient(gateway.base_url, api_key=API_KEY) as client:
        events = list(client.stream_task_events(TASK_ID))
        assert [type(e) for e in events] == [TaskStarted, TaskToken, TaskMetrics, TaskToken, TaskEnd]
        assert [e.event for e in events] == ["started", "token", "metrics", "token", "end"]
        serve(gateway, EVENTS, steps)
        result = collect_task_stream(client.stream_task_events(TASK_ID))
    assert result.text == "Hello"
    assert result.tokens_out == 2
    assert result.finish_reason is not None and result.finish_reason.value == "stop"
    assert result.task_id == TASK_ID
    assert result.ttft_ms is not None and result.ttft_ms >= 0
    # Two tokens 20 ms apart: the client-side time per output token reflects that gap.
    assert result.tpot_ms is not None and result.tpot_ms >= 15


def test_native_error_event_is_raised_not_yielded(gateway: ScriptedGateway) -> None:
    error = {"code": "QUEUE_FULL_DROP_LRU", "message": "dropped for a newer task", "retriable": True,
             "policy_label": "drop-lru-batch"}  # fmt: skip
    serve(gateway, EVENTS, [STARTED, token(0, "a"), sse_named("error", error)])
    seen: list[str] = []
    client = GatewayClient(gateway.base_url, api_key=API_KEY)
    with client, pytest.raises(StreamError) as caught:
        for event in client.stream_task_events(TASK_ID):
            seen.append(event.event)
    assert seen == ["started", "token"]
    assert caught.value.kind is ErrorKind.QUEUE_FULL_DROP_LRU
    assert caught.value.policy_label == "drop-lru-batch"
    assert caught.value.retriable is True


def test_chat_error_payload_is_raised_with_its_fields(gateway: ScriptedGateway) -> None:
    error = openai_error("worker lost", "server_error", "worker_reset", param=None, kind="WORKER_RESET")
    serve(gateway, CHAT, [sse_data(chat_chunk("par", role=True)), sse_data(error), sse_data("[DONE]")])
    texts: list[str | None] = []
    client = GatewayClient(gateway.base_url, api_key=API_KEY)
    with client, pytest.raises(StreamError) as caught:
        for chunk in client.stream_chat(CHAT_REQUEST):
            texts.append(chunk.choices[0].delta.content)
    assert texts == ["par"]
    assert (caught.value.code, caught.value.type, caught.value.param) == (
        "worker_reset",
        "server_error",
        None,
    )
    assert caught.value.message == "worker lost"
    assert caught.value.kind is ErrorKind.WORKER_RESET


def test_generate_error_chunk_is_raised(gateway: ScriptedGateway) -> None:
    bad = {**gen_chunk(1, ""), "done": True, "finish_reason": "error",
           "error": {"code": "DECODE_TIMEOUT", "message": "decode took too long"}}  # fmt: skip
    serve(gateway, GEN, [sse_data(gen_chunk(0, "a")), sse_data(bad), sse_data("[DONE]")])
    client = GatewayClient(gateway.base_url, api_key=API_KEY)
    with client, pytest.raises(StreamError) as caught:
        collect_generate_stream(client.stream_generate("synth-small", GEN_REQUEST))
    assert caught.value.code == "DECODE_TIMEOUT"
    assert caught.value.kind is ErrorKind.DECODE_TIMEOUT


@pytest.mark.parametrize(
    ("route", "steps"),
    [
        (CHAT, [sse_data(chat_chunk("a", role=True)), sse_data(chat_chunk(None, finish="stop"))]),
        (GEN, [sse_data(gen_chunk(0, "a")), sse_data(gen_chunk(1, "b", done=True))]),
        (EVENTS, [STARTED, token(0, "a")]),
    ],
    ids=["chat-no-done", "generate-no-done", "native-no-terminal"],
)
def test_stream_without_terminator_raises(
    gateway: ScriptedGateway, route: tuple[str, str], steps: list[bytes | float | DropConnection]
) -> None:
    serve(gateway, route, steps)
    with GatewayClient(gateway.base_url, api_key=API_KEY) as client:
        if route == CHAT:
            stream = client.stream_chat(CHAT_REQUEST)
        elif route == GEN:
            stream = client.stream_generate("synth-small", GEN_REQUEST)  # type: ignore[assignment]
        else:
            stream = client.stream_task_events(TASK_ID)  # type: ignore[assignment]
        with pytest.raises(IncompleteStreamError):
            list(stream)


def test_mid_stream_drop_is_not_retried(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    serve(gateway, CHAT, [sse_data(chat_chunk("a", role=True)), 0.05, DropConnection()])
    with GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy()) as client:
        received: list[str | None] = []
        with pytest.raises(IncompleteStreamError) as caught:
            for chunk in client.stream_chat(CHAT_REQUEST):
                received.append(chunk.choices[0].delta.content)
    assert received == ["a"]
    assert "connection failed mid-stream" in str(caught.value)
    assert gateway.count(*CHAT) == 1
    assert fake_time.waits == []


def test_wrong_content_type_on_a_stream_is_not_retried(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    async def handler(request: Request) -> Response:
        return JSONResponse({"id": "x"}, status_code=200)

    gateway.on(*CHAT, handler)
    client = GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy())
    with client, pytest.raises(UnexpectedResponseError, match="text/event-stream"):
        client.stream_chat(CHAT_REQUEST)
    assert gateway.count(*CHAT) == 1


def test_closing_the_iterator_disconnects(gateway: ScriptedGateway) -> None:
    steps: list[bytes | float | DropConnection] = [STARTED, token(0, "a"), token(1, "b")]
    steps += [item for i in range(2, 200) for item in (0.05, token(i, "x"))]
    serve(gateway, EVENTS, steps)
    with GatewayClient(gateway.base_url, api_key=API_KEY) as client:
        with client.stream_task_events(TASK_ID) as stream:
            for event in stream:
                if isinstance(event, TaskToken) and event.data.i == 1:
                    break
        # The with block closed the connection: the server's stream body is cancelled well before its end.
        assert gateway.disconnected.wait(timeout=5)


def test_async_aclose_disconnects(gateway: ScriptedGateway) -> None:
    steps: list[bytes | float | DropConnection] = [STARTED, token(0, "a")]
    steps += [item for i in range(1, 200) for item in (0.05, token(i, "x"))]
    serve(gateway, EVENTS, steps)

    async def run() -> list[str]:
        names: list[str] = []
        async with AsyncGatewayClient(gateway.base_url, api_key=API_KEY) as client:
            stream = await client.stream_task_events(TASK_ID)
            async for event in stream:
                names.append(event.event)
                if event.event == "token":
                    break
            await stream.aclose()
        return names

    assert asyncio.run(run()) == ["started", "token"]
    assert gateway.disconnected.wait(timeout=5)


def test_async_stream_error_and_typed_chunks(gateway: ScriptedGateway) -> None:
    error = openai_error("model is loading", "server_error", "model_loading", kind="POOL_UNREADY")
    serve(gateway, CHAT, [sse_data(chat_chunk("x", role=True)), sse_data(error), sse_data("[DONE]")])

    async def run() -> StreamError:
        async with AsyncGatewayClient(gateway.base_url, api_key=API_KEY) as client:
            stream = await client.stream_chat(CHAT_REQUEST)
            with pytest.raises(StreamError) as caught:
                async for _chunk in stream:
                    pass
        return caught.value

    err = asyncio.run(run())
    assert err.reason is ErrorReason.MODEL_LOADING


def test_per_call_timeout_raises_typed_error_once(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    async def slow(request: Request) -> Response:
        await asyncio.sleep(2)
        return JSONResponse({})

    gateway.on(*CHAT, slow)
    client = GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy())
    with client, pytest.raises(APITimeoutError):
        client.chat(CHAT_REQUEST, timeout=0.3)
    assert gateway.count(*CHAT) == 1


def test_bearer_key_and_custom_headers_are_sent(gateway: ScriptedGateway) -> None:
    serve(gateway, CHAT, [sse_data(chat_chunk("a", role=True)), sse_data("[DONE]")])
    with GatewayClient(gateway.base_url, api_key=API_KEY, headers={"X-Team": "sdk"}) as client:
        list(client.stream_chat(CHAT_REQUEST, headers={"X-Call": "1"}))
    seen = gateway.seen_headers[-1]
    assert seen["authorization"] == f"Bearer {API_KEY}"
    assert (seen["x-team"], seen["x-call"]) == ("sdk", "1")
    assert seen["accept"] == "text/event-stream"


def test_json_answer_dropped_mid_body_is_not_retried(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    async def handler(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            yield b'{"id": "chatcmpl-1", "object": "chat.comp'
            raise DropConnection()

        return StreamingResponse(body(), media_type="application/json")

    gateway.on(*CHAT, handler)
    client = GatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy())
    with client, pytest.raises(APIConnectionError) as caught:
        client.chat(CHAT_REQUEST)
    assert not isinstance(caught.value, APITimeoutError)
    assert gateway.count(*CHAT) == 1
    assert fake_time.waits == []


def test_event_that_is_not_json_is_a_clear_error(gateway: ScriptedGateway) -> None:
    serve(gateway, CHAT, [sse_data(chat_chunk("a", role=True)), b"data: {not json\n\n", sse_data("[DONE]")])
    client = GatewayClient(gateway.base_url, api_key=API_KEY)
    with client, pytest.raises(UnexpectedResponseError, match="not JSON"):
        list(client.stream_chat(CHAT_REQUEST))


def test_endless_error_body_is_read_only_up_to_the_limit(gateway: ScriptedGateway) -> None:
    async def handler(request: Request) -> Response:
        async def body() -> AsyncIterator[bytes]:
            while True:
                yield b"x" * 4096
                await asyncio.sleep(0)

        return StreamingResponse(body(), status_code=500, media_type="text/plain")

    gateway.on(*CHAT, handler)
    client = GatewayClient(gateway.base_url, api_key=API_KEY, timeout=5)
    with client, pytest.raises(ServerError) as caught:
        client.chat(CHAT_REQUEST)
    assert len(caught.value.body) <= 64 * 1024
    assert caught.value.message.startswith("unexpected error body: xxx")


def tool_delta(index: int, *, call_id: str | None = None, name: str | None = None, args: str = "") -> bytes:
    call: dict[str, object] = {"index": index, "function": {"arguments": args}}
    if call_id is not None:
        call |= {"id": call_id, "type": "function", "function": {"name": name, "arguments": args}}
    chunk = chat_chunk(None)
    chunk["choices"] = [{"index": 0, "delta": {"tool_calls": [call]}, "finish_reason": None}]
    return sse_data(chunk)


def test_tool_call_fragments_are_joined_per_index(gateway: ScriptedGateway) -> None:
    steps: list[bytes | float | DropConnection] = [
        sse_data(chat_chunk(None, role=True)),
        tool_delta(0, call_id="call_a", name="get_weather", args='{"ci'),
        tool_delta(1, call_id="call_b", name="get_time", args="{"),
        tool_delta(0, args='ty": "Oslo"}'),
        tool_delta(1, args="}"),
        sse_data(chat_chunk(None, finish="tool_calls")),
        sse_data("[DONE]"),
    ]
    serve(gateway, CHAT, steps)
    with GatewayClient(gateway.base_url, api_key=API_KEY) as client:
        result = collect_chat_stream(client.stream_chat(CHAT_REQUEST))
    assert [(c.id, c.function.name, c.function.arguments) for c in result.tool_calls] == [
        ("call_a", "get_weather", '{"city": "Oslo"}'),
        ("call_b", "get_time", "{}"),
    ]
    assert result.finish_reason is ChatFinishReason.tool_calls
    assert result.text == ""


def test_plain_break_without_with_also_disconnects(gateway: ScriptedGateway) -> None:
    steps: list[bytes | float | DropConnection] = [STARTED, token(0, "a")]
    steps += [item for i in range(1, 200) for item in (0.05, token(i, "x"))]
    serve(gateway, EVENTS, steps)
    with GatewayClient(gateway.base_url, api_key=API_KEY) as client:
        for event in client.stream_task_events(TASK_ID):
            if event.event == "token":
                break
        # The abandoned stream is finalised at once (CPython refcounting), which closes its connection.
        assert gateway.disconnected.wait(timeout=5)


def test_async_mid_stream_drop_raises_incomplete(gateway: ScriptedGateway, fake_time: FakeTime) -> None:
    serve(gateway, GEN, [sse_data(gen_chunk(0, "a")), 0.05, DropConnection()])

    async def run() -> list[str]:
        texts: list[str] = []
        async with AsyncGatewayClient(gateway.base_url, api_key=API_KEY, retry=fake_time.policy()) as client:
            stream = await client.stream_generate("synth-small", GEN_REQUEST)
            with pytest.raises(IncompleteStreamError):
                async for chunk in stream:
                    texts.append(chunk.text_delta)
        return texts

    assert asyncio.run(run()) == ["a"]
    assert gateway.count(*GEN) == 1


@pytest.mark.parametrize(
    ("route", "error_frame", "message"),
    [
        (CHAT, sse_data({"error": "upstream exploded"}), "upstream exploded"),
        (CHAT, sse_data({"error": {"message": "no type field", "code": 500}}), "no type field"),
        (EVENTS, sse_named("error", {"code": "SOMETHING_NEW", "message": "unknown kind"}), "unknown kind"),
    ],
    ids=["chat-string-error", "chat-partial-error", "native-unknown-code"],
)
def test_off_contract_error_payloads_are_still_raised_as_stream_errors(
    gateway: ScriptedGateway, route: tuple[str, str], error_frame: bytes, message: str
) -> None:
    first = sse_data(chat_chunk("a", role=True)) if route == CHAT else STARTED
    serve(gateway, route, [first, error_frame, sse_data("[DONE]")])
    with GatewayClient(gateway.base_url, api_key=API_KEY) as client:
        stream = client.stream_chat(CHAT_REQUEST) if route == CHAT else client.stream_task_events(TASK_ID)
        with pytest.raises(StreamError) as caught:
            list(stream)
    assert caught.value.message == message
