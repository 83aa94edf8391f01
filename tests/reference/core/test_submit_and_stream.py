"""The worker's internal submit-and-stream route (what our gateway calls) and the request schemas'
compiled fast path: both must keep the answers of the paths they shortcut.

Real servers over real HTTP: the route's stream is compared with submitTask + streamTaskEvents of
the same task, its refusals with submitTask's, and closing it early must cancel the task as closing
streamTaskEvents does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from llmgw_conformance.sse import iter_events
from llmgw_reference.surfaces.contract_schemas import fast_validator_for, first_violation, validator_for
from llmgw_reference.tasks_api import SUBMIT_AND_STREAM_PATH, TOKEN_FRAME_HEADER
from tests.reference.conftest import RunningServer
from tests.reference.core.native_client import read_stream, submit, task_body, wait_until


def _events(response: httpx.Response) -> list[tuple[str, dict[str, Any]]]:
    return [(e.event, json.loads(e.data)) for e in iter_events(response)]


def test_one_request_streams_what_submit_and_events_stream(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        accepted, task_id = submit(client, seed=11)
        assert accepted.status_code == 202
        expected = read_stream(client, task_id)
        body = task_body(seed=11)
        with client.stream("POST", SUBMIT_AND_STREAM_PATH, json=body) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            got = _events(response)
    assert [name for name, _ in got] == expected.names()
    assert [d["t"] for n, d in got if n == "token"] == [d["t"] for d in expected.of("token")]
    assert [name for name, _ in got].count("end") == 1 and got[-1][0] == "end"


def test_refusals_are_submits_json_errors_before_any_stream(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        too_big = client.post(SUBMIT_AND_STREAM_PATH, json=task_body(ctx=10**9))
        unknown = client.post(SUBMIT_AND_STREAM_PATH, json=task_body(surprise=1))
        taken = task_body()
        assert client.post("/v1/tasks", json=taken).status_code == 202
        again = client.post(SUBMIT_AND_STREAM_PATH, json=taken)
    for answer, status in ((too_big, 400), (unknown, 400), (again, 409)):
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"].startswith("application/json")
    assert client_error_param(too_big) == "ctx"


def client_error_param(answer: httpx.Response) -> Any:
    payload = answer.json()
    return (payload.get("error") or payload).get("param")


def test_closing_the_stream_early_cancels_the_task(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(tokens_per_s=20.0)
    body = task_body(max_tokens=200)
    with server.client() as client:
        with client.stream("POST", SUBMIT_AND_STREAM_PATH, json=body) as response:
            for event in iter_events(response):
                if event.event == "token":
                    break
        wait_until(lambda: client.get(f"/v1/tasks/{body['task_id']}").json()["state"] == "cancelled", 5.0)


CHAT = {"model": "synth-chat", "messages": [{"role": "user", "content": "hi"}], "stream": True}


@pytest.mark.parametrize(
    "body",
    [
        CHAT,
        {**CHAT, "max_tokens": 61.0},  # an integer in JSON Schema
        {**CHAT, "max_tokens": "5"},
        {**CHAT, "max_tokens": 2**70},  # beyond what the compiled validator takes
        {**CHAT, "surprise": True},
        {**CHAT, "messages": [{"role": "user", "content": "hi", "name": "bad name\n"}]},
        {**CHAT, "messages": []},
        {**CHAT, "temperature": "hot"},
        {"messages": CHAT["messages"]},
    ],
)
def test_the_compiled_validator_agrees_with_jsonschema(body: dict[str, Any]) -> None:
    slow_verdict = not list(validator_for("ChatCompletionRequest").iter_errors(body))
    try:
        fast_verdict = fast_validator_for("ChatCompletionRequest").is_valid(body)
    except (ValueError, TypeError, OverflowError):
        fast_verdict = None  # refused: first_violation asks jsonschema alone
    assert fast_verdict in (slow_verdict, None)
    assert (first_violation("ChatCompletionRequest", body) is None) == slow_verdict


FRAME = ['data: {"c":', "}\n\n"]


def test_a_token_frame_header_gets_each_token_in_that_frame(reference_server: RunningServer) -> None:
    """What a forwarding gateway asks for: the same tokens, each in the given frame, then the
    native terminal event; nothing else (no started or metrics events)."""
    with reference_server.client() as client:
        accepted, task_id = submit(client, seed=11)
        assert accepted.status_code == 202
        expected = read_stream(client, task_id)
        headers = {TOKEN_FRAME_HEADER: json.dumps(FRAME)}
        with client.stream(
            "POST", SUBMIT_AND_STREAM_PATH, json=task_body(seed=11), headers=headers
        ) as answer:
            raw = answer.read()
    assert answer.status_code == 200 and answer.headers[TOKEN_FRAME_HEADER] == "1"
    *frames, end, after = raw.split(b"\n\n")
    assert after == b"" and end.startswith(b"event: end\n")
    assert [json.loads(f.removeprefix(b"data: "))["c"] for f in frames] == [
        d["t"] for d in expected.of("token")
    ]
    assert json.loads(end.split(b"data: ", 1)[1])["tokens_out"] == len(frames)


@pytest.mark.parametrize(
    "value",
    ["not json", '["data: x"]', '[1, "\\n\\n"]', '["event: x", "\\n\\n"]', '["data: ", "\\n\\nx\\n\\n"]'],
)
def test_an_unsound_token_frame_is_refused_before_anything_runs(
    reference_server: RunningServer, value: str
) -> None:
    with reference_server.client() as client:
        body = task_body()
        answer = client.post(SUBMIT_AND_STREAM_PATH, json=body, headers={TOKEN_FRAME_HEADER: value})
        assert answer.status_code == 400, answer.text
        assert client.get(f"/v1/tasks/{body['task_id']}").status_code == 404


def test_a_worker_in_a_fault_mode_answers_natively(start_reference: Callable[..., RunningServer]) -> None:
    server = start_reference(faults=["native-token-gap"])
    with server.client() as client:
        headers = {TOKEN_FRAME_HEADER: json.dumps(FRAME)}
        with client.stream("POST", SUBMIT_AND_STREAM_PATH, json=task_body(), headers=headers) as answer:
            got = _events(answer)
    assert TOKEN_FRAME_HEADER not in answer.headers
    assert got[0][0] == "started" and "token" in [name for name, _ in got]
