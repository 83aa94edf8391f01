"""The surfaces in the gateway role: generation on a worker over HTTP, same answers as in-process."""

from __future__ import annotations

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
    with worker.client() as client:
        assert client.post(CHAT, json={**REQUEST, "logprobs": True}).status_code == 200
