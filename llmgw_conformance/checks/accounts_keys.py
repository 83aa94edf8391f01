"""API-key lifecycle (profile accounts-keys): the secret once, updates, revoke, suspend, expiry,
endpoint and IP restrictions, malformed restrictions.

Why each check creates its own keys and revokes them at the end: the profile is state-changing
but must leave the account as it found it (no active key left behind). A run key that may not
manage keys (403 on create) makes these requirements not supported, never failed.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.accounts_calls import (
    CHAT_PATH,
    KEYS_PATH,
    body_of,
    chat_body,
    create_key,
    revoke_key,
)
from llmgw_conformance.probes.target_claims import limit
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

EXPIRY_S = 2.0
#: KEY-LIMIT fills the account up to its limit; above this many keys that is no longer a small
#: probe of someone else's server (hundreds of creates and revokes), so the rule is skipped.
MAX_KEYS_FILLED = 50
#: Statuses that no longer count against the limit (control.yaml Limits.max_api_keys).
FINAL_STATUSES = ("REVOKED", "EXPIRED")


def _keys_call_failed(verdicts: Verdicts, req: str, response: Response, action: str, expected: str) -> None:
    """A keys request the check needed did not succeed: the rule is not supported when the run key
    may not ``action`` (401/403/404), else it fails."""
    if response.status in (401, 403, 404):
        verdicts.not_supported(req, f"the run key cannot {action} ({response.status})")
    else:
        verdicts.fail(
            req,
            f"a request to {action} answered {response.status}",
            expected=expected,
            received=(response.text or "")[:300],
            exchanges=[response.exchange],
        )


def _new_key(ctx: CheckContext, verdicts: Verdicts, req: str, **fields: Any) -> dict[str, Any] | None:
    key, response = create_key(ctx, **fields)
    if key is None:
        _keys_call_failed(verdicts, req, response, "create API keys", "201 ApiKeyWithSecret")
    return key


def _chat(ctx: CheckContext, secret: str) -> Response:
    return ctx.request("POST", CHAT_PATH, json=chat_body(ctx, max_tokens=2), api_key=secret)


def _expect_refused(verdicts: Verdicts, req: str, what: str, response: Response, status: int = 401) -> None:
    error = body_of(response).get("error")
    verdicts.expect(
        req,
        response.status == status and isinstance(error, dict),
        f"{what}: answered {response.status}",
        answer=response,
        expected=f"{status} with an OpenAI error body",
        received=(response.text or "")[:300],
    )


@check("key-secret-once", requirements=["KEY-SECRET-ONCE"], profiles=["accounts-keys"], needs=["api-keys"])
def key_secret_once(ctx: CheckContext) -> None:
    """The create answer holds the secret (starting with key_prefix); no later answer does."""
    req = "KEY-SECRET-ONCE"
    with Verdicts(ctx, [req]) as verdicts:
        key = _new_key(ctx, verdicts, req)
        if key is not None:
            secret, prefix = str(key["key"]), str(key.get("key_prefix") or "")
            if not prefix or not secret.startswith(prefix) or prefix == secret:
                verdicts.fail(
                    req, f"key_prefix {prefix!r} is not a proper prefix of the secret", exchanges=[]
                )
            later = {
                "list": ctx.request("GET", KEYS_PATH),
                "retrieve": ctx.request("GET", f"{KEYS_PATH}/{key['id']}"),
                "update": ctx.request(
                    "PATCH", f"{KEYS_PATH}/{key['id']}", json={"label": "renamed by conformance"}
                ),
                "revoke": revoke_key(ctx, str(key["id"])),
            }
            for what, response in later.items():
                verdicts.expect(
                    req,
                    secret not in (response.text or ""),
                    f"the {what} answer after the create holds the secret again",
                    received=f"{response.status}",
                    exchanges=[response.exchange],
                )


LIFECYCLE_REQS = ["KEY-LIFECYCLE", "KEY-REVOKED-REFUSED"]


@check("key-lifecycle", requirements=LIFECYCLE_REQS, profiles=["accounts-keys"], needs=["api-keys"])
def key_lifecycle(ctx: CheckContext) -> None:
    """ACTIVE and working; update changes fields; revoke -> REVOKED, refused at once, 409 on update; 404."""
    with Verdicts(ctx, LIFECYCLE_REQS) as verdicts:
        key = _new_key(ctx, verdicts, "KEY-LIFECYCLE")
        if key is None:
            verdicts.not_supported("KEY-REVOKED-REFUSED", "no key could be created")
            return
        key_id, secret = str(key["id"]), str(key["key"])
        used = _chat(ctx, secret)
        problems = [] if key.get("status") == "ACTIVE" else [f"created with status {key.get('status')!r}"]
        if used.status != 200:
            problems.append(f"the new key's first request answered {used.status}")
        updated = ctx.request("PATCH", f"{KEYS_PATH}/{key_id}", json={"label": "conformance-updated"})
        if updated.status != 200 or body_of(updated).get("label") != "conformance-updated":
            problems.append(f"an update of the label answered {updated.status} {(updated.text or '')[:120]}")
        revoked = revoke_key(ctx, key_id)
        after = _chat(ctx, secret)
        _expect_refused(verdicts, "KEY-REVOKED-REFUSED", "the first request after the revoke", after)
        read = ctx.request("GET", f"{KEYS_PATH}/{key_id}")
        if revoked.status != 200 or read.status != 200 or body_of(read).get("status") != "REVOKED":
            problems.append(
                f"after revoke ({revoked.status}) the key reads {read.status} {(read.text or '')[:120]}"
            )
        again = ctx.request("PATCH", f"{KEYS_PATH}/{key_id}", json={"label": "too late"})
        if again.status != 409:
            problems.append(f"an update of the revoked key answered {again.status}, not 409")
        unknown = ctx.request("GET", f"{KEYS_PATH}/key-conformance-unknown-{ctx.rng.randrange(10**9)}")
        if unknown.status != 404:
            problems.append(f"an unknown key id answered {unknown.status}, not 404")
        exchanges = [r.exchange for r in (used, updated, revoked, again, unknown, read)]
        verdicts.expect("KEY-LIFECYCLE", not problems, "; ".join(problems), exchanges=exchanges)


@check(
    "key-suspended", requirements=["KEY-SUSPENDED-REFUSED"], profiles=["accounts-keys"], needs=["api-keys"]
)
def key_suspended(ctx: CheckContext) -> None:
    """A suspended key is refused with 401 from its next request; set ACTIVE again, it works."""
    req = "KEY-SUSPENDED-REFUSED"
    with Verdicts(ctx, [req]) as verdicts:
        key = _new_key(ctx, verdicts, req)
        if key is not None:
            key_id, secret = str(key["id"]), str(key["key"])
            ctx.request("PATCH", f"{KEYS_PATH}/{key_id}", json={"status": "SUSPENDED"})
            _expect_refused(verdicts, req, "a request with the suspended key", _chat(ctx, secret))
            ctx.request("PATCH", f"{KEYS_PATH}/{key_id}", json={"status": "ACTIVE"})
            verdicts.expect_status(req, _chat(ctx, secret), 200, "the key set ACTIVE again")
            revoke_key(ctx, key_id)


@check("key-expired", requirements=["KEY-EXPIRED-REFUSED"], profiles=["accounts-keys"], needs=["api-keys"])
def key_expired(ctx: CheckContext) -> None:
    """A key past its expires_at is refused with 401 and reads EXPIRED."""
    req = "KEY-EXPIRED-REFUSED"
    with Verdicts(ctx, [req]) as verdicts:
        when = (datetime.now(UTC) + timedelta(seconds=EXPIRY_S)).isoformat(timespec="milliseconds")
        key = _new_key(ctx, verdicts, req, expires_at=when.replace("+00:00", "Z"))
        if key is not None:
            time.sleep(EXPIRY_S + 1.0)
            _expect_refused(verdicts, req, "a request with the expired key", _chat(ctx, str(key["key"])))
            read = ctx.request("GET", f"{KEYS_PATH}/{key['id']}")
            status = body_of(read).get("status")
            verdicts.expect(
                req,
                status == "EXPIRED",
                f"the expired key reads status {status!r}",
                expected="EXPIRED",
                exchanges=[read.exchange],
            )
            revoke_key(ctx, str(key["id"]))


@check("key-restrictions", requirements=["KEY-RESTRICTIONS"], profiles=["accounts-keys"], needs=["api-keys"])
def key_restrictions(ctx: CheckContext) -> None:
    """allowed_endpoints and allowed_ips: outside them 403, inside them the key works."""
    req = "KEY-RESTRICTIONS"
    with Verdicts(ctx, [req]) as verdicts:
        by_endpoint = _new_key(ctx, verdicts, req, allowed_endpoints=["/v1/models"])
        by_ip = _new_key(ctx, verdicts, req, allowed_ips=["192.0.2.1/32"])  # TEST-NET-1: never the suite
        if by_endpoint is not None:
            inside = ctx.request("GET", "/v1/models", api_key=str(by_endpoint["key"]))
            verdicts.expect_status(req, inside, 200, "an allowed endpoint")
            _expect_refused(
                verdicts, req, "a chat with a /v1/models-only key", _chat(ctx, str(by_endpoint["key"])), 403
            )
            revoke_key(ctx, str(by_endpoint["id"]))
        if by_ip is not None:
            _expect_refused(
                verdicts, req, "a request from outside allowed_ips", _chat(ctx, str(by_ip["key"])), 403
            )
            revoke_key(ctx, str(by_ip["id"]))


@check(
    "key-invalid-input", requirements=["KEY-INVALID-INPUT"], profiles=["accounts-keys"], needs=["api-keys"]
)
def key_invalid_input(ctx: CheckContext) -> None:
    """A malformed allowed_ips / allowed_endpoints entry is 400 naming the field; nothing is created."""
    req = "KEY-INVALID-INPUT"
    with Verdicts(ctx, [req]) as verdicts:
        before = ctx.request("GET", KEYS_PATH)
        count = len(body_of(before).get("data") or [])
        for field, value in (("allowed_ips", ["999.1.1.1"]), ("allowed_endpoints", ["no-leading-slash"])):
            response = ctx.request("POST", KEYS_PATH, json={"label": "conformance invalid", field: [*value]})
            param, created = body_of(response).get("param"), body_of(response).get("id")
            verdicts.expect(
                req,
                response.status == 400 and param == field,
                f"{field} {value} answered {response.status} with param {param!r}",
                answer=response,
                expected=f"400 with param {field!r}",
                received=(response.text or "")[:300],
            )
            if response.status == 201 and isinstance(created, str):
                revoke_key(ctx, created)
        after = ctx.request("GET", KEYS_PATH)
        verdicts.expect(
            req,
            before.status != 200 or len(body_of(after).get("data") or []) == count,
            "a refused create left a key behind",
            exchanges=[before.exchange, after.exchange],
        )


def _held_keys(ctx: CheckContext) -> tuple[int | None, Response]:
    """How many keys of the account count against the limit (not REVOKED or EXPIRED), or None."""
    response = ctx.request("GET", KEYS_PATH)
    data = body_of(response).get("data")
    if response.status != 200 or not isinstance(data, list):
        return None, response
    return sum(1 for k in data if isinstance(k, dict) and k.get("status") not in FINAL_STATUSES), response


def _judge_refusal(verdicts: Verdicts, req: str, refused: Response, held: int, max_keys: int) -> None:
    error = body_of(refused)
    verdicts.expect(
        req,
        refused.status == 409 and error.get("code") == "INVALID_PARAMS" and error.get("reason") == "CONFLICT",
        f"a create with {held} keys held and max_api_keys {max_keys} answered {refused.status}",
        answer=refused,
        expected="409 error envelope, code INVALID_PARAMS, reason CONFLICT",
        received=(refused.text or "")[:300],
    )


@check("key-limit", requirements=["KEY-LIMIT"], profiles=["accounts-keys"], needs=["api-keys"])
def key_limit(ctx: CheckContext) -> None:
    """Fill the account up to ``limits.max_api_keys``; one create more is 409 and adds no key.

    Why the limit is read from capabilities and bounded: the check must know where the limit is to
    cross it, and filling an account with hundreds of keys is not a probe; every key it made is
    revoked at the end, so the account holds what it held before.
    """
    req = "KEY-LIMIT"
    with Verdicts(ctx, [req]) as verdicts:
        max_keys = limit(ctx, "max_api_keys")
        if max_keys is None or max_keys > MAX_KEYS_FILLED:
            reason = (
                "declares no capabilities.limits.max_api_keys"
                if max_keys is None
                else (f"declares max_api_keys {max_keys}, above the {MAX_KEYS_FILLED} keys the suite creates")
            )
            verdicts.skip(req, f"the target {reason}")
            return
        held, listed = _held_keys(ctx)
        created: list[str] = []
        if held is None:
            _keys_call_failed(verdicts, req, listed, "list API keys", "200 ApiKeyList")
        while held is not None and held < max_keys:
            key = _new_key(ctx, verdicts, req)
            if key is None:
                break
            created.append(str(key["id"]))
            held += 1
        if held is not None and held >= max_keys:
            refused = ctx.request("POST", KEYS_PATH, json={"label": f"conformance {ctx.check_name} beyond"})
            stray = body_of(refused).get("id")
            if refused.status == 201 and isinstance(stray, str):
                created.append(stray)
            after, listed_after = _held_keys(ctx)
            _judge_refusal(verdicts, req, refused, held, max_keys)
            verdicts.expect(
                req,
                refused.status == 201 or after == held,  # a 201 is one defect, already reported
                f"the refused create changed the key count from {held} to {after}",
                exchanges=[refused.exchange, listed_after.exchange],
            )
        for key_id in created:
            revoke_key(ctx, key_id)
