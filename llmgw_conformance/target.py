"""What the target is and claims, read from the target itself at the start of a run.

Why discovery and not flags: a report must never claim a profile the target does not support, and
a check must never fail a target for a feature it never claimed. Following the Gateway API suite,
the supported set is read from the target (``GET /v1/capabilities``: profiles, features, limits,
engines). A server without capabilities (404, 401, 405, no JSON: vLLM's or llama.cpp's OpenAI server)
is treated as OpenAI-only: ``openai-chat`` is supported, ``embeddings`` and ``rerank`` when a probe of
their path is not 404/405, ``determinism`` partly (its OpenAI checks run, native ones are "not
supported" through their needs), and the optional features of ``openai-extended`` are unknown, so
checks needing them report "not supported".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llmgw_conformance.http_session import HttpSession, LiveResponse
from llmgw_conformance.outcomes import Exchange

#: Profiles an OpenAI-only server (no capabilities) can be judged on.
OPENAI_ONLY_PROFILES = ("openai-chat", "openai-extended", "determinism")
#: Suite-side feature: the run was given a restricted key (control:read only).
RESTRICTED_KEY_FEATURE = "restricted-key"
#: Suite-side feature: the target has the native surface (it answered /v1/capabilities).
NATIVE_FEATURE = "native"


@dataclass
class DiscoveredTarget:
    """Implements :class:`llmgw_conformance.context.Target`, plus what the report shows about it."""

    base_url: str
    capabilities: Mapping[str, Any] | None
    features: frozenset[str]
    models: Sequence[str]
    model: str
    engine: str | None
    #: Profiles the target claims (capabilities.profiles) or that were inferred for an OpenAI-only one.
    profiles: frozenset[str] = frozenset()
    #: "capabilities" when read from /v1/capabilities, "inferred" for an OpenAI-only server.
    profiles_source: str = "inferred"
    limits: Mapping[str, Any] = field(default_factory=dict)
    #: What the target says it is (capabilities engines/implementation, Server header), for the report.
    identity: dict[str, Any] = field(default_factory=dict)
    #: Problems found while discovering (e.g. capabilities that are not JSON); shown in the report.
    notes: list[str] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    #: Model id -> workloads it serves (completion, embedding, rerank), from the catalog when there is one.
    workloads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def model_for(self, workload: str) -> str:
        """A model serving ``workload``: the chosen model if it does (or nothing is known), else the
        first catalog model that does, else the chosen model (the check then sees the refusal)."""
        if not self.workloads or workload in self.workloads.get(self.model, ()):
            return self.model
        for model in self.models:
            if workload in self.workloads.get(model, ()):
                return model
        return self.model


def _json_object(response: LiveResponse) -> dict[str, Any] | None:
    if response.status != 200:
        return None
    try:
        value = response.json()
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _workloads(doc: dict[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """Active catalog models and their workloads (a Retired model refuses new work: never chosen)."""
    if doc is None or not isinstance(doc.get("data"), list):
        return {}
    return {
        m["id"]: tuple(_strings(m.get("workloads")) or ("completion",))
        for m in doc["data"]
        if isinstance(m, dict) and isinstance(m.get("id"), str) and m.get("state") != "Retired"
    }


def _model_ids(doc: dict[str, Any] | None) -> list[str]:
    if doc is None or not isinstance(doc.get("data"), list):
        return []
    return [m["id"] for m in doc["data"] if isinstance(m, dict) and isinstance(m.get("id"), str)]


def _served(response: LiveResponse) -> bool:
    """A probe answer that shows the path is served: anything but no answer, 404, 405 and 501
    (llama.cpp answers 501 on /v1/embeddings when started without ``--embeddings``)."""
    return response.status not in (0, 404, 405, 501)


def discover(
    session: HttpSession,
    *,
    model: str | None = None,
    restricted_api_key: str | None = None,
) -> DiscoveredTarget:
    """Read capabilities, models and the catalog; infer profiles for an OpenAI-only server.

    Never raises for anything the target does: unusable answers become notes and empty values.
    """
    start = len(session.exchanges)
    notes: list[str] = []
    caps_resp = session.request("GET", "/v1/capabilities")
    caps = _json_object(caps_resp)
    if caps_resp.status == 200 and caps is None:
        notes.append("/v1/capabilities answered 200 but not with a JSON object; treated as absent")
    elif caps_resp.status in (401, 403):
        hint = "no API key was given" if not session.api_key else "the API key was refused"
        notes.append(
            f"/v1/capabilities answered {caps_resp.status} ({hint}: set API_KEY or --api-key); "
            "treated as an OpenAI-only server, so native profiles are not supported"
        )
    elif caps is None:
        shown = caps_resp.status or caps_resp.error
        notes.append(f"/v1/capabilities answered {shown}; treated as an OpenAI-only server")

    features: set[str] = set()
    profiles: set[str] = set()
    engine: str | None = None
    limits: dict[str, Any] = {}
    identity: dict[str, Any] = {"server": caps_resp.headers.get("server")}
    if caps is not None:
        features.update(_strings(caps.get("features")))
        features.add(NATIVE_FEATURE)
        profiles.update(_strings(caps.get("profiles")))
        if not profiles:
            notes.append("capabilities name no profiles: every profile is reported not supported")
        if isinstance(caps.get("limits"), dict):
            limits = dict(caps["limits"])
        engines = [e for e in caps.get("engines") or [] if isinstance(e, dict)]
        if engines and isinstance(engines[0].get("engine"), str):
            engine = engines[0]["engine"]
        identity.update(
            api_version=caps.get("api_version"),
            role=caps.get("role"),
            engines=[{"engine": e.get("engine"), "implementation": e.get("implementation")} for e in engines],
        )
    models_resp = session.request("GET", "/v1/models")
    models = _model_ids(_json_object(models_resp))
    identity["server"] = identity.get("server") or models_resp.headers.get("server")
    workloads: dict[str, tuple[str, ...]] = {}
    if caps is not None:
        catalog_doc = _json_object(session.request("GET", "/v1/catalog/models", params={"limit": 100}))
        workloads = _workloads(catalog_doc)
        models += [m for m in workloads if m not in models]
    else:
        profiles.update(OPENAI_ONLY_PROFILES)
        # Embeddings and rerank exist on some OpenAI servers: probe with an empty body (a 4xx is fine).
        for profile, path in (("embeddings", "/v1/embeddings"), ("rerank", "/v1/rerank")):
            if _served(session.request("POST", path, json={})):
                profiles.add(profile)
                features.add(profile)
    if not models:
        notes.append("the target lists no model; checks use the --model option or report skipped")
    if restricted_api_key:
        features.add(RESTRICTED_KEY_FEATURE)
    chosen = model or (models[0] if models else "")
    return DiscoveredTarget(
        base_url=session.base_url,
        capabilities=caps,
        features=frozenset(features),
        models=tuple(models),
        model=chosen,
        engine=engine,
        profiles=frozenset(profiles),
        profiles_source="capabilities" if caps is not None else "inferred",
        limits=limits,
        identity=identity,
        notes=notes,
        exchanges=list(session.exchanges[start:]),
        workloads=workloads,
    )
