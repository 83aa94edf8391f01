"""Schemathesis as a case generator and response judge, with the suite's own transport.

Why not ``case.call()``: schemathesis' transport (requests) has no byte-level stream reader, no
idle-gap limit and no redacted evidence; the suite's ``ctx.request`` / ``ctx.stream`` have all
three. So schemathesis generates the case (its strategies know OpenAPI far better than we could),
the suite sends it under its limits, and schemathesis judges the answer (``validate_response``)
from a :class:`schemathesis.Response` built from what the suite received.

Config set here, per run: continue on failure (every distinct failure is reported), the seed,
``max-stream-events`` and ``request-timeout`` (the same
values the suite's reader applies), no generated security parameters (the run's key is sent
instead), and sanitization markers that filter ``Authorization`` and API keys but not
``max_tokens`` or ``session_id`` (schemathesis' default markers contain ``token`` and ``session``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis.core.transport import Response as SchemathesisResponse

from llmgw_conformance.context import CheckContext
from llmgw_conformance.outcomes import Exchange
from llmgw_contracts import CLIENT_SPECS, OPENAPI_FOLDER

#: Keys whose values are always replaced in reproductions (exact, case-insensitive).
SANITIZED_KEYS = [
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "api_key",
    "apikey",
    "cookie",
]
#: Substrings that mark a key as secret. Deliberately without "token", "key" and "session".
SANITIZED_MARKERS = [
    "authorization",
    "secret",
    "password",
    "passwd",
    "credential",
    "api_key",
    "api-key",
    "apikey",
]
#: Request fields capped to ``options.max_tokens`` so positive cases stay cheap on real targets.
TOKEN_FIELDS = ("max_tokens", "max_completion_tokens", "max_new_tokens")
#: Share (percent) of positive cases of streaming operations sent with ``stream: true``.
STREAM_SHARE_PERCENT = 40
#: Share (percent) of positive cases whose model fields name the target's model (else generated).
KNOWN_MODEL_PERCENT = 70
#: Most events read from one generated stream (schemathesis judges whole-stream rules only on complete ones).
MAX_STREAM_EVENTS = 50
#: Generated headers not sent: auth is the run's key; the rest is transport noise or a tracking id.
_DROPPED_HEADERS = (
    "authorization",
    "user-agent",
    "accept-encoding",
    "connection",
    "content-length",
    "x-schemathesis-testcaseid",
)
#: Operations whose body carries ``stream``.
STREAMING_OPERATIONS = ("createChatCompletion", "generate")


def suite_config(ctx: CheckContext, request_timeout_s: float) -> schemathesis.Config:
    """The schemathesis configuration of one run (see the module docstring)."""
    return schemathesis.Config.from_dict(
        {
            "seed": ctx.options.seed,
            "max-stream-events": min(MAX_STREAM_EVENTS, ctx.options.max_events),
            "request-timeout": request_timeout_s,
            # Every distinct failure, not the first: schema-driven records failing cases without
            # raising, the same policy for anything that runs schemathesis' own engine on this config.
            "continue-on-failure": True,
            "generation": {"with-security-parameters": False, "max-examples": ctx.options.examples},
            "output": {
                "sanitization": {"keys-to-sanitize": SANITIZED_KEYS, "sensitive-markers": SANITIZED_MARKERS}
            },
        }
    )


def load_schemas(ctx: CheckContext, config: schemathesis.Config) -> list[Any]:
    """The control and data specs loaded by schemathesis (it resolves the refs to common.yaml)."""
    # By path, not by parsed document: schemathesis follows the relative refs to common.yaml itself.
    directory = Path(ctx.contract.directory)
    return [
        schemathesis.openapi.from_path(directory / OPENAPI_FOLDER / name, config=config)
        for name in CLIENT_SPECS
    ]


def cap_tokens(body: Any, cap: int) -> None:
    """Lower every token-limit field above ``cap`` to ``cap`` (in place; other values untouched)."""
    if not isinstance(body, dict):
        return
    for name in TOKEN_FIELDS:
        value = body.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > cap:
            body[name] = cap


@dataclass
class CreatedResources:
    """Ids that generated state-changing cases may have created, removed by :func:`clean_up`."""

    pools: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)
    models: set[str] = field(default_factory=set)


#: Operations whose path names a pool / a session; the body of registerCatalogModel names a model.
POOL_OPERATIONS = ("putPool", "deletePool", "getPool", "getPoolStatus")
SESSION_OPERATIONS = ("putSession", "deleteSession", "getSession")
#: Suite-owned ids a positive case uses (few, so that get/delete cases meet what put created).
OWNED_IDS = 3


def install_hooks(ctx: CheckContext, schema: Any, created: CreatedResources) -> None:
    """Schema-local hooks: cap token fields, force ``stream`` in a share of cases, use known models,
    and give resources that positive cases create suite-owned ids (``conf-<seed>-sd-...``),
    recording every id a state-changing case names so that :func:`clean_up` removes it.
    """
    cap = ctx.options.max_tokens
    model, engine = ctx.target.model, ctx.target.engine
    prefix = f"conf-{ctx.options.seed}-sd"

    def flatmap_case(context: Any, case: Any) -> Any:
        operation_id = case.operation.definition.raw.get("operationId")
        positive = case.meta is None or case.meta.generation.mode.is_positive

        def adjust(draw: tuple[int, int]) -> Any:
            stream_roll, model_roll = draw
            cap_tokens(case.body, cap)
            if positive and isinstance(case.body, dict):
                if operation_id in STREAMING_OPERATIONS and stream_roll < STREAM_SHARE_PERCENT:
                    case.body["stream"] = True
                if model_roll < KNOWN_MODEL_PERCENT and model:
                    if "model" in case.body and operation_id != "generate":
                        case.body["model"] = model
                    if "model_ref" in case.body:
                        case.body["model_ref"] = model
                        if engine:
                            case.body["engine"] = engine
            if positive and operation_id == "generate" and model and model_roll < KNOWN_MODEL_PERCENT:
                case.path_parameters = {**(case.path_parameters or {}), "model": model}
            _own_ids(case, operation_id, positive, f"{prefix}-{model_roll % OWNED_IDS}", created)
            return case

        return st.tuples(st.integers(0, 99), st.integers(0, 99)).map(adjust)

    schema.hooks.register_hook_with_name(flatmap_case, "flatmap_case")


def _own_ids(case: Any, operation_id: str, positive: bool, owned: str, created: CreatedResources) -> None:
    """Rename a positive case's pool or model to a suite-owned id; record what may get created."""
    params = dict(case.path_parameters or {})
    if operation_id in POOL_OPERATIONS:
        if positive:
            params["pool_id"] = owned.replace("-sd-", "-sd-pool-")
            case.path_parameters = params
        if operation_id == "putPool" and isinstance(params.get("pool_id"), str):
            created.pools.add(params["pool_id"])
    if operation_id == "putSession" and isinstance(params.get("session_id"), str):
        created.sessions.add(params["session_id"])
    if operation_id == "registerCatalogModel" and isinstance(case.body, dict):
        if positive:
            case.body["id"] = owned.replace("-sd-", "-sd-model-")
        if isinstance(case.body.get("id"), str):
            created.models.add(case.body["id"])


def clean_up(ctx: CheckContext, created: CreatedResources) -> None:
    """Delete the pools and sessions, and retire the models, that generated cases may have created."""
    for pool_id in sorted(created.pools):
        ctx.request("DELETE", f"/v1/pools/{quote(pool_id, safe='')}")
    for session_id in sorted(created.sessions):
        ctx.request("DELETE", f"/v1/sessions/{quote(session_id, safe='')}")
    for model_id in sorted(created.models):
        ctx.request("POST", f"/v1/catalog/models/{quote(model_id, safe='')}/state", json={"state": "Retired"})


def is_stream_case(case: Any) -> bool:
    """Whether the answer to ``case`` is expected as an event stream."""
    operation_id = case.operation.definition.raw.get("operationId")
    if operation_id == "streamTaskEvents":
        return True
    return (
        operation_id in STREAMING_OPERATIONS
        and isinstance(case.body, dict)
        and case.body.get("stream") is True
    )


def request_parts(case: Any, base_url: str) -> dict[str, Any]:
    """Method, path (relative to the target), params, headers (without auth) and body of ``case``."""
    kwargs = case.as_transport_kwargs(base_url=base_url)
    url = str(kwargs["url"])
    path = url[len(base_url.rstrip("/")) :] if url.startswith(base_url.rstrip("/")) else url
    headers = {
        str(k): str(v)
        for k, v in (kwargs.get("headers") or {}).items()
        if str(k).lower()
        not in ("authorization", "user-agent", "accept-encoding", "connection", "content-length")
    }
    parts: dict[str, Any] = {
        "method": str(kwargs["method"]).upper(),
        "path": path,
        "headers": headers,
        "params": kwargs.get("params") or None,
    }
    if "json" in kwargs:
        parts["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        parts["content"] = data if isinstance(data, bytes) else str(data).encode("utf-8", "surrogatepass")
    return parts


def shrunk_text(parts: Mapping[str, Any]) -> str:
    """The request as JSON text for the report (no secrets: auth was never part of it)."""
    shown = {k: v for k, v in parts.items() if v is not None}
    if "content" in shown:
        shown["content"] = shown["content"].decode("utf-8", "replace")
    return json.dumps(shown, ensure_ascii=False, default=str)[:4000]


def to_schemathesis_response(
    base_url: str,
    parts: Mapping[str, Any],
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    elapsed_s: float,
    cut_short: bool,
) -> SchemathesisResponse:
    """A schemathesis Response for what the suite received (the request rebuilt for its checks)."""
    body: Any = None
    if "json" in parts:
        body = json.dumps(parts["json"]).encode()
    elif "content" in parts:
        body = parts["content"]
    prepared = requests.Request(
        method=parts["method"],
        url=base_url.rstrip("/") + parts["path"],
        headers=dict(parts["headers"]),
        params=parts.get("params") or {},
        data=body,
    ).prepare()
    grouped: dict[str, list[str]] = {}
    for key, value in headers.items():
        grouped.setdefault(key.lower(), []).append(value)
    return SchemathesisResponse(
        status_code=status,
        headers=grouped,
        content=content,
        request=prepared,
        elapsed=elapsed_s,
        verify=True,
        stream_cut_short=cut_short,
    )


def curl_for(case: Any, base_url: str) -> str:
    """schemathesis' reproduction command, the key shown as [Filtered]."""
    try:
        return str(case.as_curl_command(headers={"Authorization": "Bearer $API_KEY"}, base_url=base_url))
    except Exception:  # a case schemathesis cannot render still gets reported, without the command
        return ""


def exchange_note(exchange: Exchange | None) -> str:
    """A short "METHOD url -> status" for messages."""
    if exchange is None:
        return ""
    return f"{exchange.method} {exchange.url} -> {exchange.status}"
