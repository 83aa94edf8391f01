"""What the target is and claims, read from the target itself at the start of a run.

Why discovery and not flags: a report must never claim a profile the target does not support, and
a check must never fail a target for a feature it never claimed. Following the Gateway API suite,
the supported set is read from the target (``GET /v1/capabilities``: profiles, features, limits,
engines). A server without capabilities (404, 401, 405, no JSON: vLLM's or llama.cpp's OpenAI server)
is an OpenAI-only server: what it serves comes from its target description when one was given
(:mod:`llmgw_conformance.target_description`), else from positive evidence only
(:mod:`llmgw_conformance.probing`: a 2xx to a valid minimal request of the surface). Native profiles
(tasks, generate, control, auth, ...) are never inferred for it. Each decision keeps how it was made
(claimed, declared, probed, with the request line and status) for the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from llmgw_conformance.http_session import HttpSession, LiveResponse
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probing import CHAT_PROFILES, Decision, probe_features, probe_surface
from llmgw_conformance.target_description import SURFACE_WORKLOADS, TargetDescription

#: Profiles an OpenAI-only server (no capabilities) can be judged on.
OPENAI_ONLY_PROFILES = (*CHAT_PROFILES, "embeddings", "rerank")
#: Profiles only a server with the native surface has (never inferred, only claimed or declared;
#: declaring one declares the native surface). ``backpressure`` is not one: declared for an OpenAI-only
#: server it judges OAI-RETRY-AFTER, and its native-only requirements end not supported.
NATIVE_PROFILES = frozenset({"control", "control-admin", "tasks", "generate", "auth"})
#: max_tokens of a probe: the answer's content does not matter, only that it was accepted.
PROBE_MAX_TOKENS = 2
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


def _decide_profiles(
    session: HttpSession,
    description: TargetDescription | None,
    chosen: str,
    models: Sequence[str],
    models_listed: bool,
    surface_models: dict[str, str],
) -> list[Decision]:
    """Profiles of an OpenAI-only server: declared ones, else probed (positive evidence only)."""
    if description is not None and description.profiles is not None:
        why = f"target description ({description.source})"
        return [Decision("profile", p, True, "declared", why) for p in sorted(description.profiles)]
    decisions: list[Decision] = []
    chat_model = surface_models.get("chat") or chosen
    if chat_model:
        found, evidence = probe_surface(session, "chat", [chat_model], PROBE_MAX_TOKENS)
        reason = "" if found else "a valid minimal chat request was not answered 2xx"
        decisions += [
            Decision("profile", p, found is not None, "probed", evidence, reason) for p in CHAT_PROFILES
        ]
    else:
        why = "no model to probe chat with (the target lists none; give --model or --model-for chat=NAME)"
        if models_listed:
            decisions.append(
                Decision(
                    "profile", "openai-chat", True, "probed", "GET /v1/models -> 200 (an empty list)", why
                )
            )
        else:
            decisions.append(Decision("profile", "openai-chat", False, "not probed", "", why))
        decisions += [Decision("profile", p, False, "not probed", "", why) for p in CHAT_PROFILES[1:]]
    for surface in ("embeddings", "rerank"):
        declared = surface_models.get(surface)
        candidates = [declared] if declared else [m for m in (chosen, *models) if m]
        if not candidates:
            decisions.append(
                Decision("profile", surface, False, "not probed", "", "no model to probe it with")
            )
            continue
        found, evidence = probe_surface(session, surface, candidates, PROBE_MAX_TOKENS)
        if found:
            surface_models[surface] = found
        reason = "" if found else f"no valid minimal {surface} request was answered 2xx"
        decisions.append(Decision("profile", surface, found is not None, "probed", evidence, reason))
    return decisions


def _decide_features(
    session: HttpSession, description: TargetDescription | None, chat_model: str, chat_served: bool
) -> list[Decision]:
    """Features of an OpenAI-only server: declared ones, else the OpenAI-defined ones probed."""
    if description is not None and description.features is not None:
        why = f"target description ({description.source})"
        return [Decision("feature", f, True, "declared", why) for f in sorted(description.features)]
    if not chat_served or not chat_model:
        return []
    return probe_features(session, chat_model, PROBE_MAX_TOKENS)


def _summary(decisions: list[Decision]) -> str:
    """One line for the console: what was probed or declared, and what it gave."""

    def status(d: Decision) -> str:
        tail = d.evidence.rsplit("-> ", 1)[-1] if "-> " in d.evidence else d.how
        return f"{d.name} ({tail})"

    parts = []
    for kind in ("profile", "feature"):
        mine = [d for d in decisions if d.kind == kind]
        served = [status(d) for d in mine if d.supported]
        refused = [status(d) for d in mine if not d.supported]
        if served:
            verb = "declared" if mine[0].how == "declared" else "served" if kind == "profile" else "accepted"
            parts.append(f"{kind}s {verb}: {', '.join(served)}")
        if refused:
            parts.append(f"{kind}s not supported: {', '.join(refused)}")
    return "; ".join(parts)


def _source(decisions: list[Decision]) -> str:
    hows = sorted({d.how for d in decisions if d.kind == "profile" and d.how in ("declared", "probed")})
    return " and ".join(hows) or "probed"


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
    limits: dict[str, Any] = dict(description.limits) if description else {}
    identity: dict[str, Any] = {"server": caps_resp.headers.get("server")}
    if caps is not None:
        features.update(_strings(caps.get("features")))
        features.add(NATIVE_FEATURE)
        profiles.update(_strings(caps.get("profiles")))
        if not profiles:
            notes.append("capabilities name no profiles: every profile is reported not supported")
        if isinstance(caps.get("limits"), dict):
            limits.update(caps["limits"])
        engines = [e for e in caps.get("engines") or [] if isinstance(e, dict)]
        if engines and isinstance(engines[0].get("engine"), str):
            engine = engines[0]["engine"]
        identity.update(
            api_version=caps.get("api_version"),
            role=caps.get("role"),
            engines=[{"engine": e.get("engine"), "implementation": e.get("implementation")} for e in engines],
        )
        if description is not None and (description.profiles is not None or description.features is not None):
            notes.append("the target has capabilities: the described profiles and features are not used")
    models_resp = session.request("GET", "/v1/models")
    models_doc = _json_object(models_resp)
    models = _model_ids(models_doc)
    identity["server"] = identity.get("server") or models_resp.headers.get("server")
    workloads: dict[str, tuple[str, ...]] = {}
    surface_models: dict[str, str] = dict(description.models) if description else {}
    chosen = model or surface_models.get("chat") or (models[0] if models else "")
    if caps is not None:
        catalog_doc = _json_object(session.request("GET", "/v1/catalog/models", params={"limit": 100}))
        workloads = _workloads(catalog_doc)
        models += [m for m in workloads if m not in models]
        chosen = chosen or (models[0] if models else "")
        decisions = _claimed_decisions(
            caps_resp.status, profiles - {NATIVE_FEATURE}, features - {NATIVE_FEATURE}
        )
    else:
        listed = models_doc is not None and isinstance(models_doc.get("data"), list)
        decisions = _decide_profiles(session, description, chosen, models, listed, surface_models)
        profiles.update(d.name for d in decisions if d.supported)
        if profiles & NATIVE_PROFILES:  # declared: the user says the native surface is there
            features.add(NATIVE_FEATURE)
        chat_served = any(d.name == "openai-chat" and d.supported and d.how == "probed" for d in decisions)
        chat_served = chat_served or "openai-chat" in profiles
        feature_decisions = _decide_features(
            session, description, surface_models.get("chat") or chosen, chat_served
        )
        decisions += feature_decisions
        features.update(d.name for d in feature_decisions if d.supported)
        features.update(p for p in ("embeddings", "rerank") if p in profiles)
        if decisions:
            notes.append(_summary(decisions))
    if not models:
        notes.append("the target lists no model; checks use the --model option or report skipped")
    if not chosen:
        notes.append("no model is known (none listed, no --model): checks that need one end skipped")
    if restricted_api_key:
        features.add(RESTRICTED_KEY_FEATURE)
    return DiscoveredTarget(
        base_url=session.base_url,
        capabilities=caps,
        features=frozenset(features),
        models=tuple(models),
        model=chosen,
        engine=engine,
        profiles=frozenset(profiles),
        profiles_source="capabilities" if caps is not None else _source(decisions),
        limits=limits,
        identity=identity,
        notes=notes,
        exchanges=list(session.exchanges[start:]),
        workloads=workloads,
        surface_models=surface_models,
        decisions=decisions,
    )
