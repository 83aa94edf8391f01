"""``POST /v1/generate/{model}`` over real HTTP: JSON result, chunk stream, errors and the gpu hint."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from llmgw_generated.models.common import ErrorKind
from llmgw_reference.surfaces.contract_schemas import validator_for

GEN = "/v1/generate/synth-small"
# Seed 6 makes "p" run 45 tokens: at 20 tokens/s a test has over 2 s to act mid-stream.
LONG_STREAM = {"prompt": "p", "max_new_tokens": 45, "seed": 6, "stream": True}


def assert_envelope(
    response: httpx.Response, status: int, code: str, reason: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    envelope = response.json()
    assert envelope["code"] == code and isinstance(envelope["message"], str)
    assert envelope.get("reason") == reason
    assert envelope["request_id"] == response.headers["x-request-id"]
    return dict(envelope)


def assert_generate_stream(stream: Any) -> list[dict[str, Any]]:
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    assert stream.done_count == 1 and stream.after_done == 0 and not stream.event_fields
    chunks = stream.payloads
    validator = validator_for("GenerateChunk")
    for chunk in chunks:
        assert not list(validator.iter_errors(chunk)), chunk
    assert [c["seq"] for c in chunks] == list(range(len(chunks)))
    assert len({c["request_id"] for c in chunks}) == 1 and chunks[0]["request_id"]
    assert [c["done"] for c in chunks] == [False] * (len(chunks) - 1) + [True]
    for chunk in chunks[:-1]:
        assert "usage" not in chunk and "finish_reason" not in chunk and "ttft_ms" not in chunk
    usage = chunks[-1]["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    return list(chunks)


def test_json_result(api: httpx.Client) -> None:
    response = api.post(GEN, json={"prompt": "Write about the sea.", "max_new_tokens": 5, "seed": 3})
    assert response.status_code == 200
    result = response.json()
    assert not list(validator_for("GenerateResult").iter_errors(result))
    assert result["model"] == "synth-small" and result["finish_reason"] == "length"
    assert result["usage"]["completion_tokens"] == 5 and result["usage"]["prompt_tokens"] == 5
    assert result["request_id"] == response.headers["x-request-id"] and result["attempt_id"]
    assert result["ttft_ms"] >= 0 and result["tpot_ms"] >= 0


def test_stream_equals_json(api: httpx.Client, read_stream: Any) -> None:
    request = {"prompt": "Write about the sea.", "max_new_tokens": 64, "seed": 8}
    chunks = assert_generate_stream(read_stream(api, GEN, {**request, "stream": True}))
    result = api.post(GEN, json=request).json()
    assert "".join(c["text_delta"] for c in chunks) == result["text"]
    assert chunks[-1]["finish_reason"] == result["finish_reason"] == "stop"
    assert chunks[-1]["usage"] == result["usage"] and chunks[-1]["ttft_ms"] >= 0


def test_stop_strings_and_greedy(api: httpx.Client, read_stream: Any) -> None:
    full = api.post(GEN, json={"prompt": "p", "max_new_tokens": 64, "temperature": 0}).json()["text"]
    again = api.post(GEN, json={"prompt": "p", "max_new_tokens": 64, "temperature": 0}).json()["text"]
    assert full == again
    stop = " " + full.split(" ")[2]
    request = {"prompt": "p", "max_new_tokens": 64, "temperature": 0, "stop": [stop]}
    cut = api.post(GEN, json=request).json()
    assert cut["text"] == full[: full.index(stop)] and cut["finish_reason"] == "stop"
    chunks = assert_generate_stream(read_stream(api, GEN, {**request, "stream": True}))
    assert "".join(c["text_delta"] for c in chunks) == cut["text"]


@pytest.mark.parametrize(
    ("path", "payload", "status", "code", "reason"),
    [
        (GEN, {"prompt": "p"}, 400, "INVALID_PARAMS", None),
        (GEN, {"prompt": "p", "max_new_tokens": 0}, 400, "INVALID_PARAMS", None),
        (GEN, {"prompt": "p", "max_new_tokens": 1, "extra": 1}, 400, "INVALID_PARAMS", "UNSUPPORTED_FIELD"),
        (GEN, {"prompt": "p", "max_new_tokens": 1, "gpu": "no-such-profile"}, 422, "POOL_UNAVAILABLE", None),
        (GEN, {"prompt": "p", "max_new_tokens": 1, "gpu": "nopool/l4"}, 422, "POOL_UNAVAILABLE", None),
        (GEN, {"prompt": "p", "max_new_tokens": 99999}, 400, "INVALID_PARAMS", None),
        (
            "/v1/generate/unknown-model",
            {"prompt": "p", "max_new_tokens": 1},
            404,
            "INVALID_PARAMS",
            "UNKNOWN_MODEL",
        ),
    ],
)
def test_errors_are_envelopes_before_any_stream(
    api: httpx.Client, path: str, payload: dict[str, Any], status: int, code: str, reason: str | None
) -> None:
    assert_envelope(api.post(path, json={**payload, "stream": True}), status, code, reason)


def test_gpu_hint_placement_and_provisioning(start_reference: Any) -> None:
    server = start_reference()
    with server.client() as client:
        placed = client.post(GEN, json={"prompt": "p", "max_new_tokens": 2, "gpu": "a100-40gb"})
        assert placed.status_code == 200, placed.text
        task = server.runtime.tasks[placed.json()["attempt_id"]]
        assert task.worker_id is not None and "a100" in task.worker_id
        pool = client.put("/v1/pools/eval-bench", json={"gpus": {"l4": 99}})
        assert pool.status_code in (200, 201, 202), pool.text
        pending = client.post(GEN, json={"prompt": "p", "max_new_tokens": 2, "gpu": "eval-bench/l4"})
        envelope = assert_envelope(pending, 202, "POOL_UNREADY", "PROVISIONING")
        assert envelope["retriable"] is True
        assert int(pending.headers["retry-after"]) >= 1


def test_cancelled_generation_ends_with_one_terminal_chunk(start_reference: Any, read_stream: Any) -> None:
    server = start_reference(tokens_per_s=20)
    result: dict[str, Any] = {}

    def consume() -> None:
        with server.client(timeout=30.0) as client:
            result["stream"] = read_stream(client, GEN, LONG_STREAM)

    reader = threading.Thread(target=consume)
    reader.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not [r for r in server.runtime.tasks.values() if r.tokens]:
        time.sleep(0.02)
    task_id = next(t for t, r in server.runtime.tasks.items() if r.tokens)
    with server.client() as client:
        assert client.post(f"/v1/tasks/{task_id}/cancel").status_code == 200
    reader.join(timeout=20)
    chunks = assert_generate_stream(result["stream"])
    assert chunks[-1]["finish_reason"] == "cancelled" and chunks[-1]["usage"]["completion_tokens"] < 45


def test_worker_failure_mid_stream_is_the_terminal_error_chunk(
    start_reference: Any, read_stream: Any, fail_task: Any
) -> None:
    server = start_reference(tokens_per_s=20)
    result: dict[str, Any] = {}

    def consume() -> None:
        with server.client(timeout=30.0) as client:
            result["stream"] = read_stream(client, GEN, LONG_STREAM)

    reader = threading.Thread(target=consume)
    reader.start()
    fail_task(server, ErrorKind.WORKER_RESET)
    reader.join(timeout=20)
    chunks = assert_generate_stream(result["stream"])
    terminal = chunks[-1]
    assert terminal["finish_reason"] == "error" and terminal["done"] is True
    assert terminal["error"]["code"] == "WORKER_RESET" and terminal["error"]["message"]
    assert all(c["text_delta"] for c in chunks[:-1])
