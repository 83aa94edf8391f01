"""Per-choice bookkeeping of a chat stream: role, finish reason, content, tool-call deltas, indexes.

A chat stream interleaves the choices of ``n`` completions; each rule about "the first delta of a
choice" or "exactly one finish per choice" needs state per choice index, kept here so the chat judge
stays a readable walk over events.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final

from llmgw_conformance.sse import Event

from .payloads import looks_like_error_text
from .violation import Judgement

#: Values CHAT-FINISH-VALUE allows besides null (the catalogue's sentence, OpenAI's list).
FINISH_VALUES: Final = frozenset({"stop", "length", "tool_calls", "content_filter", "function_call"})


@dataclass(slots=True)
class _Choice:
    first_event: int
    parts: list[str] = field(default_factory=list)
    finish: str | None = None
    finish_at: int | None = None
    #: Tool calls by their delta index: argument fragments, and the call id of the first delta.
    calls: dict[int, list[str]] = field(default_factory=dict)
    call_ids: dict[int, str] = field(default_factory=dict)


class ChoiceTracker:
    """Feeds on each choice object of each chunk; reports per-choice rule breaks into the verdict."""

    def __init__(self, verdict: Judgement, n: int) -> None:
        self.verdict = verdict
        self.n = n
        self._choices: dict[int, _Choice] = {}
        self.tool_calls_seen = False

    @property
    def content(self) -> dict[int, str]:
        """The text of each choice, deltas joined."""
        return {i: "".join(c.parts) for i, c in sorted(self._choices.items())}

    @property
    def finish_reasons(self) -> dict[int, str | None]:
        """The finish reason of each choice (None when it never finished)."""
        return {i: c.finish for i, c in sorted(self._choices.items())}

    def feed(self, event: Event, choice: dict[str, Any]) -> None:
        """Judge one choice object of one chunk."""
        v = self.verdict
        index = choice.get("index")
        if not isinstance(index, int) or isinstance(index, bool):
            return  # the schema check already reported it
        if self.n > 1 and not 0 <= index < self.n:
            v.add(
                "OAI-N-STREAM",
                "choice-index-range",
                event.index,
                f"choice index {index} outside 0..{self.n - 1}",
                expected=f"0..{self.n - 1}",
                received=str(index),
                raw=event.raw,
            )
        state = self._choices.get(index)
        delta = choice.get("delta")
        delta = delta if isinstance(delta, dict) else {}
        if state is None:
            state = self._choices[index] = _Choice(first_event=event.index)
            if delta.get("role") != "assistant":
                v.add(
                    "CHAT-ROLE-FIRST",
                    "role_on_first_delta_only",
                    event.index,
                    f"the first delta of choice {index} has role {delta.get('role')!r}",
                    expected="assistant",
                    received=repr(delta.get("role")),
                    raw=event.raw,
                )
        elif "role" in delta and delta["role"] is not None:
            v.add(
                "CHAT-ROLE-FIRST",
                "role_on_first_delta_only",
                event.index,
                f"a later delta of choice {index} repeats `role`",
                expected="no role after the first delta",
                received=repr(delta.get("role")),
                raw=event.raw,
            )
        if state.finish_at is not None:
            v.add(
                "CHAT-FINISH-ONCE",
                "finish_reason_once_per_choice",
                event.index,
                f"choice {index} has a chunk after its finish (#{state.finish_at})",
                expected="the finish reason on the choice's last chunk",
                received="another chunk",
                raw=event.raw,
            )
        content = delta.get("content")
        if isinstance(content, str):
            state.parts.append(content)
            if looks_like_error_text(content):
                v.add(
                    "CHAT-ERROR-EVENT",
                    "error-never-content",
                    event.index,
                    "assistant content is an error or a stack trace",
                    expected='an error event `data: {"error": ...}`',
                    received=content[:120],
                    raw=event.raw,
                )
        calls = delta.get("tool_calls")
        if isinstance(calls, list) and calls:
            self.tool_calls_seen = True
            for call in calls:
                self._tool_delta(event, state, call)
        self._finish(event, index, state, choice)

    def _finish(self, event: Event, index: int, state: _Choice, choice: dict[str, Any]) -> None:
        v = self.verdict
        if "finish_reason" not in choice:
            v.add(
                "CHAT-FINISH-VALUE",
                "finish_reason-present",
                event.index,
                f"choice {index} has no `finish_reason` key",
                expected="finish_reason null or a reason",
                received="key missing",
                raw=event.raw,
            )
            return
        reason = choice["finish_reason"]
        if reason is None:
            return
        if reason not in FINISH_VALUES:
            v.add(
                "CHAT-FINISH-VALUE",
                "finish_reason-value",
                event.index,
                f"choice {index} has finish_reason {reason!r}",
                expected="null or " + ", ".join(sorted(FINISH_VALUES)),
                received=repr(reason),
                raw=event.raw,
            )
        if state.finish_at is not None:
            return  # reported above as a chunk after the finish
        state.finish, state.finish_at = str(reason), event.index
        if state.calls and reason != "tool_calls":
            v.add(
                "CHAT-TOOL-FINISH",
                "tool-calls-finish",
                event.index,
                f"choice {index} streamed tool calls but finished with {reason!r}",
                expected="tool_calls",
                received=repr(reason),
                raw=event.raw,
            )

    def _tool_delta(self, event: Event, state: _Choice, call: Any) -> None:
        v = self.verdict
        index = call.get("index") if isinstance(call, dict) else None
        if not isinstance(index, int) or isinstance(index, bool):
            v.add(
                "CHAT-TOOL-DELTA-INDEX",
                "tool-delta-index",
                event.index,
                "a tool-call delta has no integer `index`",
                expected="integer index",
                received=repr(index),
                raw=event.raw,
            )
            return
        assert isinstance(call, dict)
        found = call.get("function")
        function: dict[str, Any] = found if isinstance(found, dict) else {}
        if index not in state.calls:
            state.calls[index] = []
            state.call_ids[index] = str(call.get("id") or "")
            if not call.get("id") or call.get("type") != "function" or not function.get("name"):
                v.add(
                    "CHAT-TOOL-DELTA-INDEX",
                    "tool-first-delta",
                    event.index,
                    f"the first delta of tool call {index} lacks id, type function or function.name",
                    expected="id, type function, function.name",
                    received=json.dumps(call)[:160],
                    raw=event.raw,
                )
        elif call.get("id") and call.get("id") != state.call_ids[index]:
            v.add(
                "CHAT-TOOL-DELTA-INDEX",
                "tool-distinct-indexes",
                event.index,
                f"a second tool call (id {call.get('id')!r}) on index {index}: arguments would merge",
                expected="a distinct index per parallel call",
                received=f"index {index} reused",
                raw=event.raw,
            )
        arguments = function.get("arguments")
        if isinstance(arguments, str):
            state.calls[index].append(arguments)

    def finish(self, sentinel_at: int, *, require_finish: bool = True) -> None:
        """At the sentinel: every choice finished, with n every index 0..n-1 streamed, arguments parse."""
        v = self.verdict
        for index, state in sorted(self._choices.items()):
            if state.finish_at is None and require_finish:
                v.add(
                    "CHAT-FINISH-ONCE",
                    "finish_reason_once_per_choice",
                    sentinel_at,
                    f"choice {index} never got a finish reason",
                    expected="one non-null finish_reason",
                    received="none",
                )
            for call_index, parts in state.calls.items():
                text = "".join(parts)
                try:
                    json.loads(text or "{}")
                except (ValueError, RecursionError):
                    v.add(
                        "CHAT-TOOL-DELTA-INDEX",
                        "tool-arguments-json",
                        sentinel_at,
                        f"the arguments of tool call {call_index} (choice {index}) do not form valid JSON",
                        expected="valid JSON arguments",
                        received=text[:160],
                    )
        if self.n > 1:
            missing = sorted(set(range(self.n)) - set(self._choices))
            if missing:
                v.add(
                    "OAI-N-STREAM",
                    "every-choice-streamed",
                    sentinel_at,
                    f"choices {missing} were never streamed with n={self.n}",
                    expected=f"choices 0..{self.n - 1}",
                    received=f"choices {sorted(self._choices)}",
                )
