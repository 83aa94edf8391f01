"""The chat stream's usage rules, judged once the stream is over (``usage_chunk`` of the chat grammar).

With ``stream_options.include_usage`` the last chunk that carries usage is *the* usage chunk: it must
exist, have empty ``choices`` and come right before the sentinel; every other chunk carries no usage
(CHAT-USAGE-ABSENT). The numbers of every usage object add up (CHAT-USAGE-TOTAL) and stay within the
request's limit (CHAT-MAX-TOKENS). The chat grammar collects the chunks with usage while walking.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from llmgw_conformance.sse import Event

if TYPE_CHECKING:
    from .chat import ChatState


def _designated(s: ChatState) -> tuple[Event, Any] | None:
    """The usage chunk: the last chunk with usage, when the request asked for usage."""
    return s.usage_chunks[-1] if (s.request.include_usage and s.usage_chunks) else None


def usage_only_on_usage_chunk(s: ChatState) -> None:
    """CHAT-USAGE-ABSENT: no chunk but the usage chunk carries usage."""
    designated = _designated(s)
    wanted = s.request.include_usage
    for event, _payload in s.usage_chunks:
        if designated is None or event is not designated[0]:
            s.verdict.add_at(
                event,
                "CHAT-USAGE-ABSENT",
                "usage-only-on-usage-chunk",
                "a chunk carries `usage`" + ("" if wanted else " without include_usage"),
                "usage null or absent",
                "usage object",
            )


def usage_chunk_present(s: ChatState) -> None:
    """CHAT-USAGE-CHUNK: with include_usage, a complete stream has its usage chunk."""
    if s.request.include_usage and s.end_at is not None and _designated(s) is None:
        s.report_missing(s.end_at, "CHAT-USAGE-CHUNK", "usage_chunk.exactly_once", "chunk with usage")


def usage_chunk_has_no_choices(s: ChatState) -> None:
    """CHAT-USAGE-CHUNK: the usage chunk's ``choices`` is empty (when the grammar says so)."""
    designated = _designated(s)
    rule = s.g.get("usage_chunk") or {}
    if designated is None or rule.get("choices") != "empty":
        return
    event, payload = designated
    if payload.get("choices") != []:
        s.verdict.add_at(
            event,
            "CHAT-USAGE-CHUNK",
            "usage_chunk.choices",
            "the usage chunk has non-empty `choices`",
            "choices []",
            repr(payload.get("choices"))[:120],
        )


def usage_chunk_last_before_sentinel(s: ChatState) -> None:
    """CHAT-USAGE-CHUNK: the usage chunk is the last event before the sentinel."""
    designated = _designated(s)
    rule = s.g.get("usage_chunk") or {}
    if designated is None or rule.get("position") != "last-before-sentinel" or s.end_at is None:
        return
    event = designated[0]
    if event.index != s.end_at - 1:
        s.verdict.add_at(
            event,
            "CHAT-USAGE-CHUNK",
            "usage_chunk.position",
            "the usage chunk is not the last event before the sentinel",
            f"event #{s.end_at - 1}",
            f"event #{event.index}",
        )


def _usage_numbers(s: ChatState) -> Iterator[tuple[Event, int, int, int]]:
    """(event, prompt, completion, total) of every usage object whose three counts are integers."""
    for event, payload in s.usage_chunks:
        usage = payload.get("usage")
        if not isinstance(usage, dict):
            continue
        prompt, completion, total = (
            usage.get(k) for k in ("prompt_tokens", "completion_tokens", "total_tokens")
        )
        if isinstance(prompt, int) and isinstance(completion, int) and isinstance(total, int):
            yield event, prompt, completion, total


def usage_total_is_sum(s: ChatState) -> None:
    """CHAT-USAGE-TOTAL: ``total_tokens`` is prompt plus completion."""
    for event, prompt, completion, total in _usage_numbers(s):
        if total != prompt + completion:
            s.verdict.add_at(
                event,
                "CHAT-USAGE-TOTAL",
                "total-is-sum",
                f"total_tokens {total} is not prompt_tokens {prompt} + completion_tokens {completion}",
                str(prompt + completion),
                str(total),
            )


def completion_within_max_tokens(s: ChatState) -> None:
    """CHAT-MAX-TOKENS: ``completion_tokens`` stays within the request's limit (times ``n``).

    One defect, one requirement: the limit is this rule's, not the arithmetic's."""
    limit = s.request.max_tokens
    if limit is None:
        return
    for event, _prompt, completion, _total in _usage_numbers(s):
        if completion > limit * s.request.n:
            s.verdict.add_at(
                event,
                "CHAT-MAX-TOKENS",
                "completion-within-limit",
                f"completion_tokens {completion} above the request's limit {limit}",
                f"at most {limit * s.request.n}",
                str(completion),
            )
