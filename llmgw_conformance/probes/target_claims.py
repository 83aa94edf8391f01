"""What the target claims (profiles, features, limits), read defensively from its capabilities.

Why: a check must tell "the target broke a rule" from "the target never claimed this"; the second
is ``not_supported``, never a failure and never a pass. Capabilities come from a possibly hostile
target, so every read here tolerates wrong types.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext


def capabilities(ctx: CheckContext) -> Mapping[str, Any]:
    """The capabilities document, or an empty mapping when the target has none."""
    caps = ctx.target.capabilities
    return caps if isinstance(caps, Mapping) else {}


def claimed_profiles(ctx: CheckContext) -> frozenset[str]:
    """Profiles the target claims (or that discovery inferred for an OpenAI-only server)."""
    discovered = ctx.target.profiles
    if discovered:
        return frozenset(p for p in discovered if isinstance(p, str))
    profiles = capabilities(ctx).get("profiles")
    if not isinstance(profiles, list):
        return frozenset()
    return frozenset(p for p in profiles if isinstance(p, str))


def selected_profiles(ctx: CheckContext) -> set[str]:
    """Profiles selected for the run (the catalogue's defaults when none was named)."""
    chosen = tuple(ctx.options.profiles)
    if chosen:
        return set(chosen)
    catalogue = ctx.contract.profiles
    return {name for name, info in catalogue.items() if isinstance(info, Mapping) and info.get("default")}


def claims(ctx: CheckContext, profile: str) -> bool:
    """Whether the target claims ``profile``."""
    return profile in claimed_profiles(ctx)


def has_feature(ctx: CheckContext, feature: str) -> bool:
    """Whether the target claims ``feature`` (or the suite has it, e.g. ``restricted-key``)."""
    return feature in ctx.target.features


def limit(ctx: CheckContext, name: str) -> int | None:
    """``capabilities.limits.<name>`` (or the target description's) when a non-negative integer, else None."""
    limits = capabilities(ctx).get("limits")
    if not isinstance(limits, Mapping):
        limits = ctx.target.limits
    if not isinstance(limits, Mapping):
        return None
    value = limits.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def engine_ctx_max(ctx: CheckContext) -> int | None:
    """The ``ctx_max`` of the engine the checks use (the first engine when none matches)."""
    engines = capabilities(ctx).get("engines")
    if not isinstance(engines, list):
        return None
    chosen: int | None = None
    for entry in engines:
        if not isinstance(entry, Mapping):
            continue
        value = entry.get("ctx_max")
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if entry.get("engine") == ctx.target.engine:
            return value
        if chosen is None:
            chosen = value
    return chosen


def restricted_key(ctx: CheckContext) -> str | None:
    """The ``control:read``-only key given with --restricted-api-key, if any."""
    value = ctx.options.restricted_api_key
    return value if isinstance(value, str) and value else None


def run_key(ctx: CheckContext) -> str | None:
    """The run's API key (used only to make sure no answer echoes it)."""
    value = ctx.options.api_key
    return value if isinstance(value, str) and value else None


def unique_id(ctx: CheckContext, kind: str) -> str:
    """A resource id the suite creates: ``conf-<seed>-<kind>-<random>`` (lower-case, pool-id safe).

    The random part is not seeded: a second run against the same target must not collide with the
    first (task ids are kept at least 60 s, catalog ids forever).
    """
    return f"conf-{ctx.options.seed}-{kind}-{uuid.uuid4().hex[:10]}"


def new_uuid() -> str:
    """A fresh UUID for task and session ids (unseeded, for the same reason as :func:`unique_id`)."""
    return str(uuid.uuid4())


def model_for(ctx: CheckContext, workload: str) -> tuple[str, str | None]:
    """A model (and its engine) that serves ``workload``: the run's model when it does, else the
    first Active catalog model listing it, else the run's model (whose refusal is then reported).

    Why: a deployment may serve chat and embeddings with different models; the run's default model
    is chosen for chat, so embedding and rerank checks look the right one up in the catalog. A
    server without capabilities has no catalog: the model declared or probed for the surface is used.
    """
    if ctx.target.capabilities is None:
        return ctx.target.model_for(workload), ctx.target.engine
    found: list[tuple[str, str | None]] = []
    cursor: str | None = None
    for _ in range(20):
        params: dict[str, Any] = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        response = ctx.request("GET", "/v1/catalog/models", params=params)
        try:
            page = response.json() if response.status == 200 else None
        except ValueError:
            page = None
        if not isinstance(page, Mapping) or not isinstance(page.get("data"), list):
            break
        for model in page["data"]:
            if not isinstance(model, Mapping) or model.get("state", "Active") != "Active":
                continue
            workloads = model.get("workloads")
            if isinstance(workloads, list) and workload in workloads and isinstance(model.get("id"), str):
                engine = model.get("engine") if isinstance(model.get("engine"), str) else None
                found.append((model["id"], engine))
        cursor = page.get("next_cursor") if page.get("has_more") else None
        if not isinstance(cursor, str):
            break
    for model_id, engine in found:
        if model_id == ctx.target.model:
            return model_id, engine
    return found[0] if found else (ctx.target.model, ctx.target.engine)
