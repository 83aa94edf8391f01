"""One target's answer to one request of the set, reduced to what a differential run compares.

Why a reduction and not the raw bytes: two correct servers never send the same bytes (ids,
``created``, timings differ), so the run compares what the client of a gateway depends on: the text,
the tokens as they arrived, the token count, the finish reason, the usage, and the stream's shape
(which chunks came in which order, where usage and the finish reason were, how it ended). Streams
are read by the suite's strict SSE reader (:mod:`llmgw_conformance.sse`, through
:class:`~llmgw_conformance.http_session.HttpSession`), so a malformed stream is seen as malformed.

Native ``metrics`` events are left out of the shape: the contract sends them on a timer, so their
number depends on timing and would make two equal runs differ.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from llmgw_conformance.http_session import LiveResponse, LiveStreamResult

#: Events of the native stream that come on a timer, not from the answer (kept out of the shape).
TIMED_EVENTS = frozenset({"metrics"})
_WORDS = re.compile(r"\s*\S+|\s+")


@dataclass
class Answer:
    """What one side answered; ``problem`` says why there is no comparable answer (None: there is)."""

    status: int
    problem: str | None = None
    text: str | None = None
    #: The text as it arrived (stream deltas / token events); None for a JSON answer.
    tokens: list[str] | None = None
    token_count: int | None = None
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    #: One label per event (see :func:`chat_label`, :func:`generate_label`); None for a JSON answer.
    shape: list[str] | None = None
    #: How the stream ended (the reader's termination); None for a JSON answer.
    termination: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def units(self) -> tuple[str, list[str]]:
        """(unit, pieces) to find the first difference in: tokens when streamed, else words."""
        if self.tokens is not None:
            return "token", self.tokens
        return "word", _WORDS.findall(self.text or "")


def _object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _usage(value: Any) -> dict[str, Any] | None:
    return dict(value) if isinstance(value, dict) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _evidence(exchange: Any) -> dict[str, Any]:
    return {"curl": getattr(exchange, "curl", None), "status": getattr(exchange, "status", None)}


def from_json(response: LiveResponse, kind: str) -> Answer:
    """A non-stream chat or generate answer."""
    answer = Answer(response.status, evidence=_evidence(response.exchange))
    doc = _object(response.text) if response.answered else None
    if not response.answered:
        answer.problem = f"no answer ({response.error})"
    elif not 200 <= response.status < 300:
        answer.problem = f"status {response.status}: {response.text[:200]}"
    elif doc is None:
        answer.problem = "the body is not a JSON object"
    if answer.problem or doc is None:
        return answer
    answer.usage = _usage(doc.get("usage"))
    completion = (answer.usage or {}).get("completion_tokens")
    answer.token_count = _int(completion)
    if kind == "chat-json":
        choices = doc.get("choices")
        first = choices[0] if isinstance(choices, list) and choices and isinstance(choices[0], dict) else {}
        message: dict[str, Any] = first["message"] if isinstance(first.get("message"), dict) else {}
        answer.text = message.get("content") if isinstance(message.get("content"), str) else None
        answer.finish_reason = first.get("finish_reason")
    else:
        answer.text = doc.get("text") if isinstance(doc.get("text"), str) else None
        answer.finish_reason = doc.get("finish_reason")
    if answer.text is None:
        answer.problem = "the answer carries no text"
    return answer


def chat_label(chunk: dict[str, Any] | None, data: str) -> tuple[str, str, dict[str, Any] | None, Any]:
    """(label, content delta, usage, finish_reason) of one chat stream event."""
    if data.strip() == "[DONE]":
        return "[DONE]", "", None, None
    if chunk is None:
        return "not-json", "", None, None
    parts: list[str] = []
    content, finish = "", None
    choices = chunk.get("choices") if isinstance(chunk.get("choices"), list) else []
    first = choices[0] if choices and isinstance(choices[0], dict) else {}
    delta: dict[str, Any] = first["delta"] if isinstance(first.get("delta"), dict) else {}
    if "role" in delta:
        parts.append("role")
    if isinstance(delta.get("content"), str) and delta["content"]:
        content = delta["content"]
        parts.append("content")
    if first.get("finish_reason") is not None:
        finish = first["finish_reason"]
        parts.append("finish")
    usage = _usage(chunk.get("usage"))
    if usage is not None:
        parts.append("usage")
    return "+".join(parts) or "empty", content, usage, finish


def generate_label(chunk: dict[str, Any] | None, data: str) -> tuple[str, str, dict[str, Any] | None, Any]:
    """(label, text delta, usage, finish_reason) of one generate stream event."""
    if data.strip() == "[DONE]":
        return "[DONE]", "", None, None
    if chunk is None:
        return "not-json", "", None, None
    delta = str(chunk["text_delta"]) if isinstance(chunk.get("text_delta"), str) else ""
    usage = _usage(chunk.get("usage"))
    finish = chunk.get("finish_reason")
    parts = ["delta"] if delta else []
    parts += ["done"] if chunk.get("done") is True else []
    parts += ["finish"] if finish is not None else []
    parts += ["usage"] if usage is not None else []
    return "+".join(parts) or "empty", delta, usage, finish


def _native(answer: Answer, result: LiveStreamResult) -> None:
    for event in result.transcript.events:
        if event.event in TIMED_EVENTS:
            continue
        answer.shape = [*(answer.shape or []), event.event]
        doc = _object(event.data)
        if event.event == "token" and doc is not None and isinstance(doc.get("t"), str):
            answer.tokens = [*(answer.tokens or []), doc["t"]]
        if event.event in ("end", "error") and doc is not None:
            answer.finish_reason = (
                doc.get("finish_reason") if event.event == "end" else f"error:{doc.get('code')}"
            )
            answer.token_count = _int(doc.get("tokens_out"))
            answer.usage = {k: doc[k] for k in ("prompt_tokens", "tokens_out") if k in doc}


def from_stream(result: LiveStreamResult, kind: str) -> Answer:
    """A streamed chat, generate or native answer, read event by event."""
    answer = Answer(result.status, evidence=_evidence(result.exchange), termination=result.termination)
    answer.evidence["transcript"] = result.transcript.render(first=12, last=4)
    if not result.answered:
        answer.problem = f"no answer ({result.error})"
        return answer
    if not 200 <= result.status < 300 or result.body is not None:
        answer.problem = f"status {result.status}, not an event stream: {(result.body or '')[:200]}"
        return answer
    answer.shape, answer.tokens = [], []
    if kind == "native-stream":
        _native(answer, result)
    else:
        label_of = chat_label if kind == "chat-stream" else generate_label
        for event in result.transcript.events:
            label, delta, usage, finish = label_of(_object(event.data), event.data)
            answer.shape.append(label)
            if delta:
                answer.tokens.append(delta)
            answer.usage = usage if usage is not None else answer.usage
            answer.finish_reason = finish if finish is not None else answer.finish_reason
        completion = (answer.usage or {}).get("completion_tokens")
        answer.token_count = _int(completion) if completion is not None else len(answer.tokens)
    answer.text = "".join(answer.tokens or [])
    answer.shape = [*(answer.shape or []), f"({result.termination})"]
    return answer


def compact_shape(shape: list[str] | None) -> str:
    """``role, content x4, finish, usage, [DONE], (eof)``: runs of one label counted."""
    if shape is None:
        return "(not a stream)"
    out: list[str] = []
    for label in shape:
        if out and out[-1].split(" x")[0] == label:
            head, _, count = out[-1].partition(" x")
            out[-1] = f"{head} x{int(count or 1) + 1}"
        else:
            out.append(label)
    return ", ".join(out)
