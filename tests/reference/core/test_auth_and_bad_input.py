"""Auth on every /v1 operation of the contract, and bad input that never gets a 5xx or a traceback."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from llmgw_reference import spec
from tests.reference.conftest import READONLY_KEY, RunningServer

SECURED = [op for op in spec.operations() if op.scope]
WITH_BODY = [op for op in SECURED if op.has_body]


def concrete_path(template: str) -> str:
    values = {"task_id": str(uuid.uuid4()), "session_id": str(uuid.uuid4()), "model_id": "synth-small",
              "model": "synth-small", "pool_id": "auth-probe", "key_id": "key_auth_probe"}  # fmt: skip
    return re.sub(r"\{([^}]+)\}", lambda m: values[m.group(1)], template)


def _assert_error_shape(response: httpx.Response, openai: bool, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    if openai:
        error = body["error"]
        assert set(error) >= {"message", "type", "param", "code"}
        assert isinstance(error["code"], str)
        assert error["param"] is None or isinstance(error["param"], str)
    else:
        assert body["code"] == "INVALID_PARAMS" and body["message"]


@pytest.mark.parametrize("op", SECURED, ids=lambda op: op.operation_id)
def test_no_key_and_unknown_key_get_401(reference_server: RunningServer, op: spec.Operation) -> None:
    path = concrete_path(op.path)
    for headers in ({}, {"Authorization": "Bearer sk-not-a-key"}, {"Authorization": "Basic abc"}):
        response = httpx.request(op.method, reference_server.url + path, headers=headers, json={})
        _assert_error_shape(response, op.openai, 401)
        assert response.headers["www-authenticate"] == "Bearer"
        if op.openai:
            assert response.json()["error"]["type"] == "authentication_error"
        else:
            assert response.json()["reason"] == "UNAUTHENTICATED"
        assert "sk-not-a-key" not in response.text


@pytest.mark.parametrize("op", SECURED, ids=lambda op: op.operation_id)
def test_key_without_scope_gets_403(reference_server: RunningServer, op: spec.Operation) -> None:
    path = concrete_path(op.path)
    response = httpx.request(
        op.method, reference_server.url + path, headers={"Authorization": f"Bearer {READONLY_KEY}"}, json={}
    )
    if op.scope == "control:read":
        assert response.status_code not in (401, 403)
        return
    _assert_error_shape(response, op.openai, 403)
    if op.openai:
        assert response.json()["error"]["type"] == "permission_error"
    else:
        assert response.json()["reason"] == "FORBIDDEN"


def test_unauthenticated_change_does_nothing(reference_server: RunningServer) -> None:
    assert httpx.put(reference_server.url + "/v1/pools/ghost", json={}).status_code == 401
    with reference_server.client() as client:
        assert client.get("/v1/pools/ghost").status_code == 404


@pytest.mark.parametrize("op", WITH_BODY, ids=lambda op: op.operation_id)
def test_bad_bodies_are_4xx_never_5xx(reference_server: RunningServer, op: spec.Operation) -> None:
    url = reference_server.url + concrete_path(op.path)
    headers = reference_server.headers()
    cases: list[tuple[bytes, str, set[int]]] = [
        (b"{not json", "application/json", {400}),
        (b"[]", "application/json", {400}),
        (b'{"x": 1}', "text/plain", {415}),
        (b"", "application/json", {400}),
        (b'{"surely_unknown_field": 1}', "application/json", {400}),
        (b"\xff\xfe", "application/json", {400}),
    ]
    for body, content_type, expected in cases:
        response = httpx.request(
            op.method, url, content=body, headers={**headers, "content-type": content_type}
        )
        assert response.status_code in expected, (body, response.status_code, response.text)
        assert "Traceback" not in response.text
    too_big = b'{"prompt": "' + b"a" * (reference_server.config.max_body_bytes + 10) + b'"}'
    response = httpx.request(
        op.method, url, content=too_big, headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code == 413


def test_unknown_field_is_unsupported_field(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        response = client.put("/v1/pools/p1", json={"gpus": {"l4": 1}, "colour": "red"})
        assert response.status_code == 400
        assert response.json()["reason"] == "UNSUPPORTED_FIELD" and response.json()["param"] == "colour"


def test_unknown_paths_and_methods(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        missing = client.get("/v1/nothing-here")
        assert missing.status_code == 404 and missing.json()["reason"] == "NOT_FOUND"
        wrong = client.delete("/v1/capabilities")
        assert wrong.status_code == 405 and wrong.json()["reason"] == "METHOD_NOT_ALLOWED"
        assert client.post("/healthz").status_code == 405
        assert client.get("/healthz").json() == {"status": "ok", "role": "combined"}
        assert client.get("/readyz").status_code == 200


class _Probe(BaseModel):
    model_config = ConfigDict(extra="forbid")
    n: int


_probe_router = APIRouter()


@_probe_router.post("/v1/tasks-probe")
async def _probe(body: _Probe) -> dict[str, int]:
    return {"n": body.n}


def test_fastapi_validation_errors_become_400_with_param(start_reference) -> None:  # type: ignore[no-untyped-def]
    """A surface mounted as a FastAPI route gets the envelope, never FastAPI's 422 `detail` body."""
    server: RunningServer = start_reference()
    server.app.include_router(_probe_router)
    with server.client() as client:
        ok = client.post("/v1/tasks-probe", json={"n": 1})
        assert ok.status_code == 200 and ok.json() == {"n": 1}
        wrong = client.post("/v1/tasks-probe", json={"n": "x"})
        assert wrong.status_code == 400 and wrong.json()["param"] == "n" and "detail" not in wrong.json()
        extra = client.post("/v1/tasks-probe", json={"n": 1, "m": 2})
        assert extra.status_code == 400 and extra.json()["reason"] == "UNSUPPORTED_FIELD"


@pytest.mark.parametrize("path", ["/v1/catalog/models", "/v1/pools"])
def test_a_non_ascii_cursor_is_a_400_not_a_500(reference_server: RunningServer, path: str) -> None:
    """Found by the schemathesis sweep (seed 7): the signature check raised on non-ASCII input."""
    answer = httpx.get(
        f"{reference_server.url}{path}",
        params={"cursor": ".x\U000f4671\u00eb"},
        headers={"Authorization": "Bearer sk-local-dev"},
    )
    assert answer.status_code == 400
    assert answer.json()["param"] == "cursor"
