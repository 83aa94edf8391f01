"""AccountsService: the accounts side of the reference as one object the app and the auth
middleware share (store, keys, identities, ledger) plus the bearer-credential lookup.

Why the lookup lives here and auth.py only calls it: the static operator keys of the config
(`sk-local-dev`, ...) stay exactly as they were; a bearer value they do not know is then tried as a
stored API key and as an access token. Every credential maps to an account: the static keys to the
configured default account, so the run key of a conformance run is billed like any other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from llmgw_generated.models.common import ErrorKind, ErrorReason
from llmgw_reference.accounts.identity import Identities
from llmgw_reference.accounts.keys import KeyBook, endpoint_allowed, ip_allowed
from llmgw_reference.accounts.store import Store, StoreUnavailable
from llmgw_reference.accounts.usage import Ledger
from llmgw_reference.config import Config
from llmgw_reference.errors import ApiError
from llmgw_reference.faults.accounts import adjusted
from llmgw_reference.faults.base import FaultSet

DEFAULT_ACCOUNT_ID = "acct_local"
TOKEN_SCOPES = ("account", "inference")


@dataclass(frozen=True)
class Credential:
    """An account credential found for a bearer value: its account, scopes and key prefix."""

    account_id: str
    scopes: tuple[str, ...]
    key_prefix: str | None  # None for an access token


def store_unavailable(exc: StoreUnavailable) -> ApiError:
    """The clear 5xx of a locked, full or unreadable database (nothing was written)."""
    return ApiError(
        ErrorKind.INTERNAL,
        f"The accounts database is unavailable ({exc}); nothing was changed or billed. Try again later.",
        status=500,
    )


class AccountsService:
    """Everything about accounts the reference serves."""

    def __init__(self, config: Config, faults: FaultSet | None) -> None:
        self.config = config
        self.faults = faults
        self.store = Store(config.accounts_db)
        self.keys = KeyBook(self.store, faults, config.max_api_keys)
        self.identities = Identities(
            self.store, faults, access_ttl_s=config.access_token_ttl_s, signup_credits=config.signup_credits
        )
        self.ledger = Ledger(self.store, faults)
        self.identities.ensure(
            DEFAULT_ACCOUNT_ID, config.account_email, config.account_password, config.account_credits
        )

    def credential(self, bearer: str, client_ip: str | None, path: str) -> Credential | ApiError | None:
        """The account credential of ``bearer``; an ApiError (401/403/500) when it is refused."""
        try:
            if bearer.startswith("at-"):
                account_id = self.identities.account_of_token(bearer)
                return Credential(account_id, TOKEN_SCOPES, None) if account_id else None
            row = self.keys.lookup(bearer)
        except StoreUnavailable as exc:
            return store_unavailable(exc)
        if row is None:
            return None
        status = row["status"]
        if status != "ACTIVE" and not adjusted(self.faults, f"accept-{status}", False):
            return None  # answered exactly as an unknown key: 401
        if adjusted(self.faults, "restrictions-enforced", True):
            endpoints = json.loads(row["allowed_endpoints"]) if row["allowed_endpoints"] else None
            networks = json.loads(row["allowed_ips"]) if row["allowed_ips"] else None
            if not endpoint_allowed(endpoints, path):
                return _forbidden(f"This API key may not call {path} (allowed_endpoints).")
            if not ip_allowed(networks, client_ip):
                return _forbidden("This API key may not be used from this address (allowed_ips).")
        return Credential(row["account_id"], tuple(json.loads(row["scopes"])), row["key_prefix"])

    def close(self) -> None:
        self.store.close()


def _forbidden(message: str) -> ApiError:
    return ApiError(ErrorKind.INVALID_PARAMS, message, status=403, reason=ErrorReason.FORBIDDEN)
