"""Deciding what an OpenAI-only server serves from positive evidence, and recording how.

Why positive evidence only: a server proves it serves a surface by answering a *valid* minimal
request of it with a 2xx. Anything else proves nothing: llama.cpp answers 501 on /v1/embeddings
when started without embeddings, LiteLLM answers 500 on /v1/rerank to an empty body because its
handler crashed on the missing field, vLLM answers 404. Treating such answers as "served" failed
servers for profiles they never had; assuming ``openai-chat`` failed an embeddings-only server
on every chat check.

For the optional features the OpenAI API itself defines (``n``, ``logprobs``, ``tools``, ``stop``,
``seed``, ``response_format``) one chat request with the feature set decides: a clear 4xx refusal
makes the feature *not supported* (its requirements are not judged); a 2xx means the server accepted
it, so the checks that need the feature run and fail a server that accepted it and ignored it
(``n=2`` answered with one choice). A 5xx or no answer is no clear refusal; the feature is then
not judged, and the report says why.

Every decision keeps its evidence (request line and status) for the report.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from llmgw_conformance.http_session import HttpSession, LiveResponse

#: Profiles an OpenAI chat surface brings (determinism: its OpenAI rules only; the native ones need
#: the ``native`` feature, which only a server with capabilities has).
CHAT_PROFILES = ("openai-chat", "openai-extended", "determinism")
#: Most listed models tried per surface before the surface is judged not served.
MODELS_PER_SURFACE = 3

#: One extra field per OpenAI-defined feature, added to the minimal chat request.
FEATURE_PROBES: dict[str, dict[str, Any]] = {
    "n": {"n": 2},
    "logprobs": {"logprobs": True, "top_logprobs": 2},
    "tools": {
        "tools": [
            {
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "description": "The weather in a city.",
                    "parameters": {
                        "type": "object",
                        "properties": {"city": {"type": "string"}},
                        "required": ["city"],
                    },
                },
            }
        ],
        "tool_choice": "auto",
    },
    "stop": {"stop": ["\n"]},
    "seed": {"seed": 7},
    "response_format": {
        "response_format": {"type": "json_object"},
        "messages": [{"role": "user", "content": "Answer with a JSON object."}],
    },
}


@dataclass(frozen=True)
class Decision:
    """How one profile or feature was decided: claimed, declared, probed (with evidence) or not."""

    kind: str  # "profile" | "feature"
    name: str
    supported: bool
    #: claimed (capabilities) | declared (target description) | probed | not probed
    how: str
    #: The request line and status behind a probe, e.g. ``POST /v1/embeddings {"model": ...} -> 501``.
    evidence: str = ""
    reason: str = ""

    def doc(self) -> dict[str, Any]:
        """What was decided and on what grounds (the report and the run state add kind and name)."""
        return {name: getattr(self, name) for name in ("how", "supported", "evidence", "reason")}


def _evidence(method: str, path: str, body: Mapping[str, Any] | None, response: LiveResponse) -> str:
    shown = f" {jsonlib.dumps(body, separators=(',', ':'))[:160]}" if body is not None else ""
    answer = str(response.status) if response.answered else f"no answer ({response.error})"
    return f"{method} {path}{shown} -> {answer}"


def _object_2xx(response: LiveResponse) -> bool:
    if not 200 <= response.status < 300:
        return False
    try:
        return isinstance(response.json(), dict)
    except ValueError:
        return False


def chat_body(model: str, max_tokens: int, **extra: Any) -> dict[str, Any]:
    """The minimal valid chat request (one user message, a token or two)."""
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": "user", "content": "Say hi."}],
        "max_tokens": max_tokens,
    }
    body.update(extra)
    return body


def _surface_bodies(model: str, max_tokens: int) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        "chat": ("/v1/chat/completions", chat_body(model, max_tokens)),
        "embeddings": ("/v1/embeddings", {"model": model, "input": "hello"}),
        "rerank": ("/v1/rerank", {"model": model, "query": "hello", "documents": ["hello", "world"]}),
    }


def probe_surface(
    session: HttpSession, surface: str, candidates: Sequence[str], max_tokens: int
) -> tuple[str | None, str]:
    """(the first candidate model whose valid minimal request was answered 2xx, the evidence)."""
    evidence: list[str] = []
    for model in list(dict.fromkeys(candidates))[:MODELS_PER_SURFACE]:
        path, body = _surface_bodies(model, max_tokens)[surface]
        response = session.request("POST", path, json=body)
        evidence.append(_evidence("POST", path, body, response))
        if _object_2xx(response):
            return model, evidence[-1]
    return None, "; ".join(evidence)


def probe_features(session: HttpSession, model: str, max_tokens: int) -> list[Decision]:
    """One chat request per OpenAI-defined feature (see the module docstring for the rule)."""
    decisions = []
    for name, extra in FEATURE_PROBES.items():
        body = chat_body(model, max_tokens, **extra)
        response = session.request("POST", "/v1/chat/completions", json=body)
        evidence = _evidence("POST", "/v1/chat/completions", body, response)
        if _object_2xx(response):
            decisions.append(
                Decision(
                    "feature", name, True, "probed", evidence, "accepted; its checks judge whether honoured"
                )
            )
        elif 400 <= response.status < 500:
            decisions.append(Decision("feature", name, False, "probed", evidence, "refused with a clear 4xx"))
        else:
            decisions.append(
                Decision("feature", name, False, "probed", evidence, "no clear answer (not a 2xx, not a 4xx)")
            )
    return decisions
