"""Native tasks over real HTTP: admission, the stream grammar, results, and errors before streams."""

from __future__ import annotations

import threading
import time
import uuid

import httpx

from tests.reference.conftest import RunningServer
from tests.reference.core.native_client import read_stream, submit, task_body


def test_admission_answers_202_with_location_and_pool(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        response, task_id = submit(client)
        assert response.status_code == 202
        body = response.json()
        assert body["task_id"] == task_id
        assert response.headers["location"] == f"/v1/tasks/{task_id}"
        assert body["queue_position"] >= 0 and body["predicted_start_ms"] >= 0
        assert body["pool_id"] == "default"
        read_stream(client, task_id)


def test_stream_grammar_and_result(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        _, task_id = submit(client, max_tokens=48)
        result = read_stream(client, task_id)
        assert result.status == 200
        assert result.headers["content-type"].startswith("text/event-stream")
        assert result.headers["cache-control"] == "no-cache"
        names = result.names()
        assert names[0] == "started" and names.count("started") == 1
        assert names[-1] == "end" and names.count("end") + names.count("error") == 1
        assert "metrics" in names[:-1]
        tokens = result.of("token")
        assert [t["i"] for t in tokens] == list(range(len(tokens)))
        end = result.of("end")[0]
        assert end["tokens_out"] == len(tokens) <= 48
        assert end["finish_reason"] in ("stop", "length")
        status = client.get(f"/v1/tasks/{task_id}").json()
        assert status["state"] == "succeeded"
        assert status["result"]["text"] == "".join(t["t"] for t in tokens)
        assert status["result"]["tokens_out"] == end["tokens_out"]


def test_max_tokens_cuts_with_length(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        _, task_id = submit(client, max_tokens=2)
        result = read_stream(client, task_id)
        assert len(result.of("token")) == 2
        assert result.of("end")[0] == {**result.of("end")[0], "tokens_out": 2, "finish_reason": "length"}


def test_seeded_tasks_are_deterministic(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        texts = []
        for _ in range(2):
            _, task_id = submit(client, seed=42, max_tokens=64)
            result = read_stream(client, task_id)
            texts.append(("".join(t["t"] for t in result.of("token")), result.of("end")[0]["finish_reason"]))
        assert texts[0] == texts[1]
        assert texts[0][1] == "stop"  # natural length (<= 48) fits in 64


def test_late_attach_replays_from_start(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        _, task_id = submit(client, max_tokens=5)
        status = client.get(f"/v1/tasks/{task_id}", params={"wait_ms": 5000}).json()
        assert status["state"] == "succeeded"
        result = read_stream(client, task_id)
        assert result.names()[0] == "started" and len(result.of("token")) == 5


def test_second_reader_gets_409(start_reference) -> None:  # type: ignore[no-untyped-def]
    server: RunningServer = start_reference(tokens_per_s=20)
    with server.client() as client, server.client() as other:
        _, task_id = submit(client, max_tokens=40)
        with client.stream("GET", f"/v1/tasks/{task_id}/events") as first:
            assert first.status_code == 200
            chunks = first.iter_raw()  # keep a reference: a dropped iterator closes the connection
            assert b"event: started" in next(chunks)
            second = other.get(f"/v1/tasks/{task_id}/events")
            assert second.status_code == 409
            assert second.json()["reason"] == "CONFLICT"


def test_long_poll_waits_for_terminal_state(start_reference) -> None:  # type: ignore[no-untyped-def]
    server: RunningServer = start_reference(tokens_per_s=100)
    with server.client() as client:
        _, task_id = submit(client, max_tokens=20)
        holder: dict[str, object] = {}

        def attach() -> None:
            holder["result"] = read_stream(client, task_id)

        reader = threading.Thread(target=attach)
        reader.start()
        started = time.monotonic()
        status = client.get(f"/v1/tasks/{task_id}", params={"wait_ms": 10000}).json()
        waited = time.monotonic() - started
        reader.join(5)
        assert status["state"] == "succeeded"
        assert 0.1 < waited < 5
        quick = client.get(f"/v1/tasks/{task_id}", params={"wait_ms": 30001})
        assert quick.status_code == 400 and quick.json()["param"] == "wait_ms"


def test_embedding_and_rerank_results(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        response, task_id = submit(
            client, workload="embedding", inputs=["a river", "a stone", ""], prompt=None
        )
        assert response.status_code == 202
        status = client.get(f"/v1/tasks/{task_id}", params={"wait_ms": 5000}).json()
        vectors = status["result"]["embeddings"]
        assert status["state"] == "succeeded" and len(vectors) == 3
        assert len({len(v) for v in vectors}) == 1
        docs = ["the cat", "river stone river", "stone"]
        response, task_id = submit(client, workload="rerank", prompt="river stone", inputs=docs)
        status = client.get(f"/v1/tasks/{task_id}", params={"wait_ms": 5000}).json()
        ranking = status["result"]["ranking"]
        assert sorted(item["index"] for item in ranking) == [0, 1, 2]
        scores = [item["score"] for item in ranking]
        assert scores == sorted(scores, reverse=True)
        assert ranking[0]["index"] == 1


def test_errors_before_admission(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        response, task_id = submit(client)
        assert response.status_code == 202
        dup = client.post("/v1/tasks", json=task_body(task_id=task_id))
        assert dup.status_code == 409 and dup.json()["reason"] == "CONFLICT"
        unknown = client.post("/v1/tasks", json=task_body(model_ref="no-such-model"))
        assert unknown.status_code == 404 and unknown.json()["reason"] == "UNKNOWN_MODEL"
        big_ctx = client.post("/v1/tasks", json=task_body(ctx=100_000))
        assert big_ctx.status_code == 400 and big_ctx.json()["param"] == "ctx"
        wrong_engine = client.post("/v1/tasks", json=task_body(engine="tgi"))
        assert wrong_engine.status_code == 400 and wrong_engine.json()["param"] == "engine"
        unknown_field = client.post("/v1/tasks", json=task_body(temperature=0.5))
        assert unknown_field.status_code == 400
        assert unknown_field.json()["reason"] == "UNSUPPORTED_FIELD"
        assert unknown_field.json()["param"] == "temperature"
        missing = client.get(f"/v1/tasks/{uuid.uuid4()}")
        assert missing.status_code == 404 and missing.json()["code"] == "INVALID_PARAMS"
        read_stream(client, task_id)


def test_http_client_sees_task_kept_after_terminal(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        _, task_id = submit(client, max_tokens=3)
        read_stream(client, task_id)
        time.sleep(0.2)
        assert client.get(f"/v1/tasks/{task_id}").json()["state"] == "succeeded"
        cancel = client.post(f"/v1/tasks/{task_id}/cancel")
        assert cancel.status_code == 200 and cancel.json()["state"] == "succeeded"
        assert isinstance(httpx.Headers(cancel.headers).get("x-request-id"), str)
