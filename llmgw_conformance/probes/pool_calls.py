"""Pool calls the checks make: find a live machine profile, put a pool, list pool ids.

Why here: the pool checks and the end-to-end flows both create and list pools; one place keeps the
requests identical in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import parse_json_object


def machine_profile(ctx: CheckContext) -> str | None:
    """A machine profile with at least one worker not down (from /v1/capacity)."""
    info = parse_json_object(ctx.request("GET", "/v1/capacity").text or "") or {}
    live = info.get("live_machine_profiles")
    if isinstance(live, list) and live and isinstance(live[0], str):
        return live[0]
    return None


def put_pool(
    ctx: CheckContext, pool_id: str, gpus: Mapping[str, int], caps: Mapping[str, int] | None = None
) -> Response:
    """PUT /v1/pools/{id} with ``gpus`` (and ``gpu_caps`` when given)."""
    spec: dict[str, Any] = {"gpus": dict(gpus)}
    if caps is not None:
        spec["gpu_caps"] = dict(caps)
    return ctx.request("PUT", f"/v1/pools/{pool_id}", json=spec)


def listed_pools(ctx: CheckContext) -> set[str]:
    ids: set[str] = set()
    cursor: str | None = None
    for _ in range(200):
        params: dict[str, Any] = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = parse_json_object(ctx.request("GET", "/v1/pools", params=params).text or "") or {}
        ids.update(str(p.get("id")) for p in page.get("data", []) if isinstance(p, Mapping))
        cursor = page.get("next_cursor") if page.get("has_more") else None
        if not cursor:
            break
    return ids
