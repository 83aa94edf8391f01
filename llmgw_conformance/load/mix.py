"""The request mix of a load run: which streaming requests the users send, and in what proportion.

Why these four kinds: they are the contract's streams (chat chunks with and without the usage
chunk, native task events, generate chunks), so every stream grammar is judged while the target is
saturated. Bodies are minimal valid requests with a small ``max_tokens`` so the judges can check the
limit, and with fresh ids (a task id is never reused).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Final

from llmgw_conformance.registry import UsageError

KINDS: Final = ("chat", "chat-usage", "task", "generate")
DEFAULT_MIX: Final = "chat=5,chat-usage=2,task=2,generate=1"
#: The profile a kind needs the target to serve.
PROFILE_OF: Final = {
    "chat": "openai-chat",
    "chat-usage": "openai-chat",
    "task": "tasks",
    "generate": "generate",
}
CHAT_PATH: Final = "/v1/chat/completions"
TASKS_PATH: Final = "/v1/tasks"
PROMPT: Final = "Write one short sentence about rivers."


class BadMix(UsageError):
    """A ``--mix`` that names an unknown kind or a weight that is not a positive integer."""

    def __init__(self, value: str, why: str) -> None:
        Exception.__init__(
            self, f"--mix {value!r}: {why}; valid kinds: {', '.join(KINDS)} (e.g. {DEFAULT_MIX})"
        )
        self.what, self.value, self.valid = "mix", value, KINDS


def parse_mix(text: str) -> dict[str, int]:
    """``chat=5,task=2`` -> ``{"chat": 5, "task": 2}``; a usage error names the bad part."""
    mix: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, _, weight = part.partition("=")
        name = name.strip()
        if name not in KINDS:
            raise BadMix(text, f"unknown kind {name!r}")
        if not weight.strip().isdigit() or int(weight) < 1:
            raise BadMix(text, f"weight of {name} must be a positive integer")
        mix[name] = int(weight)
    if not mix:
        raise BadMix(text, "no kind given")
    return mix


@dataclass(frozen=True)
class TargetFacts:
    """What the users need to know about the target to send valid requests."""

    model: str
    engine: str
    ctx_max: int
    max_tokens: int
    queue_capacity: int | None = None


@dataclass(frozen=True)
class PlannedRequest:
    """One request a user sends: method, path, JSON body, and (tasks) the events path to read after."""

    kind: str
    method: str
    path: str
    body: dict[str, Any]
    events_path: str | None = None


def planned_request(kind: str, facts: TargetFacts) -> PlannedRequest:
    """A fresh valid streaming request of ``kind``."""
    tokens = facts.max_tokens
    if kind in ("chat", "chat-usage"):
        body: dict[str, Any] = {
            "model": facts.model,
            "messages": [{"role": "user", "content": PROMPT}],
            "max_tokens": tokens,
            "stream": True,
        }
        if kind == "chat-usage":
            body["stream_options"] = {"include_usage": True}
        return PlannedRequest(kind, "POST", CHAT_PATH, body)
    if kind == "generate":
        body = {"prompt": PROMPT, "max_new_tokens": tokens, "stream": True}
        return PlannedRequest(kind, "POST", f"/v1/generate/{facts.model}", body)
    task_id = str(uuid.uuid4())
    body = {
        "task_id": task_id,
        "session_id": str(uuid.uuid4()),
        "workload": "completion",
        "model_ref": facts.model,
        "engine": facts.engine,
        "ctx": min(facts.ctx_max, 256 + tokens),
        "priority": "interactive",
        "max_tokens": tokens,
        "deadline_ms": 60_000,
        "prompt": PROMPT,
    }
    return PlannedRequest(kind, "POST", TASKS_PATH, body, events_path=f"{TASKS_PATH}/{task_id}/events")
