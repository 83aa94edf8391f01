"""``AccountsClient``: API keys, usage, credits and images of a gateway with accounts (contract 1.2),
with an API key or in access-token mode (email and password, see :mod:`llmgw_sdk.token_auth`).

Why a client of its own: account management is a different credential's business (the seed's SDK
manages keys and credits in "JWT mode"), and its answers carry a charge in headers that the JSON
calls of :class:`~llmgw_sdk.GatewayClient` do not return. Payloads are the generated models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel

from llmgw_generated.models.control import (
    ApiKey,
    ApiKeyList,
    ApiKeyRevoked,
    ApiKeyWithSecret,
    CreditBalance,
    UsageLogPage,
    UsageStats,
)
from llmgw_generated.models.data import ChatCompletion, ImagesResponse
from llmgw_sdk.error_mapping import error_from_response
from llmgw_sdk.errors import UsageError
from llmgw_sdk.token_auth import TokenAuth

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Charge:
    """What one billed answer cost (the seed's ``TchaviMeta``, from the ``X-Credits-*`` headers)."""

    tier: str | None
    mode: str | None
    credits_used: float
    credits_remaining: float | None


def charge_of(headers: Mapping[str, str]) -> Charge | None:
    """The charge a JSON answer's headers report, or None for an unbilled answer."""
    lowered = {k.lower(): v for k, v in headers.items()}
    used = lowered.get("x-credits-used")
    if used is None:
        return None
    remaining = lowered.get("x-credits-remaining")
    return Charge(
        tier=lowered.get("x-credits-tier"),
        mode=lowered.get("x-credits-mode"),
        credits_used=float(used),
        credits_remaining=float(remaining) if remaining is not None else None,
    )


class AccountsClient:
    """Keys, usage, credits and images; pass ``api_key``, or ``email`` and ``password``."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        email: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        if (api_key is None) == (email is None or password is None):
            raise UsageError("pass either api_key=... or both email=... and password=... (access-token mode)")
        self.token_auth = TokenAuth(email, password) if email is not None and password is not None else None
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)
        self._auth: httpx.Auth | None = self.token_auth

    def _send(self, method: str, path: str, ok: int = 200, **kwargs: Any) -> httpx.Response:
        response = self._http.request(method, path, auth=self._auth or httpx.USE_CLIENT_DEFAULT, **kwargs)
        if response.status_code != ok:
            raise error_from_response(response.status_code, response.headers, response.content)
        return response

    def _model(self, model: type[M], method: str, path: str, ok: int = 200, **kwargs: Any) -> M:
        return model.model_validate_json(self._send(method, path, ok, **kwargs).content)

    # ------------------------------------------------------------------ keys
    def list_keys(self) -> ApiKeyList:
        return self._model(ApiKeyList, "GET", "/v1/keys")

    def create_key(self, **fields: Any) -> ApiKeyWithSecret:
        """A new key; its ``key`` (the secret) is in this answer only."""
        return self._model(ApiKeyWithSecret, "POST", "/v1/keys", 201, json=fields)

    def get_key(self, key_id: str) -> ApiKey:
        return self._model(ApiKey, "GET", f"/v1/keys/{key_id}")

    def update_key(self, key_id: str, **fields: Any) -> ApiKey:
        return self._model(ApiKey, "PATCH", f"/v1/keys/{key_id}", json=fields)

    def revoke_key(self, key_id: str) -> ApiKeyRevoked:
        return self._model(ApiKeyRevoked, "DELETE", f"/v1/keys/{key_id}")

    # ------------------------------------------------------------------ usage and credits
    def usage_stats(self, period: str = "month") -> UsageStats:
        return self._model(UsageStats, "GET", "/v1/usage/stats", params={"period": period})

    def usage_logs(self, *, page: int = 1, limit: int = 20, **filters: str) -> UsageLogPage:
        """One page of the history; filters: model, endpoint, start_date, end_date, request_id, until_id."""
        params: dict[str, Any] = {"page": page, "limit": limit, **filters}
        return self._model(UsageLogPage, "GET", "/v1/usage/logs", params=params)

    def credit_balance(self) -> CreditBalance:
        return self._model(CreditBalance, "GET", "/v1/credits/balance")

    def stream_charge(self, request_id: str) -> Charge | None:
        """The charge of a finished stream (its usage log entry; a stream's headers leave before it)."""
        entries = self.usage_logs(request_id=request_id, limit=1).data
        if not entries:
            return None
        return Charge(tier=None, mode=None, credits_used=entries[0].credits_charged, credits_remaining=None)

    # ------------------------------------------------------------------ billed calls with their charge
    def chat(self, request: Mapping[str, Any]) -> tuple[ChatCompletion, Charge | None]:
        response = self._send("POST", "/v1/chat/completions", json=dict(request))
        return ChatCompletion.model_validate_json(response.content), charge_of(response.headers)

    def generate_images(self, request: Mapping[str, Any]) -> tuple[ImagesResponse, Charge | None]:
        response = self._send("POST", "/v1/images/generations", json=dict(request))
        return ImagesResponse.model_validate_json(response.content), charge_of(response.headers)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
