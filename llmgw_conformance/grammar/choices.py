"""The chat stream's per-choice rules: role, finish reason, content, tool-call deltas, indexes.

A chat stream interleaves the choices of ``n`` completions; each rule about "the first delta of a
choice" or "exactly one finish per choice" needs state per choice index (:class:`ChoiceState`). The
chat grammar's ``each_choice`` rule applies :data:`CHOICE_RULES` (those :func:`rules_for` the request)
to every choice object of every chunk, in order; the rules at the sentinel close the choices.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from llmgw_conformance.sse import Event

from .payloads import looks_like_error_text

if TYPE_CHECKING:
    from .chat import ChatRequest, ChatState

#: Values CHAT-FINISH-VALUE allows besides null (the catalogue's sentence, OpenAI's list).
FINISH_VALUES: Final = frozenset({"stop", "length", "tool_calls", "content_filter", "function_call"})
#: The delta of a choice that has none (or not an object: the schema reported it).
NO_DELTA: Final[dict[str, Any]] = {}


class ChoiceState:
    """One choice index of the stream: its deltas so far, its text, its finish and its tool calls."""

    __slots__ = ("call_ids", "calls", "deltas", "finish", "finish_at", "first_event", "index", "parts")

    def __init__(self, index: int, first_event: int) -> None:
        self.index = index
        self.first_event = first_event
        self.deltas = 0
        self.parts: list[str] = []
        self.finish: str | None = None
        self.finish_at: int | None = None
        #: Tool calls by their delta index: argument fragments, and the call id of the first delta.
        self.calls: dict[int, list[str]] = {}
        self.call_ids: dict[int, str] = {}


#: A rule on one choice object of one chunk: (state, event, the choice's state, the choice, its delta).
ChoiceRule = Callable[["ChatState", Event, ChoiceState, dict[str, Any], dict[str, Any]], None]


def choice_index_in_range(
    s: ChatState, event: Event, state: ChoiceState, choice: dict[str, Any], delta: dict[str, Any]
) -> None:
    """OAI-N-STREAM: with ``n`` above 1, choice indexes are 0..n-1."""
    n = s.request.n
    if n > 1 and not 0 <= state.index < n:
        s.verdict.add_at(
            event,
            "OAI-N-STREAM",
            "choice-index-range",
            f"choice index {state.index} outside 0..{n - 1}",
            f"0..{n - 1}",
            str(state.index),
        )


def role_on_first_delta_only(
    s: ChatState, event: Event, state: ChoiceState, choice: dict[str, Any], delta: dict[str, Any]
) -> None:
    """CHAT-ROLE-FIRST: a choice's first delta has role assistant; later deltas have no role."""
    role = delta.get("role")
    if state.deltas == 1:
        if role != "assistant":
            s.verdict.add_at(
                event,
                "CHAT-ROLE-FIRST",
                "role_on_first_delta_only",
                f"the first delta of choice {state.index} has role {role!r}",
                "assistant",
                repr(role),
            )
    elif role is not None:
        s.verdict.add_at(
            event,
            "CHAT-ROLE-FIRST",
            "role_on_first_delta_only",
            f"a later delta of choice {state.index} repeats `role`",
            "no role after the first delta",
            repr(role),
        )


def nothing_after_finish(
    s: ChatState, event: Event, state: ChoiceState, choice: dict[str, Any], delta: dict[str, Any]
) -> None:
    """CHAT-FINISH-ONCE: the finish reason comes on the choice's last chunk."""
    if state.finish_at is not None:
        s.verdict.add_at(
            event,
            "CHAT-FINISH-ONCE",
            "finish_reason_once_per_choice",
            f"choice {state.index} has a chunk after its finish (#{state.finish_at})",
            "the finish reason on the choice's last chunk",
            "another chunk",
        )


def content_is_not_an_error(
    s: ChatState, event: Event, state: ChoiceState, choice: dict[str, Any], delta: dict[str, Any]
) -> None:
    """CHAT-ERROR-EVENT: an error is an error event, never assistant content (the text is kept)."""
    content = delta.get("content")
    if type(content) is not str:
        return
    state.parts.append(content)
    if looks_like_error_text(content):
        s.report_error_text(event, "CHAT-ERROR-EVENT", "error-never-content", content, "an error event")


def tool_call_deltas(
    s: ChatState, event: Event, state: ChoiceState, choice: dict[str, Any], delta: dict[str, Any]
) -> None:
    """CHAT-TOOL-DELTA-INDEX: each tool-call delta has an index; a call's first delta has id, type and
    name; one index is one call (arguments of two calls never merge)."""
    calls = delta.get("tool_calls")
    if not calls or type(calls) is not list:
        return
    s.tool_calls_seen = True
    for call in calls:
        _tool_delta(s, event, state, call)


def _tool_delta(s: ChatState, event: Event, state: ChoiceState, call: Any) -> None:
    v = s.verdict
    index = call.get("index") if isinstance(call, dict) else None
    if not isinstance(index, int) or isinstance(index, bool):
        v.add_at(
            event,
            "CHAT-TOOL-DELTA-INDEX",
            "tool-delta-index",
            "a tool-call delta has no integer `index`",
            "integer index",
            repr(index),
        )
        return
    assert isinstance(call, dict)
    found = call.get("function")
    function: dict[str, Any] = found if isinstance(found, dict) else {}
    if index not in state.calls:
        state.calls[index] = []
        state.call_ids[index] = str(call.get("id") or "")
        if not call.get("id") or call.get("type") != "function" or not function.get("name"):
            v.add_at(
                event,
                "CHAT-TOOL-DELTA-INDEX",
                "tool-first-delta",
                f"the first delta of tool call {index} lacks id, type function or function.name",
                "id, type function, function.name",
                json.dumps(call)[:160],
            )
    elif call.get("id") and call.get("id") != state.call_ids[index]:
        v.add_at(
            event,
            "CHAT-TOOL-DELTA-INDEX",
            "tool-distinct-indexes",
            f"a second tool call (id {call.get('id')!r}) on index {index}: arguments would merge",
            "a distinct index per parallel call",
            f"index {index} reused",
        )
    arguments = function.get("arguments")
    if isinstance(arguments, str):
        state.calls[index].append(arguments)


def finish_reason_value(
    s: ChatState, event: Event, state: ChoiceState, choice: dict[str, Any], delta: dict[str, Any]
) -> None:
    """CHAT-FINISH-VALUE: every choice has a ``finish_reason`` key, null or one of the known reasons."""
    if "finish_reason" not in choice:
        s.verdict.add_at(
            event,
            "CHAT-FINISH-VALUE",
            "finish_reason-present",
            f"choice {state.index} has no `finish_reason` key",
            "finish_reason null or a reason",
            "key missing",
        )
        return
    reason = choice["finish_reason"]
    if reason is not None and reason not in FINISH_VALUES:
        s.verdict.add_at(
            event,
            "CHAT-FINISH-VALUE",
            "finish_reason-value",
            f"choice {state.index} has finish_reason {reason!r}",
            "null or " + ", ".join(sorted(FINISH_VALUES)),
            repr(reason),
        )


def tool_calls_finish_as_tool_calls(
    s: ChatState, event: Event, state: ChoiceState, choice: dict[str, Any], delta: dict[str, Any]
) -> None:
    """CHAT-TOOL-FINISH: a choice that streamed tool calls finishes with ``tool_calls`` (the first
    finish is recorded here; a later one was reported as a chunk after the finish)."""
    reason = choice.get("finish_reason")
    if reason is None or state.finish_at is not None:
        return
    state.finish, state.finish_at = str(reason), event.index
    if state.calls and reason != "tool_calls":
        s.verdict.add_at(
            event,
            "CHAT-TOOL-FINISH",
            "tool-calls-finish",
            f"choice {state.index} streamed tool calls but finished with {reason!r}",
            "tool_calls",
            repr(reason),
        )


#: The per-choice rules, in the order they are applied to each choice object.
CHOICE_RULES: Final[tuple[ChoiceRule, ...]] = (
    choice_index_in_range,
    role_on_first_delta_only,
    nothing_after_finish,
    content_is_not_an_error,
    tool_call_deltas,
    finish_reason_value,
    tool_calls_finish_as_tool_calls,
)


def rules_for(request: ChatRequest) -> tuple[ChoiceRule, ...]:
    """The per-choice rules that can fire for this request: the index range only matters with n > 1
    (skipping it saves a call per choice on the usual stream)."""
    return CHOICE_RULES if request.n > 1 else _ONE_CHOICE_RULES


_ONE_CHOICE_RULES: Final = tuple(rule for rule in CHOICE_RULES if rule is not choice_index_in_range)


# -- rules at the end of the stream (judged only once the sentinel came) -----------------------------------


def every_choice_finished(s: ChatState) -> None:
    """CHAT-FINISH-ONCE: every choice got a finish reason (a stream cut by an error event ends without
    them: that is the error rule's business)."""
    if s.end_at is None or s.error_at is not None:
        return
    for index, state in sorted(s.choices.items()):
        if state.finish_at is None:
            s.verdict.add(
                "CHAT-FINISH-ONCE",
                "finish_reason_once_per_choice",
                s.end_at,
                f"choice {index} never got a finish reason",
                expected="one non-null finish_reason",
                received="none",
            )


def tool_arguments_are_json(s: ChatState) -> None:
    """CHAT-TOOL-DELTA-INDEX: each tool call's argument fragments join into valid JSON."""
    if s.end_at is None:
        return
    for index, state in sorted(s.choices.items()):
        for call_index, parts in state.calls.items():
            text = "".join(parts)
            try:
                json.loads(text or "{}")
            except (ValueError, RecursionError):
                s.verdict.add(
                    "CHAT-TOOL-DELTA-INDEX",
                    "tool-arguments-json",
                    s.end_at,
                    f"the arguments of tool call {call_index} (choice {index}) do not form valid JSON",
                    expected="valid JSON arguments",
                    received=text[:160],
                )


def every_choice_streamed(s: ChatState) -> None:
    """OAI-N-STREAM: with ``n`` above 1, every index 0..n-1 was streamed."""
    n = s.request.n
    if s.end_at is None or n <= 1:
        return
    missing = sorted(set(range(n)) - set(s.choices))
    if missing:
        s.verdict.add(
            "OAI-N-STREAM",
            "every-choice-streamed",
            s.end_at,
            f"choices {missing} were never streamed with n={n}",
            expected=f"choices 0..{n - 1}",
            received=f"choices {sorted(s.choices)}",
        )
