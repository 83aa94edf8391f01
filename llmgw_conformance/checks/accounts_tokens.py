"""Access tokens and an exhausted balance (profile accounts-keys), on an account the suite
registers itself.

Why a fresh account: the run key's account may hold any balance, and exhausting it would break
the target for everyone; a new account starts with the deployment's sign-up credits, small enough
to spend in a few requests. Login needs no key, so these checks need no credentials of the user.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.accounts_calls import CHAT_PATH, balance, body_of, chat_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

PASSWORD = "conformance-password-1"
MAX_SPEND_REQUESTS = 40
MAX_WAIT_S = 5


def register_and_login(
    ctx: CheckContext, ttl_s: int | None = None
) -> tuple[str | None, dict[str, Any], Response]:
    """A new account's email and its login answer ({} when registering or logging in failed)."""
    email = f"conformance-{uuid.uuid4().hex[:12]}@example.com"
    registered = ctx.request(
        "POST", "/auth/register", json={"email": email, "password": PASSWORD}, api_key=False
    )
    if registered.status != 201:
        return None, {}, registered
    body: dict[str, Any] = {"email": email, "password": PASSWORD} | ({"ttl_s": ttl_s} if ttl_s else {})
    login = ctx.request("POST", "/auth/login", json=body, api_key=False)
    answer = body_of(login)
    return email, (answer if isinstance(answer.get("access_token"), str) else {}), login


def _without_request_id(response: Response) -> tuple[int, Any]:
    body = body_of(response)
    body.pop("request_id", None)
    return response.status, body


@check("token-login", requirements=["TOKEN-LOGIN"], profiles=["accounts-keys"], needs=["access-tokens"])
def token_login(ctx: CheckContext) -> None:
    """Login gives a token the account operations accept; unknown email and wrong password look the same."""
    req = "TOKEN-LOGIN"
    with Verdicts(ctx, [req]) as verdicts:
        email, login, response = register_and_login(ctx)
        if email is None or not login:
            verdicts.fail(
                req,
                f"register/login answered {response.status}",
                received=(response.text or "")[:300],
                exchanges=[response.exchange],
            )
            return
        value, read = balance(ctx, api_key=str(login["access_token"]))
        verdicts.expect(
            req, value is not None, f"the access token was refused ({read.status})", exchanges=[read.exchange]
        )
        wrong = ctx.request(
            "POST", "/auth/login", json={"email": email, "password": "wrong-password-9"}, api_key=False
        )
        unknown_email = f"nobody-{uuid.uuid4().hex[:12]}@example.com"
        unknown = ctx.request(
            "POST", "/auth/login", json={"email": unknown_email, "password": PASSWORD}, api_key=False
        )
        verdicts.expect(
            req,
            wrong.status == 401 and _without_request_id(wrong) == _without_request_id(unknown),
            "a wrong password and an unknown email are answered differently",
            expected="the same 401 answer",
            received=f"{wrong.text!r} vs {unknown.text!r}"[:400],
            exchanges=[wrong.exchange, unknown.exchange],
        )


@check("token-expiry", requirements=["TOKEN-EXPIRY"], profiles=["accounts-keys"], needs=["access-tokens"])
def token_expiry(ctx: CheckContext) -> None:
    """An access token past expires_in is refused with 401; the refreshed token is accepted."""
    req = "TOKEN-EXPIRY"
    with Verdicts(ctx, [req]) as verdicts:
        _, login, response = register_and_login(ctx, ttl_s=1)
        expires_in = login.get("expires_in")
        if not login or not isinstance(expires_in, int) or expires_in > MAX_WAIT_S:
            verdicts.skip(
                req, f"no access token that expires within {MAX_WAIT_S} s ({(response.text or '')[:120]})"
            )
            return
        time.sleep(expires_in + 1.0)
        _, expired = balance(ctx, api_key=str(login["access_token"]))
        when = f"the token {expires_in + 1} s after login (expires_in {expires_in})"
        verdicts.expect_status(req, expired, 401, when)
        renewed = ctx.request(
            "POST", "/auth/refresh", json={"refresh_token": login.get("refresh_token")}, api_key=False
        )
        token = body_of(renewed).get("access_token")
        value, read = balance(ctx, api_key=token) if isinstance(token, str) else (None, renewed)
        verdicts.expect(
            req,
            value is not None,
            f"the refreshed token was refused ({read.status})",
            exchanges=[renewed.exchange, read.exchange],
        )


@check(
    "credits-402",
    requirements=["CREDITS-402"],
    profiles=["accounts-keys"],
    needs=["access-tokens", "credits"],
)
def credits_402(ctx: CheckContext) -> None:
    """Spend a new account's credits: the refusal is a 402 with credits_remaining, before any stream byte."""
    req = "CREDITS-402"
    with Verdicts(ctx, [req]) as verdicts:
        _, login, response = register_and_login(ctx)
        token = login.get("access_token")
        if not isinstance(token, str):
            verdicts.skip(req, f"no account could be registered and logged in ({response.status})")
            return
        refused = None
        for _ in range(MAX_SPEND_REQUESTS):
            answer = ctx.request("POST", CHAT_PATH, json=chat_body(ctx, max_tokens=64), api_key=token)
            if answer.status != 200:
                refused = answer
                break
        left, read = balance(ctx, api_key=token)
        if refused is None:
            verdicts.skip(
                req, f"{MAX_SPEND_REQUESTS} requests did not spend the sign-up credits (left: {left})"
            )
        else:
            _judge_refusal(verdicts, ctx, req, refused, left, token)
        if left is not None and left < 0:
            verdicts.fail(req, f"the balance went below zero ({left})", exchanges=[read.exchange])


def _judge_refusal(
    verdicts: Verdicts, ctx: CheckContext, req: str, refused: Response, left: float | None, token: str
) -> None:
    error = body_of(refused).get("error")
    error = error if isinstance(error, dict) else {}
    refused_right = (
        refused.status == 402
        and error.get("credits_remaining") == left
        and error.get("type") == "insufficient_quota"
    )
    if not verdicts.expect(
        req,
        refused_right,
        f"the refusal answered {refused.status}",
        answer=refused,
        expected=f"402, insufficient_quota, credits_remaining {left}",
        received=(refused.text or "")[:300],
    ):
        return
    streamed = ctx.stream("POST", CHAT_PATH, json=chat_body(ctx, max_tokens=64, stream=True), api_key=token)
    after, read = balance(ctx, api_key=token)
    if streamed.status != 402:
        verdicts.fail(
            req,
            f"a stream with the spent balance answered {streamed.status}",
            expected="402 before any stream byte",
            exchanges=[streamed.exchange],
        )
        return
    verdicts.expect(
        req,
        after == left,
        f"the refused stream changed the balance from {left} to {after}",
        exchanges=[read.exchange, streamed.exchange],
    )
