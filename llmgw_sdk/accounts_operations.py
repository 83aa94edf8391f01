"""The accounts calls as data (keys, usage, credits, billed calls) and the charge their answers report.

Why data, as in :mod:`llmgw_sdk.operations`: :class:`~llmgw_sdk.AccountsClient` and
:class:`~llmgw_sdk.AsyncAccountsClient` differ only in how they wait; what each call sends, which status
is its success and how a charge is read from an answer is decided here, once, with no IO.  Accounts
calls are never retried: creating a key or a billed call must not run twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from llmgw_generated.models import control
from llmgw_generated.models.data import ChatCompletion, ImagesResponse
from llmgw_sdk import client_settings as cs
from llmgw_sdk.errors import UsageError
from llmgw_sdk.operations import Exchange, JsonCall
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


def charge_from_log(page: control.UsageLogPage) -> Charge | None:
    """A finished stream's charge, from its usage log entry (a stream's headers leave before it)."""
    if not page.data:
        return None
    return Charge(tier=None, mode=None, credits_used=page.data[0].credits_charged, credits_remaining=None)


def credentials(api_key: str | None, email: str | None, password: str | None) -> TokenAuth | None:
    """Check that exactly one way to sign in was given; the access-token flow when it is email/password."""
    if (api_key is None) == (email is None or password is None):
        raise UsageError("pass either api_key=... or both email=... and password=... (access-token mode)")
    return TokenAuth(email, password) if email is not None and password is not None else None


def _call(method: str, path: str, answer: type[M], ok: int = 200, **fields: Any) -> JsonCall[M]:
    return JsonCall(Exchange(method, path, ok=(ok,), **fields), answer)


def _key_path(key_id: str) -> str:
    return f"/v1/keys/{cs.path_segment(key_id, 'key_id')}"


def list_keys() -> JsonCall[control.ApiKeyList]:
    return _call("GET", "/v1/keys", control.ApiKeyList)


def create_key(fields: Mapping[str, Any]) -> JsonCall[control.ApiKeyWithSecret]:
    return _call("POST", "/v1/keys", control.ApiKeyWithSecret, 201, body=dict(fields))


def get_key(key_id: str) -> JsonCall[control.ApiKey]:
    return _call("GET", _key_path(key_id), control.ApiKey)


def update_key(key_id: str, fields: Mapping[str, Any]) -> JsonCall[control.ApiKey]:
    return _call("PATCH", _key_path(key_id), control.ApiKey, body=dict(fields))


def revoke_key(key_id: str) -> JsonCall[control.ApiKeyRevoked]:
    return _call("DELETE", _key_path(key_id), control.ApiKeyRevoked)


def usage_stats(period: str) -> JsonCall[control.UsageStats]:
    return _call("GET", "/v1/usage/stats", control.UsageStats, params={"period": period})


def usage_logs(page: int, limit: int, filters: Mapping[str, str]) -> JsonCall[control.UsageLogPage]:
    params: dict[str, Any] = {"page": page, "limit": limit, **filters}
    return _call("GET", "/v1/usage/logs", control.UsageLogPage, params=params)


def credit_balance() -> JsonCall[control.CreditBalance]:
    return _call("GET", "/v1/credits/balance", control.CreditBalance)


def chat(request: Mapping[str, Any]) -> JsonCall[ChatCompletion]:
    return _call("POST", "/v1/chat/completions", ChatCompletion, body=dict(request))


def generate_images(request: Mapping[str, Any]) -> JsonCall[ImagesResponse]:
    return _call("POST", "/v1/images/generations", ImagesResponse, body=dict(request))
