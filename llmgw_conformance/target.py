"""What the target is and claims, read from the target itself at the start of a run.

Why discovery and not flags: a report must never claim a profile the target does not support, and
a check must never fail a target for a feature it never claimed. Following the Gateway API suite,
the supported set is read from the target (``GET /v1/capabilities``: profiles, features, limits,
engines). A server without capabilities (404, 401, 405, no JSON: vLLM's or llama.cpp's OpenAI server)
is an OpenAI-only server: what it serves comes from its target description when one was given
(:mod:`llmgw_conformance.target_description`), else from positive evidence only
(:mod:`llmgw_conformance.probing`: a 2xx to a valid minimal request of the surface). Native profiles
(tasks, generate, control, auth, ...) are never inferred for it; an OpenAI-only server's decisions are made in
:mod:`llmgw_conformance.openai_only`. Each decision keeps how it was made (claimed, declared,
probed, with the request line and status) for the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llmgw_conformance.http_session import HttpSession, LiveResponse
from llmgw_conformance.openai_only import (
    OPENAI_ONLY_PROFILES,
    PROBE_MAX_TOKENS,
    decide_features,
    decide_profiles,
    decisions_summary,
    profiles_source,
)
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probing import Decision
from llmgw_conformance.target_description import SURFACE_WORKLOADS, TargetDescription

#: Names other modules may import from here; the OpenAI-only decisions live in their own module.
__all__ = [
    "NATIVE_FEATURE",
    "NATIVE_PROFILES",
    "OPENAI_ONLY_PROFILES",
    "PROBE_MAX_TOKENS",
    "RESTRICTED_KEY_FEATURE",
    "DiscoveredTarget",
    "discover",
]
#: Profiles only a server with the native surface has (never inferred, only claimed or declared;
#: declaring one declares the native surface). ``backpressure`` is not one: declared for an OpenAI-only
#: server it judges OAI-RETRY-AFTER, and its native-only requirements end not supported.
NATIVE_PROFILES = frozenset({"control", "control-admin", "tasks", "generate", "auth"})
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
    #: "capabilities" when read from /v1/capabilities; "declared", "probed" or "declared and probed"
    #: for an OpenAI-only server.
    profiles_source: str = "probed"
    limits: Mapping[str, Any] = field(default_factory=dict)
    #: What the target says it is (capabilities engines/implementation, Server header), for the report.
    identity: dict[str, Any] = field(default_factory=dict)
    #: Problems found while discovering (e.g. capabilities that are not JSON); shown in the report.
    notes: list[str] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    #: Model id -> workloads it serves (completion, embedding, rerank), from the catalog when there is one.
    workloads: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Surface (chat, embeddings, rerank, generate) -> model, declared or found by a probe.
    surface_models: Mapping[str, str] = field(default_factory=dict)
    #: How each profile and feature was decided (claimed / declared / probed, with evidence).
    decisions: list[Decision] = field(default_factory=list)

    def decision(self, kind: str, name: str) -> Decision | None:
        return next((d for d in self.decisions if d.kind == kind and d.name == name), None)

    def model_for(self, workload: str) -> str:
        """A model serving ``workload``: the model declared or probed for its surface, else the chosen
        model if it serves it (or nothing is known), else the first catalog model that does, else the
        chosen model (the check then sees the refusal)."""
        for surface, served in SURFACE_WORKLOADS.items():
            if served == workload and self.surface_models.get(surface):
                return self.surface_models[surface]
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


def _claimed_decisions(caps_status: int, profiles: set[str], features: set[str]) -> list[Decision]:
    evidence = f"GET /v1/capabilities -> {caps_status}"
    return [Decision("profile", p, True, "claimed", evidence) for p in sorted(profiles)] + [
        Decision("feature", f, True, "claimed", evidence) for f in sorted(features)
    ]


@dataclass
class _Discovery:
    """What discovery has found so far; each step adds to it, in the order the target is asked.

    Why one record: the steps (capabilities, models, the catalog or the OpenAI-only inference) each
    add notes, features and profiles, and the notes must read in the order the requests were sent.
    """

    limits: dict[str, Any]
    surface_models: dict[str, str]
    notes: list[str] = field(default_factory=list)
    caps_status: int = 0
    caps: dict[str, Any] | None = None
    features: set[str] = field(default_factory=set)
    profiles: set[str] = field(default_factory=set)
    engine: str | None = None
    identity: dict[str, Any] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)
    workloads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    chosen: str = ""
    decisions: list[Decision] = field(default_factory=list)


def _read_capabilities(
    session: HttpSession, description: TargetDescription | None, found: _Discovery
) -> None:
    """``GET /v1/capabilities``: what a native target claims; any other answer makes it OpenAI-only."""
    caps_resp = session.request("GET", "/v1/capabilities")
    caps = _json_object(caps_resp)
    found.caps_status, found.caps = caps_resp.status, caps
    found.identity["server"] = caps_resp.headers.get("server")
    if caps_resp.status == 200 and caps is None:
        found.notes.append("/v1/capabilities answered 200 but not with a JSON object; treated as absent")
    elif caps_resp.status in (401, 403):
        hint = "no API key was given" if not session.api_key else "the API key was refused"
        found.notes.append(
            f"/v1/capabilities answered {caps_resp.status} ({hint}: set API_KEY or --api-key); "
            "treated as an OpenAI-only server, so native profiles are not supported"
        )
    elif caps is None:
        shown = caps_resp.status or caps_resp.error
        found.notes.append(f"/v1/capabilities answered {shown}; treated as an OpenAI-only server")
    if caps is not None:
        _take_claims(caps, description, found)


def _take_claims(caps: dict[str, Any], description: TargetDescription | None, found: _Discovery) -> None:
    """The features, profiles, limits and engines the capabilities document claims."""
    found.features.update(_strings(caps.get("features")))
    found.features.add(NATIVE_FEATURE)
    found.profiles.update(_strings(caps.get("profiles")))
    if not found.profiles:
        found.notes.append("capabilities name no profiles: every profile is reported not supported")
    if isinstance(caps.get("limits"), dict):
        found.limits.update(caps["limits"])
    engines = [e for e in caps.get("engines") or [] if isinstance(e, dict)]
    if engines and isinstance(engines[0].get("engine"), str):
        found.engine = engines[0]["engine"]
    found.identity.update(
        api_version=caps.get("api_version"),
        role=caps.get("role"),
        engines=[{"engine": e.get("engine"), "implementation": e.get("implementation")} for e in engines],
    )
    if description is not None and (description.profiles is not None or description.features is not None):
        found.notes.append("the target has capabilities: the described profiles and features are not used")


def _read_catalog(session: HttpSession, found: _Discovery) -> None:
    """A native target's catalog: the workloads of each model (and models ``/v1/models`` missed)."""
    catalog_doc = _json_object(session.request("GET", "/v1/catalog/models", params={"limit": 100}))
    found.workloads = _workloads(catalog_doc)
    found.models += [m for m in found.workloads if m not in found.models]
    found.chosen = found.chosen or (found.models[0] if found.models else "")
    found.decisions = _claimed_decisions(
        found.caps_status, found.profiles - {NATIVE_FEATURE}, found.features - {NATIVE_FEATURE}
    )


def _infer_openai_only(
    session: HttpSession, description: TargetDescription | None, models_listed: bool, found: _Discovery
) -> None:
    """Profiles and features of a server without capabilities: declared, else probed."""
    decisions = decide_profiles(
        session, description, found.chosen, found.models, models_listed, found.surface_models
    )
    found.profiles.update(d.name for d in decisions if d.supported)
    if found.profiles & NATIVE_PROFILES:  # declared: the user says the native surface is there
        found.features.add(NATIVE_FEATURE)
    chat_served = any(d.name == "openai-chat" and d.supported and d.how == "probed" for d in decisions)
    chat_served = chat_served or "openai-chat" in found.profiles
    chat_model = found.surface_models.get("chat") or found.chosen
    feature_decisions = decide_features(session, description, chat_model, chat_served)
    decisions += feature_decisions
    found.features.update(d.name for d in feature_decisions if d.supported)
    found.features.update(p for p in ("embeddings", "rerank") if p in found.profiles)
    if decisions:
        found.notes.append(decisions_summary(decisions))
    found.decisions = decisions


def discover(
    session: HttpSession,
    *,
    model: str | None = None,
    restricted_api_key: str | None = None,
    description: TargetDescription | None = None,
) -> DiscoveredTarget:
    """Read capabilities and models; decide profiles and features of an OpenAI-only server.

    Never raises for anything the target does: unusable answers become notes and empty values.
    """
    start = len(session.exchanges)
    found = _Discovery(
        limits=dict(description.limits) if description else {},
        surface_models=dict(description.models) if description else {},
    )
    _read_capabilities(session, description, found)
    models_resp = session.request("GET", "/v1/models")
    models_doc = _json_object(models_resp)
    found.models = _model_ids(models_doc)
    found.identity["server"] = found.identity.get("server") or models_resp.headers.get("server")
    found.chosen = model or found.surface_models.get("chat") or (found.models[0] if found.models else "")
    if found.caps is not None:
        _read_catalog(session, found)
    else:
        listed = models_doc is not None and isinstance(models_doc.get("data"), list)
        _infer_openai_only(session, description, listed, found)
    if not found.models:
        found.notes.append("the target lists no model; checks use the --model option or report skipped")
    if not found.chosen:
        found.notes.append("no model is known (none listed, no --model): checks that need one end skipped")
    if restricted_api_key:
        found.features.add(RESTRICTED_KEY_FEATURE)
    return DiscoveredTarget(
        base_url=session.base_url,
        capabilities=found.caps,
        features=frozenset(found.features),
        models=tuple(found.models),
        model=found.chosen,
        engine=found.engine,
        profiles=frozenset(found.profiles),
        profiles_source="capabilities" if found.caps is not None else profiles_source(found.decisions),
        limits=found.limits,
        identity=found.identity,
        notes=found.notes,
        exchanges=list(session.exchanges[start:]),
        workloads=found.workloads,
        surface_models=found.surface_models,
        decisions=found.decisions,
    )
