"""Billing over real HTTP: the charge headers, usage logs of JSON and streamed answers, 402 before
any stream byte, a locked database, images, and a restart on the same database."""

from __future__ import annotations

import base64
import json
import sqlite3
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import httpx

from tests.reference.conftest import RunningServer, start_server

CHAT = {"model": "synth-chat", "messages": [{"role": "user", "content": "tell me"}], "max_tokens": 12}


def _balance(client: httpx.Client) -> int:
    value: int = client.get("/v1/credits/balance").json()["credits_balance"]
    return value


def _log_of(client: httpx.Client, request_id: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get("/v1/usage/logs", params={"request_id": request_id}).json()[
        "data"
    ]
    return data


def _stream(client: httpx.Client, body: dict[str, Any]) -> tuple[httpx.Response, list[Any]]:
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        lines = [line for line in response.iter_lines() if line.startswith("data: ")]
    events = [json.loads(line[6:]) if line != "data: [DONE]" else "[DONE]" for line in lines]
    return response, events


def test_json_answer_carries_its_charge_and_is_logged(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        before = _balance(client)
        answer = client.post("/v1/chat/completions", json=CHAT)
        usage = answer.json()["usage"]
        used, remaining = int(answer.headers["x-credits-used"]), int(answer.headers["x-credits-remaining"])
        assert answer.headers["x-credits-tier"] == "STANDARD" and used == usage["total_tokens"]
        assert _balance(client) == remaining == before - used
        (entry,) = _log_of(client, answer.headers["x-request-id"])
        assert (entry["prompt_tokens"], entry["completion_tokens"], entry["total_tokens"]) == (
            usage["prompt_tokens"], usage["completion_tokens"], usage["total_tokens"],
        )  # fmt: skip
        assert entry["credits_charged"] == used and entry["status"] == "SUCCESS"


def test_streams_are_logged_with_their_counts(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        asked = dict(CHAT, stream=True, stream_options={"include_usage": True})
        response, events = _stream(client, asked)
        usage = next(e["usage"] for e in events if isinstance(e, dict) and e.get("usage"))
        assert events[-1] == "[DONE]" and response.headers["x-credits-tier"] == "STANDARD"
        (entry,) = _log_of(client, response.headers["x-request-id"])
        assert (
            entry["total_tokens"] == usage["total_tokens"]
            and entry["credits_charged"] == usage["total_tokens"]
        )
        before = _balance(client)
        plain, events = _stream(client, dict(CHAT, stream=True))
        assert not any(isinstance(e, dict) and e.get("usage") for e in events)  # nothing added for billing
        (entry,) = _log_of(client, plain.headers["x-request-id"])
        assert entry["completion_tokens"] > 0 and _balance(client) == before - entry["credits_charged"]


def _account_token(server: RunningServer, email: str) -> str:
    registered = httpx.post(server.url + "/auth/register", json={"email": email, "password": "password-123"})
    assert registered.status_code == 201, registered.text
    login = httpx.post(server.url + "/auth/login", json={"email": email, "password": "password-123"})
    token: str = login.json()["access_token"]
    return token


def test_exhausted_balance_is_402_before_any_byte(start_reference: Any) -> None:
    server = start_reference(signup_credits=100)
    with server.client(_account_token(server, "poor@example.com")) as client:
        refused = client.post("/v1/chat/completions", json=dict(CHAT, max_tokens=200))
        error = refused.json()["error"]
        assert refused.status_code == 402 and error["type"] == "insufficient_quota"
        assert error["code"] == "insufficient_credits" and error["credits_remaining"] == 100
        assert error["kind"] == "ADMISSION_REJECT" and error["retriable"] is False
        streamed = client.post("/v1/chat/completions", json=dict(CHAT, max_tokens=200, stream=True))
        assert streamed.status_code == 402 and "data:" not in streamed.text
        assert _balance(client) == 100 and client.get("/v1/usage/logs").json()["total"] == 0
        while (answer := client.post("/v1/chat/completions", json=CHAT)).status_code == 200:
            assert int(answer.headers["x-credits-remaining"]) >= 0
        assert answer.status_code == 402 and _balance(client) >= 0


def _without_id(response: httpx.Response) -> dict[str, Any]:
    return {k: v for k, v in response.json().items() if k != "request_id"}


def test_login_refresh_and_expiry(start_reference: Any) -> None:
    # 3 s, not 1: on a busy 2-core machine the requests between login and the 200 took over 1 s.
    server = start_reference(access_token_ttl_s=3)
    token = _account_token(server, "me@example.com")
    wrong = httpx.post(server.url + "/auth/login", json={"email": "me@example.com", "password": "nope-nope"})
    unknown = httpx.post(
        server.url + "/auth/login", json={"email": "who@example.com", "password": "nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 401 and _without_id(wrong) == _without_id(unknown)
    login = httpx.post(
        server.url + "/auth/login", json={"email": "me@example.com", "password": "password-123"}
    )
    assert login.json()["expires_in"] == 3
    with server.client(token) as client:
        assert client.get("/v1/credits/balance").status_code == 200
        assert client.get("/v1/capabilities").status_code == 403  # a token has no operator scope
    time.sleep(3.5)
    with server.client(token) as client:
        assert client.get("/v1/credits/balance").status_code == 401
    refresh = login.json()["refresh_token"]
    renewed = httpx.post(server.url + "/auth/refresh", json={"refresh_token": refresh})
    with server.client(renewed.json()["access_token"]) as client:
        assert client.get("/v1/credits/balance").status_code == 200
    assert httpx.post(server.url + "/auth/refresh", json={"refresh_token": refresh}).status_code == 401


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    idat = png.index(b"IDAT")
    (length,) = struct.unpack(">I", png[idat - 4 : idat])
    assert len(zlib.decompress(png[idat + 4 : idat + 4 + length])) == height * (1 + 3 * width)
    return width, height


def test_images_as_base64_and_url(reference_server: RunningServer) -> None:
    with reference_server.client() as client:
        before = _balance(client)
        b64 = client.post(
            "/v1/images/generations", json={"prompt": "a cat", "n": 3, "response_format": "b64_json"}
        )
        assert b64.status_code == 200 and len(b64.json()["data"]) == 3
        assert _png_size(base64.b64decode(b64.json()["data"][0]["b64_json"])) == (16, 16)
        assert int(b64.headers["x-credits-used"]) == 30 and _balance(client) == before - 30
        by_url = client.post("/v1/images/generations", json={"prompt": "a dog"})
        (image,) = by_url.json()["data"]
        fetched = httpx.get(image["url"])
        assert fetched.headers["content-type"] == "image/png" and _png_size(fetched.content) == (16, 16)
        bad = client.post("/v1/images/generations", json={"prompt": "x", "n": 11})
        assert bad.status_code == 400 and bad.json()["error"]["param"] == "n"


def test_locked_database_is_a_clear_500_and_writes_nothing(start_reference: Any, tmp_path: Path) -> None:
    server = start_reference(accounts_db=str(tmp_path / "accounts.db"))
    with server.client() as client:
        keys_before, balance_before = len(client.get("/v1/keys").json()["data"]), _balance(client)
        blocker = sqlite3.connect(tmp_path / "accounts.db", isolation_level=None)
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            created = client.post("/v1/keys", json={"label": "during the lock"})
            chat = client.post("/v1/chat/completions", json=CHAT)
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert created.status_code == 500 and created.json()["code"] == "INTERNAL"
        assert "nothing was changed" in created.json()["message"] and "Traceback" not in created.text
        assert chat.status_code == 500 and chat.json()["error"]["type"] == "server_error"
        assert len(client.get("/v1/keys").json()["data"]) == keys_before
        assert _balance(client) == balance_before and client.get("/v1/usage/logs").json()["total"] == 0


def test_restart_on_the_same_database_keeps_keys_usage_and_balance(tmp_path: Path) -> None:
    db = str(tmp_path / "accounts.db")
    first = start_server(accounts_db=db)
    try:
        with first.client() as client:
            key = client.post("/v1/keys", json={"label": "kept"}).json()
            with first.client(key["key"]) as with_key:
                assert with_key.post("/v1/chat/completions", json=CHAT).status_code == 200
            state = (client.get("/v1/keys").json(), client.get("/v1/usage/logs").json(), _balance(client))
    finally:
        first.stop()
    second = start_server(accounts_db=db)
    try:
        with second.client() as client:
            assert (
                client.get("/v1/keys").json(),
                client.get("/v1/usage/logs").json(),
                _balance(client),
            ) == state
            assert state[1]["total"] == 1 and state[2] < second.config.account_credits
        with second.client(key["key"]) as with_key:
            assert with_key.get("/v1/models").status_code == 200  # the stored key still works
    finally:
        second.stop()


def test_a_page_past_every_entry_is_empty_not_a_server_error(start_reference: Any) -> None:
    """Any page number from 1 is valid; one whose offset passes SQLite's 64-bit integers (found by the
    schemathesis sweep as a 500) is past every entry: an empty page."""
    server = start_reference()
    with server.client(_account_token(server, "pager@example.com")) as client:
        assert client.post("/v1/chat/completions", json=CHAT).status_code == 200
        for page in (2, 201239473450404224, 10**30):
            answer = client.get("/v1/usage/logs", params={"page": page, "limit": 64})
            body = answer.json()
            assert answer.status_code == 200, body
            assert body["data"] == [] and body["total"] == 1 and body["has_more"] is False
