"""The SDK's accounts calls against the real reference: keys, usage, credits, images, the charge,
access-token mode (lazy login, refresh), and the typed 402 with the credits remaining."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Iterator

import httpx
import pytest

from llmgw_sdk import (
    AccountsClient,
    AsyncAccountsClient,
    AuthenticationError,
    InsufficientCreditsError,
    UsageError,
)
from tests.sdk.reference_process import KEY, running_reference

CHAT = {"model": "synth-chat", "messages": [{"role": "user", "content": "hello"}], "max_tokens": 6}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_reference(tmp_path_factory.mktemp("reference")) as url:
        yield url


def _register(base_url: str) -> tuple[str, str]:
    email, password = f"sdk-{uuid.uuid4().hex[:8]}@example.com", "sdk-password-1"
    answer = httpx.post(f"{base_url}/auth/register", json={"email": email, "password": password})
    assert answer.status_code == 201
    return email, password


def test_keys_usage_and_the_charge_with_an_api_key(base_url: str) -> None:
    with AccountsClient(base_url, api_key=KEY) as client:
        created = client.create_key(label="sdk")
        assert created.key.startswith(created.key_prefix)
        assert client.get_key(created.id).label == "sdk"
        assert client.update_key(created.id, label="renamed").label == "renamed"
        assert client.revoke_key(created.id).key.status.value == "REVOKED"
        before = client.credit_balance().credits_balance
        completion, charge = client.chat(CHAT)
        assert charge is not None and completion.usage is not None
        assert charge.credits_used == completion.usage.total_tokens and charge.tier == "STANDARD"
        assert (
            charge.credits_remaining
            == client.credit_balance().credits_balance
            == before - charge.credits_used
        )
        page = client.usage_logs(limit=1)
        assert page.data[0].total_tokens == completion.usage.total_tokens and page.total >= 1
        assert client.usage_stats("day").total_requests >= 1


def test_images_come_back_as_png(base_url: str) -> None:
    with AccountsClient(base_url, api_key=KEY) as client:
        images, charge = client.generate_images({"prompt": "a hat", "n": 2, "response_format": "b64_json"})
        assert len(images.data) == 2 and charge is not None and charge.credits_used == 20
        assert base64.b64decode(images.data[0].b64_json or "").startswith(b"\x89PNG")


def test_access_token_mode_logs_in_lazily_and_refreshes(base_url: str) -> None:
    email, password = _register(base_url)
    with AccountsClient(base_url, email=email, password=password) as client:
        auth = client.token_auth
        assert auth is not None and auth.logins == 0  # nothing sent yet
        assert client.credit_balance().credits_balance > 0
        assert client.list_keys().data == [] and (auth.logins, auth.refreshes) == (1, 0)
        auth.expire()
        client.credit_balance()
        assert (auth.logins, auth.refreshes) == (1, 1)  # renewed by refresh, no password sent
        assert password not in repr(auth)


def test_wrong_password_and_402_are_typed_errors(base_url: str) -> None:
    email, password = _register(base_url)
    wrong = AccountsClient(base_url, email=email, password="not-the-password")
    with wrong, pytest.raises(AuthenticationError):
        wrong.credit_balance()
    with AccountsClient(base_url, email=email, password=password) as client:
        balance = client.credit_balance().credits_balance
        with pytest.raises(InsufficientCreditsError) as refused:
            client.chat(dict(CHAT, max_tokens=4000))
        assert refused.value.status_code == 402 and refused.value.credits_remaining == balance
        assert client.credit_balance().credits_balance == balance


def test_credentials_are_checked_before_anything_is_sent() -> None:
    with pytest.raises(UsageError):
        AccountsClient("http://127.0.0.1:1")
    with pytest.raises(UsageError):
        AccountsClient("http://127.0.0.1:1", api_key="k", email="a@b.c", password="p")


def test_async_accounts_client_makes_the_same_calls_and_reads_the_charge(base_url: str) -> None:
    """The async shell runs the same core: keys, a billed call with its charge, access-token mode, 402."""
    email, password = _register(base_url)

    async def main() -> None:
        async with AsyncAccountsClient(base_url, api_key=KEY) as client:
            created = await client.create_key(label="async-sdk")
            assert (await client.get_key(created.id)).label == "async-sdk"
            assert (await client.revoke_key(created.id)).key.status.value == "REVOKED"
            before = (await client.credit_balance()).credits_balance
            completion, charge = await client.chat(CHAT)
            assert charge is not None and completion.usage is not None
            assert charge.credits_remaining == before - charge.credits_used
        async with AsyncAccountsClient(base_url, email=email, password=password) as token_client:
            auth = token_client.token_auth
            balance = (await token_client.credit_balance()).credits_balance
            assert auth is not None and (auth.logins, auth.refreshes) == (1, 0)
            with pytest.raises(InsufficientCreditsError) as refused:
                await token_client.chat(dict(CHAT, max_tokens=4000))
            assert refused.value.credits_remaining == balance

    asyncio.run(main())
