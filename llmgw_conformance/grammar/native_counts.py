"""The native task stream's count rules, judged once the stream is over (``counts`` of the grammar).

``end.tokens_out`` equals the token events sent (NAT-END-TOKENS-OUT), and neither exceeds the task's
``max_tokens`` (NAT-MAX-TOKENS). The native grammar counts the tokens while walking the events.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .native import NativeState


def _count_specs(s: NativeState) -> list[tuple[Mapping[str, Any], Any, bytes]]:
    """The grammar's ``counts`` on the ``end`` event, with the reported value and the end's bytes."""
    end = s.payloads.get("end")
    if not isinstance(end, dict):
        return []
    raw = s.tr.events[s.end_at].raw if s.end_at is not None else b""
    return [
        (spec, end.get(spec["field"]), raw) for spec in s.g.get("counts") or [] if spec.get("event") == "end"
    ]


def end_tokens_out_counts_tokens(s: NativeState) -> None:
    """NAT-END-TOKENS-OUT: ``end.tokens_out`` equals the token events sent."""
    for spec, reported, raw in _count_specs(s):
        if spec.get("equals_count_of") == "token" and reported != s.tokens:
            s.verdict.add(
                "NAT-END-TOKENS-OUT",
                f"counts:end.{spec['field']}",
                s.end_at,
                f"`end.{spec['field']}` is {reported!r} but {s.tokens} token events were sent",
                expected=str(s.tokens),
                received=repr(reported),
                raw=raw,
            )


def tokens_within_max_tokens(s: NativeState) -> None:
    """NAT-MAX-TOKENS: neither the token events nor ``end.tokens_out`` exceed the request's limit."""
    for spec, reported, raw in _count_specs(s):
        limit = s.request.max_tokens if spec.get("at_most_request_field") == "max_tokens" else None
        if limit is None:
            continue
        produced = max(s.tokens, reported if isinstance(reported, int) else 0)
        if produced > limit:
            s.verdict.add(
                "NAT-MAX-TOKENS",
                "counts:at_most_request_field",
                s.end_at,
                f"{produced} tokens produced with max_tokens {limit}",
                expected=f"at most {limit}",
                received=str(produced),
                raw=raw,
            )
