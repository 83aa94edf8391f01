"""The seeded request set of a differential run: the same requests, byte for byte, to both targets.

Why seeded and temperature 0: a difference between two targets only means something when both were
asked exactly the same thing under the same sampling promise; the seed picks the prompts and is sent
as each request's ``seed``, so a rerun with the same ``--seed`` sends the same set again.

Which requests: chat without streaming, chat streamed without and with ``include_usage``, generate
without and with streaming, and a native task with ``determinism: strict``, each only where *both*
targets serve its surface (``openai-chat``, ``generate``, ``tasks``, as discovery decided); a surface
only one side serves is listed as skipped with the reason, never compared.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import Any

#: Words the seeded prompts are drawn from (plain English: any model tokenises them).
_WORDS = (
    "river",
    "lighthouse",
    "keeper",
    "winter",
    "letter",
    "garden",
    "market",
    "engine",
    "silver",
    "quiet",
    "morning",
    "story",
    "harbour",
    "window",
    "mountain",
    "orchard",
    "lantern",
    "signal",
)
#: Surfaces of the set, and the profile a target must serve for each.
SURFACE_PROFILES: dict[str, str] = {"chat": "openai-chat", "generate": "generate", "native": "tasks"}
CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class DiffRequest:
    """One request of the set; ``kind`` says how its answer is read (see differential.answers)."""

    name: str
    surface: str  # chat | generate | native
    kind: str  # chat-json | chat-stream | generate-json | generate-stream | native-stream
    method: str
    path: str
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def stream(self) -> bool:
        return self.kind.endswith("-stream")

    def body_for_side(self) -> dict[str, Any]:
        """The body to send; a native task gets a fresh ``task_id`` per side (ids must be unique)."""
        if self.surface != "native":
            return dict(self.body)
        return dict(self.body, task_id=str(uuid.uuid4()), session_id=str(uuid.uuid4()))


def seeded_prompts(seed: int, count: int) -> list[str]:
    """``count`` short prompts drawn with ``Random(f"{seed}:differential")``."""
    rng = random.Random(f"{seed}:differential")
    return [f"Write about a {' '.join(rng.sample(_WORDS, 3))}." for _ in range(count)]


def _chat(model: str, prompt: str, seed: int, max_tokens: int, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": seed,
    }
    return body | extra


def _task(model: str, engine: str, prompt: str, seed: int, max_tokens: int) -> dict[str, Any]:
    return {
        "workload": "completion",
        "model_ref": model,
        "engine": engine,
        "ctx": 256 + max_tokens,
        "priority": "interactive",
        "prompt": prompt,
        "max_tokens": max_tokens,
        "deadline_ms": 60_000,
        "seed": seed,
        "determinism": "strict",
    }


def build_request_set(
    *, seed: int, models: dict[str, str], engine: str, max_tokens: int, surfaces: set[str]
) -> list[DiffRequest]:
    """The set for ``surfaces`` (served by both sides); ``models[surface]`` is the model each uses."""
    prompts = seeded_prompts(seed, 3)
    out: list[DiffRequest] = []
    if "chat" in surfaces:
        model = models["chat"]
        out += [
            DiffRequest(
                "chat json",
                "chat",
                "chat-json",
                "POST",
                CHAT_PATH,
                _chat(model, prompts[0], seed, max_tokens),
            ),
            DiffRequest(
                "chat stream",
                "chat",
                "chat-stream",
                "POST",
                CHAT_PATH,
                _chat(model, prompts[1], seed, max_tokens, stream=True),
            ),
            DiffRequest(
                "chat stream with usage",
                "chat",
                "chat-stream",
                "POST",
                CHAT_PATH,
                _chat(
                    model, prompts[1], seed, max_tokens, stream=True, stream_options={"include_usage": True}
                ),
            ),
        ]
    if "generate" in surfaces:
        path = f"/v1/generate/{models['generate']}"
        body = {"prompt": prompts[2], "max_new_tokens": max_tokens, "temperature": 0, "seed": seed}
        out += [
            DiffRequest("generate json", "generate", "generate-json", "POST", path, body),
            DiffRequest(
                "generate stream", "generate", "generate-stream", "POST", path, body | {"stream": True}
            ),
        ]
    if "native" in surfaces:
        body = _task(models["native"], engine, prompts[0], seed, max_tokens)
        out.append(DiffRequest("native task", "native", "native-stream", "POST", "/v1/tasks", body))
    return out
