"""Catalog calls the checks make: register an inline artifact with its digest, set a state, list models.

Why here: the catalog checks and the end-to-end flows both register, move and list models; one place
keeps the artifact, its digest and the request identical in both.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import parse_json_object


def loadable_artifact(model_id: str) -> bytes:
    """Bytes of a model the reference can load: a synthetic-model descriptor."""
    return json.dumps({"format": "synthetic-model", "name": model_id}, sort_keys=True).encode()


def data_uri(artifact: bytes) -> str:
    """RFC 2397 base64 data URI of ``artifact``."""
    return "data:application/octet-stream;base64," + base64.b64encode(artifact).decode()


def digest_of(artifact: bytes) -> str:
    """``sha256:<hex>`` of ``artifact``."""
    return "sha256:" + hashlib.sha256(artifact).hexdigest()


def register(ctx: CheckContext, model_id: str, artifact: bytes, digest: str | None = None) -> Response:
    """POST /v1/catalog/models for ``artifact`` (with its own digest unless one is given)."""
    body = {
        "id": model_id,
        "digest": digest or digest_of(artifact),
        "artifact_uri": data_uri(artifact),
        "engine": ctx.target.engine or "vllm",
        "workloads": ["completion"],
    }
    return ctx.request("POST", "/v1/catalog/models", json=body)


def set_state(ctx: CheckContext, model_id: str, state: str) -> Response:
    """POST /v1/catalog/models/{id}/state."""
    return ctx.request("POST", f"/v1/catalog/models/{model_id}/state", json={"state": state})


def listed_models(ctx: CheckContext) -> dict[str, Mapping[str, Any]] | None:
    """Every catalog model by id, following cursors (None when a page fails)."""
    out: dict[str, Mapping[str, Any]] = {}
    cursor: str | None = None
    for _ in range(200):
        params: dict[str, Any] = {"limit": 100} | ({"cursor": cursor} if cursor else {})
        page = parse_json_object(ctx.request("GET", "/v1/catalog/models", params=params).text or "")
        if page is None or not isinstance(page.get("data"), list):
            return None
        out.update({str(m.get("id")): m for m in page["data"] if isinstance(m, Mapping)})
        cursor = page.get("next_cursor") if page.get("has_more") else None
        if not cursor:
            return out
    return out
