"""The surfaces in the gateway role: generation on a worker over HTTP, same answers as in-process."""

from __future__ import annotations

import time
from typing import Any

import pytest

CHAT = "/v1/chat/completions"
REQUEST = {
    "model": "synth-small",
    "messages": [{"role": "user", "content": "hi"}],
    "seed": 3,
    "max_tokens": 12,
}


@pytest.fixture
def gateway_and_worker(start_reference: Any) -> tuple[Any, Any]:
    worker = start_reference(role="worker")
    gateway = start_reference(role="gateway", worker_urls=[worker.url])
    return gateway, worker


def test_chat_and_generate_through_the_gateway_match_the_worker(
    gateway_and_worker: tuple[Any, Any], read_stream: Any
) -> None:
    gateway, worker = gateway_and_worker
    with gateway.client() as via_gateway, worker.client() as direct:
        answer = via_gateway.post(CHAT, json=REQUEST).json()
        assert (
            answer["choices"][0]["message"] == direct.post(CHAT, json=REQUEST).json()["choices"][0]["message"]
        )
        stream = read_stream(via_gateway, CHAT, {**REQUEST, "stream": True})
        assert stream.status == 200 and stream.done_count == 1
        text = "".join(c["choices"][0]["delta"].get("content") or "" for c in stream.payloads if c["choices"])
        assert text == answer["choices"][0]["message"]["content"]
        generate = {"prompt": "p", "max_new_tokens": 6, "seed": 1}
        assert (
            via_gateway.post("/v1/generate/synth-small", json=generate).json()["text"]
            == (direct.post("/v1/generate/synth-small", json=generate).json()["text"])
        )


def test_logprobs_are_refused_not_faked_through_the_gateway(gateway_and_worker: tuple[Any, Any]) -> None:
    gateway, worker = gateway_and_worker
    with gateway.client() as client:
        for extra, param in (
            ({"logprobs": True}, "logprobs"),
            ({"top_logprobs": 2}, "logprobs"),
            ({"best_of": 2}, "best_of"),
        ):
            response = client.post(CHAT, json={**REQUEST, **extra})
            assert response.status_code == 400, response.text
            error = response.json()["error"]
            assert error["code"] == "unsupported_field" and error["param"] == param
        assert "logprobs" not in client.get("/v1/capabilities").json()["features"]  # refused, so not claimed
    with worker.client() as client:
        assert client.post(CHAT, json={**REQUEST, "logprobs": True}).status_code == 200
        assert "logprobs" in client.get("/v1/capabilities").json()["features"]


def _without_ids(payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in p.items() if k not in ("id", "created")} for p in payloads]


def test_a_plain_chat_stream_passes_the_workers_frames_through_unchanged(
    gateway_and_worker: tuple[Any, Any], read_stream: Any
) -> None:
    """The forwarded stream (the worker frames the chunks, the gateway passes them on) is the
    worker's own chat stream, usage included; a stream with stop strings takes the decoding path."""
    gateway, worker = gateway_and_worker
    body = {**REQUEST, "max_tokens": 40, "stream": True, "stream_options": {"include_usage": True}}
    with gateway.client() as via_gateway, worker.client() as direct:
        for request in (body, {**body, "stop": ["zz"]}):
            got, expected = read_stream(via_gateway, CHAT, request), read_stream(direct, CHAT, request)
            assert got.status == 200 and got.done_count == 1 and got.after_done == 0
            assert _without_ids(got.payloads) == _without_ids(expected.payloads)
            assert len({p["id"] for p in got.payloads}) == 1
    forwarded = [r for r in gateway.runtime.tasks.values() if r.token_frame is not None]
    usage = got.payloads[-1]["usage"]
    assert len(forwarded) == 1 and forwarded[0].forwarded_tokens == usage["completion_tokens"] > 1
    assert forwarded[0].tokens == []  # no token was decoded on the gateway


def test_a_forwarded_stream_closed_early_cancels_the_task_on_the_worker(start_reference: Any) -> None:
    worker = start_reference(role="worker", tokens_per_s=20)
    gateway = start_reference(role="gateway", worker_urls=[worker.url])
    body = {**REQUEST, "max_tokens": 48, "seed": 9, "stream": True}  # 47 tokens: over 2 s
    with gateway.client() as client, client.stream("POST", CHAT, json=body) as response:
        lines = response.iter_lines()
        assert next(line for line in lines if '"content":"' in line and '"content":""' not in line)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        states = {r.state.value for r in worker.runtime.tasks.values()}
        if states == {"cancelled"}:
            break
        time.sleep(0.05)
    assert states == {"cancelled"}
    (rec,) = gateway.runtime.tasks.values()
    assert rec.token_frame is not None and rec.state.value == "cancelled"
