"""``AccountsClient``: API keys, usage, credits and images of a gateway with accounts (contract 1.2),
with an API key or in access-token mode (email and password, see :mod:`llmgw_sdk.token_auth`).

Why a client of its own: account management is a different credential's business (the seed's SDK
manages keys and credits in "JWT mode"), and its answers carry a charge in headers that the JSON
calls of :class:`~llmgw_sdk.GatewayClient` do not return.  Payloads are the generated models.  Like the
gateway clients it is a thin shell: the calls are :mod:`llmgw_sdk.accounts_operations`, sending and
judging them is :mod:`llmgw_sdk.call_flow`; :class:`~llmgw_sdk.AsyncAccountsClient` is its asyncio twin.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from llmgw_generated.models import control
from llmgw_generated.models.data import ChatCompletion, ImagesResponse
from llmgw_sdk import accounts_operations as acc
from llmgw_sdk.accounts_operations import Charge, charge_of
from llmgw_sdk.call_flow import CallOptions, json_flow
from llmgw_sdk.closing import ClosesOnExit
from llmgw_sdk.flow_runners import run_flow
from llmgw_sdk.operations import JsonCall
from llmgw_sdk.retry_policy import RetryPolicy

__all__ = ["AccountsClient", "AccountsShell", "Charge", "charge_of"]

M = TypeVar("M", bound=BaseModel)


class AccountsShell:
    """Credentials and options of an accounts client (subclasses add the connection)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        email: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        """Pass ``api_key``, or ``email`` and ``password`` (checked before anything is sent)."""
        self.token_auth = acc.credentials(api_key, email, password)
        self.base_url = base_url.rstrip("/")
        self._key_headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._options = CallOptions(RetryPolicy.never(), httpx.Timeout(timeout))
        self._connect()

    def _connect(self) -> None:
        """Open the connection (what makes a shell sync or async)."""
        raise NotImplementedError


class AccountsClient(AccountsShell, ClosesOnExit):
    """Keys, usage, credits and images; pass ``api_key``, or ``email`` and ``password``."""

    def _connect(self) -> None:
        self._http = httpx.Client(
            base_url=self.base_url, headers=self._key_headers, timeout=self._options.default_timeout
        )

    def _send(self, call: JsonCall[M]) -> tuple[M, httpx.Response]:
        return run_flow(self._http, json_flow(call, self._options), self.token_auth)

    # ------------------------------------------------------------------ keys
    def list_keys(self) -> control.ApiKeyList:
        return self._send(acc.list_keys())[0]

    def create_key(self, **fields: Any) -> control.ApiKeyWithSecret:
        """A new key; its ``key`` (the secret) is in this answer only."""
        return self._send(acc.create_key(fields))[0]

    def get_key(self, key_id: str) -> control.ApiKey:
        return self._send(acc.get_key(key_id))[0]

    def update_key(self, key_id: str, **fields: Any) -> control.ApiKey:
        return self._send(acc.update_key(key_id, fields))[0]

    def revoke_key(self, key_id: str) -> control.ApiKeyRevoked:
        return self._send(acc.revoke_key(key_id))[0]

    # ------------------------------------------------------------------ usage and credits
    def usage_stats(self, period: str = "month") -> control.UsageStats:
        return self._send(acc.usage_stats(period))[0]

    def usage_logs(self, *, page: int = 1, limit: int = 20, **filters: str) -> control.UsageLogPage:
        """One page of the history; filters: model, endpoint, start_date, end_date, request_id, until_id."""
        return self._send(acc.usage_logs(page, limit, filters))[0]

    def credit_balance(self) -> control.CreditBalance:
        return self._send(acc.credit_balance())[0]

    def stream_charge(self, request_id: str) -> Charge | None:
        """The charge of a finished stream (its usage log entry; a stream's headers leave before it)."""
        return acc.charge_from_log(self.usage_logs(request_id=request_id, limit=1))

    # ------------------------------------------------------------------ billed calls with their charge
    def chat(self, request: Mapping[str, Any]) -> tuple[ChatCompletion, Charge | None]:
        completion, response = self._send(acc.chat(request))
        return completion, charge_of(response.headers)

    def generate_images(self, request: Mapping[str, Any]) -> tuple[ImagesResponse, Charge | None]:
        images, response = self._send(acc.generate_images(request))
        return images, charge_of(response.headers)

    def close(self) -> None:
        self._http.close()
