"""API keys over real HTTP: the secret once, lifecycle, restrictions, expiry, bad input, the limit."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.reference.conftest import RunningServer

CHAT = {"model": "synth-chat", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 2}


def _create(server: RunningServer, **fields: Any) -> dict[str, Any]:
    with server.client() as client:
        response = client.post("/v1/keys", json={"label": "test", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _chat(server: RunningServer, secret: str) -> httpx.Response:
    with server.client(secret) as client:
        return client.post("/v1/chat/completions", json=CHAT)


def test_secret_only_in_the_create_answer(reference_server: RunningServer) -> None:
    key = _create(reference_server)
    secret = key["key"]
    assert secret.startswith(key["key_prefix"]) and len(secret) > len(key["key_prefix"])
    assert key["status"] == "ACTIVE" and key["scopes"] == ["inference"]
    with reference_server.client() as client:
        answers = [client.get("/v1/keys"), client.get(f"/v1/keys/{key['id']}")]
        answers.append(client.patch(f"/v1/keys/{key['id']}", json={"label": "renamed"}))
    for answer in answers:
        assert answer.status_code == 200 and secret not in answer.text
    assert answers[2].json()["label"] == "renamed"
    assert any(k["id"] == key["id"] for k in answers[0].json()["data"])


def test_revoked_key_is_refused_at_once_and_stays_readable(reference_server: RunningServer) -> None:
    key = _create(reference_server)
    assert _chat(reference_server, key["key"]).status_code == 200
    with reference_server.client() as client:
        revoked = client.delete(f"/v1/keys/{key['id']}")
        assert revoked.status_code == 200 and revoked.json()["key"]["status"] == "REVOKED"
        refused = _chat(reference_server, key["key"])
        assert refused.status_code == 401 and refused.json()["error"]["type"] == "authentication_error"
        assert client.get(f"/v1/keys/{key['id']}").json()["status"] == "REVOKED"
        conflict = client.patch(f"/v1/keys/{key['id']}", json={"label": "x"})
        assert conflict.status_code == 409 and conflict.json()["reason"] == "CONFLICT"
        assert client.delete(f"/v1/keys/{key['id']}").status_code == 409
        assert client.get("/v1/keys/key_unknown").status_code == 404


def test_suspend_and_reactivate(reference_server: RunningServer) -> None:
    key = _create(reference_server)
    with reference_server.client() as client:
        assert client.patch(f"/v1/keys/{key['id']}", json={"status": "SUSPENDED"}).status_code == 200
        assert _chat(reference_server, key["key"]).status_code == 401
        assert client.patch(f"/v1/keys/{key['id']}", json={"status": "ACTIVE"}).status_code == 200
    assert _chat(reference_server, key["key"]).status_code == 200


def test_expired_key_is_refused(reference_server: RunningServer) -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=3)).isoformat()
    key = _create(reference_server, expires_at=soon)
    assert _chat(reference_server, key["key"]).status_code == 200
    time.sleep(3.5)
    assert _chat(reference_server, key["key"]).status_code == 401
    with reference_server.client() as client:
        assert client.get(f"/v1/keys/{key['id']}").json()["status"] == "EXPIRED"


def test_endpoint_and_ip_restrictions(reference_server: RunningServer) -> None:
    models_only = _create(reference_server, allowed_endpoints=["/v1/models"])
    with reference_server.client(models_only["key"]) as client:
        assert client.get("/v1/models").status_code == 200
    refused = _chat(reference_server, models_only["key"])
    assert refused.status_code == 403 and refused.json()["error"]["type"] == "permission_error"
    elsewhere = _create(reference_server, allowed_ips=["192.0.2.0/24"])
    assert _chat(reference_server, elsewhere["key"]).status_code == 403
    local = _create(reference_server, allowed_ips=["127.0.0.1"], allowed_endpoints=["/v1/*"])
    assert _chat(reference_server, local["key"]).status_code == 200


def test_bad_input_names_the_field_and_creates_nothing(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        before = len(client.get("/v1/keys").json()["data"])
        for field, value in (("allowed_ips", ["10.0.0.300"]), ("allowed_endpoints", ["v1/chat"])):
            response = client.post("/v1/keys", json={field: value})
            assert response.status_code == 400 and response.json()["param"] == field, response.text
        past = client.post("/v1/keys", json={"expires_at": "2001-01-01T00:00:00Z"})
        assert past.status_code == 400 and past.json()["param"] == "expires_at"
        unknown = client.post("/v1/keys", json={"colour": "red"})
        assert unknown.status_code == 400
        assert len(client.get("/v1/keys").json()["data"]) == before


def test_key_limit_is_a_clear_409(start_reference: Any) -> None:
    server = start_reference(max_api_keys=2)
    first, _ = _create(server), _create(server)
    with server.client() as client:
        over = client.post("/v1/keys", json={})
        assert over.status_code == 409 and "limit" in over.json()["message"]
        assert len(client.get("/v1/keys").json()["data"]) == 2
        client.delete(f"/v1/keys/{first['id']}")  # a revoked key no longer counts
        assert client.post("/v1/keys", json={}).status_code == 201


def test_key_operations_need_the_account_scope(reference_server: RunningServer) -> None:
    key = _create(reference_server)  # scopes [inference]
    with reference_server.client(key["key"]) as client:
        assert client.get("/v1/keys").status_code == 403
    with reference_server.client("sk-local-readonly") as client:
        assert client.get("/v1/credits/balance").status_code == 403
