"""``POST /v1/chat/completions`` over real HTTP: JSON answers, request rules and model states."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import threading
from typing import Any

import httpx
import pytest

from llmgw_reference.surfaces.contract_schemas import validator_for

CHAT = "/v1/chat/completions"
USER = [{"role": "user", "content": "Tell me about rivers."}]


def body(**fields: Any) -> dict[str, Any]:
    return {"model": "synth-small", "messages": USER, **fields}


def assert_conforms(schema: str, payload: Any) -> None:
    errors = [e.message for e in validator_for(schema).iter_errors(payload)]
    assert not errors, errors


def assert_openai_error(
    response: httpx.Response, status: int, code: str, param: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    payload = response.json()
    error = payload["error"]
    assert isinstance(error["message"], str) and isinstance(error["type"], str)
    assert error["code"] == code
    assert "param" in error and (param is None or error["param"] == param)
    assert "Traceback" not in error["message"]
    return dict(error)


def test_json_answer_conforms_and_counts_usage(api: httpx.Client) -> None:
    response = api.post(CHAT, json=body(max_tokens=40, max_completion_tokens=3, seed=7))
    assert response.status_code == 200
    payload = response.json()
    assert_conforms("ChatCompletion", payload)
    choice = payload["choices"][0]
    assert payload["object"] == "chat.completion" and choice["index"] == 0
    assert choice["message"]["role"] == "assistant" and choice["message"]["content"]
    usage = payload["usage"]
    assert (
        usage["completion_tokens"] == 3 and choice["finish_reason"] == "length"
    )  # max_completion_tokens wins
    assert (
        usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
        and usage["prompt_tokens"] > 0
    )


def test_natural_stop_is_stop(api: httpx.Client) -> None:
    payload = api.post(CHAT, json=body(seed=3)).json()
    assert payload["choices"][0]["finish_reason"] == "stop"
    assert 4 <= payload["usage"]["completion_tokens"] <= 48


def test_same_seed_same_content_and_greedy_is_deterministic(api: httpx.Client) -> None:
    first = api.post(CHAT, json=body(seed=11)).json()["choices"][0]["message"]["content"]
    second = api.post(CHAT, json=body(seed=11)).json()["choices"][0]["message"]["content"]
    other = api.post(CHAT, json=body(seed=12)).json()["choices"][0]["message"]["content"]
    assert first == second and first != other
    greedy = [
        api.post(CHAT, json=body(temperature=0)).json()["choices"][0]["message"]["content"] for _ in range(2)
    ]
    assert greedy[0] == greedy[1]


def test_developer_is_treated_as_system(api: httpx.Client) -> None:
    def content(role: str) -> str:
        messages = [{"role": role, "content": "Be brief."}, *USER]
        response = api.post(CHAT, json=body(messages=messages, seed=5))
        assert response.status_code == 200
        return str(response.json()["choices"][0]["message"]["content"])

    assert content("developer") == content("system")


def test_n_choices_and_best_of(api: httpx.Client) -> None:
    payload = api.post(CHAT, json=body(n=3, seed=1, max_tokens=6, logprobs=True)).json()
    assert_conforms("ChatCompletion", payload)
    assert [c["index"] for c in payload["choices"]] == [0, 1, 2]
    assert all(c["finish_reason"] in ("stop", "length") for c in payload["choices"])
    per_choice = [len(c["logprobs"]["content"]) for c in payload["choices"]]
    assert all(n <= 6 for n in per_choice) and payload["usage"]["completion_tokens"] == sum(per_choice)
    assert len({c["message"]["content"] for c in payload["choices"]}) > 1
    best = api.post(CHAT, json=body(n=1, best_of=3, seed=1, logprobs=True)).json()
    assert len(best["choices"]) == 1
    candidates = [api.post(CHAT, json=body(seed=s, logprobs=True)).json()["choices"][0] for s in (1, 2, 3)]
    cumulative = [sum(t["logprob"] for t in c["logprobs"]["content"]) for c in candidates]
    winner = candidates[cumulative.index(max(cumulative))]["message"]["content"]
    assert best["choices"][0]["message"]["content"] == winner


def test_logprobs_and_top_logprobs(api: httpx.Client) -> None:
    payload = api.post(CHAT, json=body(seed=2, logprobs=True, top_logprobs=3)).json()
    assert_conforms("ChatCompletion", payload)
    entries = payload["choices"][0]["logprobs"]["content"]
    assert len(entries) == payload["usage"]["completion_tokens"]
    for entry in entries:
        assert math.isfinite(entry["logprob"]) and entry["logprob"] <= 0
        assert len(entry["top_logprobs"]) == 3
        alternatives = [alt["logprob"] for alt in entry["top_logprobs"]]
        assert alternatives == sorted(alternatives, reverse=True) and all(v <= 0 for v in alternatives)
    implied = api.post(CHAT, json=body(seed=2, top_logprobs=1)).json()["choices"][0]["logprobs"]
    assert implied is not None and len(implied["content"][0]["top_logprobs"]) == 1
    assert api.post(CHAT, json=body(seed=2)).json()["choices"][0]["logprobs"] is None


def test_stop_string_cuts_the_text(api: httpx.Client) -> None:
    full = api.post(CHAT, json=body(seed=9)).json()["choices"][0]["message"]["content"]
    words = full.split(" ")
    assert len(words) >= 3
    stop = " " + words[2]
    cut = api.post(CHAT, json=body(seed=9, stop=[stop])).json()["choices"][0]
    assert cut["message"]["content"] == full[: full.index(stop)] and cut["finish_reason"] == "stop"


@pytest.mark.parametrize(
    ("fields", "param", "code"),
    [
        ({"foo": 1}, "foo", "unsupported_field"),
        (
            {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]},
            "messages[0].content[0].type",
            "unsupported_field",
        ),
        ({"lora_adapter": "nope"}, "lora_adapter", "unknown_lora"),
        ({"n": 2, "stream": True}, "n", "invalid_params"),
        ({"best_of": 1, "n": 2}, "best_of", "invalid_params"),
        ({"top_logprobs": 2, "logprobs": False}, "top_logprobs", "invalid_params"),
        ({"temperature": 2.5}, "temperature", "invalid_params"),
        ({"top_p": 1.01}, "top_p", "invalid_params"),
        ({"presence_penalty": -2.01}, "presence_penalty", "invalid_params"),
        ({"top_logprobs": 21}, "top_logprobs", "invalid_params"),
        ({"n": 129}, "n", "invalid_params"),
        ({"max_tokens": "5"}, "max_tokens", "invalid_params"),
        ({"max_tokens": 100000}, "max_tokens", "invalid_params"),
        ({"messages": []}, "messages", "invalid_params"),
        ({"tool_choice": "required"}, "tool_choice", "invalid_params"),
    ],
)
def test_invalid_requests_are_openai_400s(
    api: httpx.Client, fields: dict[str, Any], param: str, code: str
) -> None:
    response = api.post(CHAT, json=body(**fields))
    error = assert_openai_error(response, 400, code, param)
    assert error["type"] == "invalid_request_error" and error["kind"] == "INVALID_PARAMS"
    assert "retry-after" not in response.headers


def test_known_lora_and_range_boundaries_are_accepted(api: httpx.Client) -> None:
    for fields in (
        {"lora_adapter": "synth-lora-a"},
        {"temperature": 0, "top_p": 0, "frequency_penalty": -2, "presence_penalty": 2},
        {"temperature": 2, "top_p": 1, "frequency_penalty": 2, "presence_penalty": -2, "max_tokens": 61.0},
        {
            "logit_bias": {"42": -100},
            "user": "u",
            "safety_identifier": "s",
            "routing_key": "r",
            "prompt_cache_key": "p",
        },
        {
            "messages": [
                {
                    "role": "user",
                    "content": [{"type": "text", "text": "a"}, {"type": "input_text", "text": "b"}],
                }
            ]
        },
    ):
        response = api.post(CHAT, json=body(**fields))
        assert response.status_code == 200, (fields, response.text)


def test_bad_bodies_get_clear_errors(api: httpx.Client) -> None:
    assert_openai_error(
        api.post(CHAT, content=b"{not json", headers={"content-type": "application/json"}),
        400,
        "invalid_params",
    )
    assert_openai_error(
        api.post(CHAT, content=b"[1]", headers={"content-type": "application/json"}), 400, "invalid_params"
    )
    assert_openai_error(
        api.post(CHAT, content=b"{}", headers={"content-type": "text/plain"}), 415, "unsupported_media_type"
    )
    deep = b"[" * 100000 + b"]" * 100000
    response = api.post(CHAT, content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 400


def test_unknown_model_is_404(api: httpx.Client) -> None:
    error = assert_openai_error(
        api.post(CHAT, json=body(model="no-such-model")), 404, "model_not_found", "model"
    )
    assert error["type"] == "invalid_request_error"


def _data_uri(artifact: dict[str, Any]) -> tuple[str, str]:
    raw = json.dumps(artifact).encode()
    return "data:application/json;base64," + base64.b64encode(raw).decode(), "sha256:" + hashlib.sha256(
        raw
    ).hexdigest()


def test_model_lifecycle_answers(start_reference: Any) -> None:
    server = start_reference(load_ms=3000)
    with server.client(timeout=30.0) as client:
        state = client.post("/v1/catalog/models/synth-chat/state", json={"state": "Retired"})
        assert state.status_code == 200, state.text
        gone = client.post(CHAT, json=body(model="synth-chat"))
        assert_openai_error(gone, 410, "model_deprecated")
        listed = [m["id"] for m in client.get("/v1/models").json()["data"]]
        assert "synth-chat" not in listed and "synth-small" in listed

        uri, digest = _data_uri({"format": "synthetic-model", "name": "fresh"})
        reg = client.post("/v1/catalog/models", json={"id": "fresh", "digest": digest, "artifact_uri": uri})
        assert reg.status_code in (200, 201), reg.text
        loading = client.post(CHAT, json=body(model="fresh"))
        error = assert_openai_error(loading, 503, "model_loading")
        assert error["retriable"] is True and error["type"] == "server_error"
        assert int(loading.headers["retry-after"]) == max(1, math.ceil(error["retry_after_ms"] / 1000))

        uri, digest = _data_uri({"format": "not-a-model"})
        reg = client.post("/v1/catalog/models", json={"id": "broken", "digest": digest, "artifact_uri": uri})
        assert reg.status_code in (200, 201), reg.text
        failed = client.post(CHAT, json=body(model="broken"))
        error = assert_openai_error(failed, 502, "model_load_failed")
        assert error["retriable"] is False and "retry-after" not in failed.headers


def test_missing_key_is_openai_401(reference_server: Any) -> None:
    with reference_server.client(key=None) as client:
        response = client.post(CHAT, json=body())
    error = assert_openai_error(response, 401, "unauthenticated")
    assert error["type"] == "authentication_error"


def test_full_queue_is_a_429_with_retry_after(start_reference: Any) -> None:
    server = start_reference(
        machine_profiles={"l4": 1},
        slots_per_worker=1,
        queue_capacity=1,
        admission_policy="reject",
        tokens_per_s=50,
    )
    results: list[httpx.Response] = []

    def call() -> None:
        with server.client(timeout=30.0) as client:
            results.append(client.post(CHAT, json=body(max_tokens=10)))

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(r.status_code for r in results)
    assert statuses.count(200) >= 2 and statuses.count(429) >= 1 and set(statuses) <= {200, 429}
    refused = next(r for r in results if r.status_code == 429)
    error = assert_openai_error(refused, 429, "admission_reject")
    assert (
        error["type"] == "rate_limit_error"
        and error["policy_label"] == "reject"
        and error["retriable"] is True
    )
    assert int(refused.headers["retry-after"]) == max(1, math.ceil(error["retry_after_ms"] / 1000))
