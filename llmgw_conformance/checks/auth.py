"""API-key authentication and scopes on every /v1 operation of the profiles the target claims.

Why harmless requests suffice: authentication is checked before anything else, so a request with
a placeholder path parameter and an empty body is refused with 401/403 before it could be refused
as invalid (and a target that answers 400/404 instead has shown it validated unauthenticated input).
The probes never send a key that could change state: no key, an invented key, or the restricted
``control:read`` key on operations it has no scope for.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import parse_json_object
from llmgw_conformance.probes.operation_index import (
    concrete_path,
    is_openai_surface,
    operation_label,
    operations_in,
)
from llmgw_conformance.probes.target_claims import (
    claimed_profiles,
    claims,
    has_feature,
    restricted_key,
    run_key,
    selected_profiles,
    unique_id,
)
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

READ_SCOPE = "control:read"


def _v1_operations(ctx: CheckContext) -> list[Mapping[str, Any]]:
    claimed = claimed_profiles(ctx) - {"auth"}
    return [op for op in operations_in(ctx, claimed) if str(op["path"]).startswith("/v1/")]


def _send(ctx: CheckContext, op: Mapping[str, Any], api_key: str | bool) -> Response:
    method = str(op["method"])
    # Not an object: even a target that skips auth refuses it rather than creating something.
    body: Any = [] if method in ("POST", "PUT", "PATCH") else None
    return ctx.request(method, concrete_path(op, ctx.target.model), json=body, api_key=api_key)


def _body_shape_problems(ctx: CheckContext, op: Mapping[str, Any], response: Response) -> list[str]:
    body = parse_json_object(response.text or "")
    if body is None:
        return ["the body is not a JSON object"]
    schema = "OpenAIErrorResponse" if is_openai_surface(op) else "ErrorEnvelope"
    return [f"not an {schema}: {p}" for p in ctx.contract.schema_errors(schema, body)[:2]]


def _echo_problem(response: Response, secret: str) -> str | None:
    if secret and secret in (response.text or ""):
        return "the body echoes the API key"
    for name, value in response.headers.items():
        if secret and secret in value:
            return f"header {name} echoes the API key"
    return None


def _judge_no_echo(verdicts: Verdicts, response: Response, secret: str, where: str) -> None:
    echo = _echo_problem(response, secret)
    verdicts.expect("AUTH-NO-SECRET-ECHO", echo is None, f"{where}: {echo}", exchanges=[response.exchange])


AUTH_REQS = ["AUTH-REQUIRED", "AUTH-INVALID-KEY", "AUTH-NO-SECRET-ECHO"]


@check("auth-required", requirements=AUTH_REQS, profiles=["auth"])
def auth_required(ctx: CheckContext) -> None:
    """Every /v1 operation without a key, or with an unknown one, is 401 with WWW-Authenticate Bearer."""
    with Verdicts(ctx, AUTH_REQS) as verdicts:
        operations = _v1_operations(ctx)
        if not operations:
            for req in AUTH_REQS:
                verdicts.skip(req, "no /v1 operation of a claimed profile to probe")
        wrong_key = f"sk-conformance-invalid-{uuid.uuid4().hex}"
        # Only where the user selected control-admin: on a broken target this probe changes state.
        if (
            "control-admin" in selected_profiles(ctx)
            and claims(ctx, "control-admin")
            and has_feature(ctx, "pools")
        ):
            _judge_does_nothing(ctx, verdicts)  # first: the most telling failure leads the report
        for op in operations:
            label = operation_label(op)
            for req, key in (("AUTH-REQUIRED", False), ("AUTH-INVALID-KEY", wrong_key)):
                response = _send(ctx, op, key)
                problems: list[str] = []
                if response.status != 401:
                    problems.append(f"status {response.status}")
                else:
                    problems.extend(_body_shape_problems(ctx, op, response))
                    if req == "AUTH-REQUIRED":
                        challenge = next(
                            (v for k, v in response.headers.items() if k.lower() == "www-authenticate"), ""
                        )
                        if not challenge.strip().lower().startswith("bearer"):
                            problems.append(f"WWW-Authenticate is {challenge!r}, not Bearer")
                verdicts.expect(
                    req,
                    not problems,
                    f"{label}: " + "; ".join(problems),
                    answer=response,
                    expected="401, error body, WWW-Authenticate Bearer",
                    received=f"{response.status}: {(response.text or '')[:200]}",
                )
                if isinstance(key, str):
                    _judge_no_echo(verdicts, response, key, label)
        secret = run_key(ctx)
        if secret:
            response = ctx.request("GET", "/v1/models" if not ctx.target.capabilities else "/v1/capabilities")
            _judge_no_echo(verdicts, response, secret, "an authorized answer")


def _judge_does_nothing(ctx: CheckContext, verdicts: Verdicts) -> None:
    """A valid pool put without a key must create nothing (AUTH-REQUIRED: "... and does nothing")."""
    pool_id = unique_id(ctx, "pool")
    refused = ctx.request("PUT", f"/v1/pools/{pool_id}", json={}, api_key=False)
    after = ctx.request("GET", f"/v1/pools/{pool_id}")
    if not verdicts.expect(
        "AUTH-REQUIRED",
        after.status == 404,
        f"a pool put without a key (answered {refused.status}) created the pool",
        expected="401 and no pool",
        received=f"get answered {after.status}",
        exchanges=[refused.exchange, after.exchange],
    ):
        ctx.request("DELETE", f"/v1/pools/{pool_id}")


@check("auth-scope", requirements=["AUTH-SCOPE"], profiles=["auth"], needs=["restricted-key"])
def auth_scope(ctx: CheckContext) -> None:
    """The restricted control:read key is refused with 403 on every operation needing another scope."""
    req = "AUTH-SCOPE"
    with Verdicts(ctx, [req]) as verdicts:
        key = restricted_key(ctx)
        if key is None:
            verdicts.not_supported(req, "no restricted key was given (--restricted-api-key)")
            return
        for op in _v1_operations(ctx):
            scope = op.get("x-required-scope")
            if not scope:
                continue
            response = _send(ctx, op, key)
            ex = response.exchange
            label = operation_label(op)
            if scope == READ_SCOPE:
                verdicts.expect(
                    req,
                    response.status not in (401, 403),
                    f"{label} needs only {READ_SCOPE} but refused the restricted key",
                    expected="not 401/403",
                    received=str(response.status),
                    exchanges=[ex],
                )
            else:
                problems = (
                    _body_shape_problems(ctx, op, response)
                    if response.status == 403
                    else [f"the restricted key got {response.status}"]
                )
                verdicts.expect(
                    req,
                    not problems,
                    f"{label} needs {scope}: {'; '.join(problems[:1])}",
                    answer=response,
                    expected="403 with the surface's error body",
                    received=f"{response.status}: {(response.text or '')[:200]}",
                )
