"""Each fault breaks what it claims (and the healthy server does not), over real HTTP."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import yaml

from llmgw_reference.faults import FaultSet, registered
from llmgw_reference.faults.catalogue import HEADERS_DELAY_S
from tests.reference.conftest import RunningServer
from tests.reference.core.native_client import read_stream, submit

Starter = Callable[..., RunningServer]
REQUIREMENTS = Path(__file__).resolve().parents[3] / "contracts" / "requirements.yaml"


def _server(start: Starter, fault: str | None, **overrides: object) -> RunningServer:
    return start(faults=[fault] if fault else [], **overrides)


def test_registry_names_known_requirements() -> None:
    known = {r["id"] for r in yaml.safe_load(REQUIREMENTS.read_text())["requirements"]}
    faults = registered()
    assert {"native-no-started", "native-token-gap", "native-double-end", "sse-wrong-content-type",
            "error-missing-retry-after", "auth-ignored", "cancel-ignored", "stream-stall",
            "headers-delayed"} <= set(faults)  # fmt: skip
    for entry in faults.values():
        assert entry.breaks and set(entry.breaks) <= known, entry.name
        assert entry.description
    with pytest.raises(ValueError, match="unknown fault"):
        FaultSet(["no-such-fault"])


@pytest.mark.parametrize("fault", [None, "native-no-started", "native-token-gap", "native-double-end"])
def test_stream_grammar_faults(start_reference: Starter, fault: str | None) -> None:
    server = _server(start_reference, fault)
    with server.client() as client:
        _, task_id = submit(client, max_tokens=8)
        result = read_stream(client, task_id)
    names = result.names()
    indexes = [t["i"] for t in result.of("token")]
    terminals = names.count("end") + names.count("error")
    checks = {
        "native-no-started": names[0] == "started",
        "native-token-gap": indexes == list(range(len(indexes))),
        "native-double-end": terminals == 1,
    }
    if fault is None:
        assert all(checks.values())
    else:
        assert not checks[fault], f"{fault} did not break its rule: {names}"
        assert all(ok for name, ok in checks.items() if name != fault)


@pytest.mark.parametrize("fault", [None, "sse-wrong-content-type"])
def test_content_type_fault(start_reference: Starter, fault: str | None) -> None:
    server = _server(start_reference, fault)
    with server.client() as client:
        _, task_id = submit(client, max_tokens=4)
        result = read_stream(client, task_id)
    assert result.headers["content-type"].startswith("text/event-stream") == (fault is None)


@pytest.mark.parametrize("fault", [None, "error-missing-retry-after"])
def test_retry_after_fault(start_reference: Starter, fault: str | None) -> None:
    server = _server(start_reference, fault)
    with server.client() as client:
        client.put("/v1/pools/empty", json={"gpus": {"h100": 1}})
        response, _ = submit(client, placement={"mode": "pin", "pin_pool_id": "empty"})
    assert response.status_code == 503 and response.json()["retriable"] is True
    assert ("retry-after" in response.headers) == (fault is None)


@pytest.mark.parametrize("fault", [None, "auth-ignored"])
def test_auth_fault(start_reference: Starter, fault: str | None) -> None:
    server = _server(start_reference, fault)
    response = httpx.get(server.url + "/v1/capabilities")
    assert (response.status_code == 401) == (fault is None)


@pytest.mark.parametrize("fault", [None, "cancel-ignored"])
def test_cancel_fault(start_reference: Starter, fault: str | None) -> None:
    server = _server(start_reference, fault, tokens_per_s=20)
    with server.client() as client:
        _, task_id = submit(client, max_tokens=48)
        read_stream(client, task_id, stop_after_tokens=1)
        time.sleep(0.2)
        state = client.get(f"/v1/tasks/{task_id}").json()["state"]
        active = client.get("/v1/capacity").json()["active_tasks"]
    if fault is None:
        assert state == "cancelled" and active == 0
    else:
        assert state == "running" and active == 1


@pytest.mark.parametrize("fault", [None, "stream-stall"])
def test_stall_fault(start_reference: Starter, fault: str | None) -> None:
    server = _server(start_reference, fault, heartbeat_ms=500)
    with server.client() as client:
        _, task_id = submit(client, max_tokens=8)
        result = read_stream(client, task_id)
    gaps = [b.t - a.t for a, b in zip(result.events, result.events[1:], strict=False)]
    assert (max(gaps) > 2.5) == (fault is not None)


@pytest.mark.parametrize("fault", [None, "headers-delayed"])
def test_headers_fault(start_reference: Starter, fault: str | None) -> None:
    server = _server(start_reference, fault)
    with server.client() as client:
        _, task_id = submit(client, max_tokens=4)
        started = time.monotonic()
        with client.stream("GET", f"/v1/tasks/{task_id}/events") as response:
            waited = time.monotonic() - started
            response.read()
    # The fault's sleep makes its wait at least HEADERS_DELAY_S; a healthy server answers far sooner.
    assert (waited >= HEADERS_DELAY_S) == (fault is not None)


@pytest.mark.parametrize("fault", [None, "n-stream-usage-per-choice"])
def test_n_stream_usage_per_choice_fault(start_reference: Starter, fault: str | None) -> None:
    """The reference refuses n=2 streams; the fault streams them llama-server's way: each choice
    followed by its own usage chunk, the first before choice 1 has even started."""
    request = {
        "model": "synth-small",
        "messages": [{"role": "user", "content": "Hi"}],
        "max_tokens": 2,
        "n": 2,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    with _server(start_reference, fault).client() as client:
        answer = client.post("/v1/chat/completions", json=request)
    if fault is None:
        assert answer.status_code == 400, answer.text
        return
    assert answer.status_code == 200, answer.text
    chunks = [json.loads(line[6:]) for line in answer.text.splitlines() if line.startswith("data: {")]
    kinds = [
        "usage" if c.get("usage") and not c["choices"] else f"finish{c['choices'][0]['index']}"
        for c in chunks
        if c.get("usage") or c["choices"][0].get("finish_reason")
    ]
    assert kinds == ["finish0", "usage", "finish1", "usage"], kinds
    assert answer.text.rstrip().endswith("data: [DONE]")
