"""How the profiles and features of an OpenAI-only server (one without ``/v1/capabilities``) are decided.

Why its own module: such a server claims nothing, so each profile and feature is either declared in
its target description or probed with a valid minimal request, and only positive evidence (a 2xx)
counts. Each :class:`~llmgw_conformance.probing.Decision` keeps how it was made, for the report and
the console line. :func:`llmgw_conformance.target.discover` calls these for a target without
capabilities; a native target's claims never pass through here.
"""

from __future__ import annotations

from collections.abc import Sequence

from llmgw_conformance.http_session import HttpSession
from llmgw_conformance.probing import CHAT_PROFILES, Decision, probe_features, probe_surface
from llmgw_conformance.target_description import TargetDescription

#: Profiles an OpenAI-only server (no capabilities) can be judged on.
OPENAI_ONLY_PROFILES = (*CHAT_PROFILES, "embeddings", "rerank")
#: max_tokens of a probe: the answer's content does not matter, only that it was accepted.
PROBE_MAX_TOKENS = 2


def decide_profiles(
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


def decide_features(
    session: HttpSession, description: TargetDescription | None, chat_model: str, chat_served: bool
) -> list[Decision]:
    """Features of an OpenAI-only server: declared ones, else the OpenAI-defined ones probed."""
    if description is not None and description.features is not None:
        why = f"target description ({description.source})"
        return [Decision("feature", f, True, "declared", why) for f in sorted(description.features)]
    if not chat_served or not chat_model:
        return []
    return probe_features(session, chat_model, PROBE_MAX_TOKENS)


def decisions_summary(decisions: list[Decision]) -> str:
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


def profiles_source(decisions: list[Decision]) -> str:
    hows = sorted({d.how for d in decisions if d.kind == "profile" and d.how in ("declared", "probed")})
    return " and ".join(hows) or "probed"
