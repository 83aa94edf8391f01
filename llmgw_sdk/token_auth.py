"""Access-token mode: log in lazily with email and password, renew the token before it expires,
and once more when the gateway answers 401 (contract 1.2, ``/auth/login`` and ``/auth/refresh``).

Why an ``httpx.Auth`` flow: httpx runs it around every request of a client, sync and async alike,
so the token logic lives in one generator and no call site handles tokens (the seed's
``AuthStrategy``: "logs in lazily, stores the access token in memory, refreshes when it expires").
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

from llmgw_sdk.error_mapping import error_from_response

#: Renew this many seconds before the token's expiry, so a request never leaves with a dying token.
EXPIRY_MARGIN_S = 1.0


class TokenAuth(httpx.Auth):
    """Bearer access tokens obtained from the gateway for ``email`` / ``password``."""

    requires_response_body = True

    def __init__(self, email: str, password: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.email = email
        self._password = password
        self._clock = clock
        self.access_token: str | None = None
        self._refresh_token: str | None = None
        self._expires_at = 0.0
        self.logins = 0  # how many times the password was sent (lazy: 0 until the first request)
        self.refreshes = 0

    def __repr__(self) -> str:
        return f"TokenAuth(email={self.email!r})"  # never the password or a token

    def expire(self) -> None:
        """Treat the held token as expired: the next request renews it (refresh, else login)."""
        self._expires_at = 0.0

    def _expired(self) -> bool:
        return self.access_token is None or self._clock() >= self._expires_at - EXPIRY_MARGIN_S

    def _token_request(self, request: httpx.Request, path: str, body: dict[str, Any]) -> httpx.Request:
        url = request.url.copy_with(path=path, query=None)
        return httpx.Request("POST", url, json=body)

    def _store(self, response: httpx.Response) -> None:
        answer = json.loads(response.content)
        self.access_token = str(answer["access_token"])
        self._refresh_token = answer.get("refresh_token")
        self._expires_at = self._clock() + float(answer.get("expires_in") or 0)

    def _obtain(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Refresh when a refresh token is held, else (or when refreshing fails) log in."""
        if self._refresh_token:
            self.refreshes += 1
            body = {"refresh_token": self._refresh_token}
            response = yield self._token_request(request, "/auth/refresh", body)
            if response.status_code == 200:
                self._store(response)
                return
        self.logins += 1
        body = {"email": self.email, "password": self._password}
        response = yield self._token_request(request, "/auth/login", body)
        if response.status_code != 200:
            raise error_from_response(response.status_code, response.headers, response.content)
        self._store(response)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        fresh = self._expired()
        if fresh:
            yield from self._obtain(request)
        request.headers["Authorization"] = f"Bearer {self.access_token}"
        response = yield request
        if response.status_code == 401 and not fresh:  # revoked or expired early: renew once
            yield from self._obtain(request)
            request.headers["Authorization"] = f"Bearer {self.access_token}"
            yield request
