"""``AsyncAccountsClient``: the asyncio twin of :class:`~llmgw_sdk.AccountsClient`.

Nearly free because both are thin shells over the same IO-free core: the calls are
:mod:`llmgw_sdk.accounts_operations`, sending and judging them :mod:`llmgw_sdk.call_flow`; only the
waiting differs (``httpx.AsyncClient``, :func:`~llmgw_sdk.flow_runners.arun_flow`).  Access-token mode
works unchanged: :class:`~llmgw_sdk.token_auth.TokenAuth` is an ``httpx.Auth`` flow, sync and async alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from llmgw_generated.models import control
from llmgw_generated.models.data import ChatCompletion, ImagesResponse
from llmgw_sdk import accounts_operations as acc
from llmgw_sdk.accounts_client import AccountsShell
from llmgw_sdk.accounts_operations import Charge, charge_of
from llmgw_sdk.call_flow import json_flow
from llmgw_sdk.closing import AsyncClosesOnExit
from llmgw_sdk.flow_runners import arun_flow
from llmgw_sdk.operations import JsonCall

M = TypeVar("M", bound=BaseModel)


class AsyncAccountsClient(AccountsShell, AsyncClosesOnExit):
    """The asyncio twin of :class:`AccountsClient`: same calls, awaited; ``async with`` or ``aclose()``."""

    def _connect(self) -> None:
        self._http = httpx.AsyncClient(
            base_url=self.base_url, headers=self._key_headers, timeout=self._options.default_timeout
        )

    async def _send(self, call: JsonCall[M]) -> tuple[M, httpx.Response]:
        return await arun_flow(self._http, json_flow(call, self._options), self.token_auth)

    # ------------------------------------------------------------------ keys
    async def list_keys(self) -> control.ApiKeyList:
        return (await self._send(acc.list_keys()))[0]

    async def create_key(self, **fields: Any) -> control.ApiKeyWithSecret:
        """A new key; its ``key`` (the secret) is in this answer only."""
        return (await self._send(acc.create_key(fields)))[0]

    async def get_key(self, key_id: str) -> control.ApiKey:
        return (await self._send(acc.get_key(key_id)))[0]

    async def update_key(self, key_id: str, **fields: Any) -> control.ApiKey:
        return (await self._send(acc.update_key(key_id, fields)))[0]

    async def revoke_key(self, key_id: str) -> control.ApiKeyRevoked:
        return (await self._send(acc.revoke_key(key_id)))[0]

    # ------------------------------------------------------------------ usage and credits
    async def usage_stats(self, period: str = "month") -> control.UsageStats:
        return (await self._send(acc.usage_stats(period)))[0]

    async def usage_logs(self, *, page: int = 1, limit: int = 20, **filters: str) -> control.UsageLogPage:
        """One page of the history; filters: model, endpoint, start_date, end_date, request_id, until_id."""
        return (await self._send(acc.usage_logs(page, limit, filters)))[0]

    async def credit_balance(self) -> control.CreditBalance:
        return (await self._send(acc.credit_balance()))[0]

    async def stream_charge(self, request_id: str) -> Charge | None:
        """The charge of a finished stream (its usage log entry; a stream's headers leave before it)."""
        return acc.charge_from_log(await self.usage_logs(request_id=request_id, limit=1))

    # ------------------------------------------------------------------ billed calls with their charge
    async def chat(self, request: Mapping[str, Any]) -> tuple[ChatCompletion, Charge | None]:
        completion, response = await self._send(acc.chat(request))
        return completion, charge_of(response.headers)

    async def generate_images(self, request: Mapping[str, Any]) -> tuple[ImagesResponse, Charge | None]:
        images, response = await self._send(acc.generate_images(request))
        return images, charge_of(response.headers)

    async def aclose(self) -> None:
        await self._http.aclose()
