"""Comparing the two answers to one request: which aspects differ, and the first differing token.

Why aspects and not one equal/unequal bit: the exit rule a user picks (``--compare-fail-on``) decides
on them. ``any`` fails on every difference; ``shape-usage`` fails only when the stream's shape or the
usage differs (what breaks clients and billing), and reports text differences without failing, for a
release candidate whose model output is allowed to move. A request that only one side answered
differs in ``answer`` and fails under both rules: nothing else about it can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from llmgw_conformance.differential.answers import Answer, compact_shape
from llmgw_conformance.differential.request_set import DiffRequest

#: Every aspect compared, in report order.
ASPECTS = ("answer", "text", "token_count", "finish_reason", "usage", "stream_shape")
#: The exit rules: which aspects make a differential run fail.
FAIL_RULES: dict[str, frozenset[str]] = {
    "any": frozenset(ASPECTS),
    "shape-usage": frozenset({"answer", "usage", "stream_shape"}),
}


@dataclass(frozen=True)
class FirstDifference:
    """Where the two texts part: the index of the first differing token (or word) and both sides'."""

    unit: str  # token (streams: pieces as they arrived) | word (JSON answers)
    index: int
    target: str | None  # None: this side's text ended before
    other: str | None

    def doc(self) -> dict[str, Any]:
        return {"unit": self.unit, "index": self.index, "target": self.target, "other": self.other}


@dataclass
class RequestComparison:
    """The verdict on one request of the set."""

    request: DiffRequest
    target: Answer
    other: Answer
    #: aspect -> identical (an aspect that does not apply, e.g. stream shape of a JSON answer, is absent).
    identical: dict[str, bool] = field(default_factory=dict)
    first_difference: FirstDifference | None = None

    @property
    def differing(self) -> list[str]:
        return [a for a in ASPECTS if self.identical.get(a) is False]

    def fails(self, rule: str) -> bool:
        return any(a in FAIL_RULES[rule] for a in self.differing)


def first_difference(a: Answer, b: Answer) -> FirstDifference | None:
    """The first position where the two answers' pieces differ; None when they are equal."""
    unit_a, pieces_a = a.units()
    unit_b, pieces_b = b.units()
    unit = unit_a if unit_a == unit_b else "word"
    if unit_a != unit_b:  # one streamed, one not: compare both as words
        pieces_a, pieces_b = Answer(0, text=a.text).units()[1], Answer(0, text=b.text).units()[1]
    for index in range(max(len(pieces_a), len(pieces_b))):
        left = pieces_a[index] if index < len(pieces_a) else None
        right = pieces_b[index] if index < len(pieces_b) else None
        if left != right:
            return FirstDifference(unit, index, left, right)
    return None


def compare_answers(request: DiffRequest, target: Answer, other: Answer) -> RequestComparison:
    """Judge each aspect; text-level aspects only when both sides gave a comparable answer."""
    result = RequestComparison(request, target, other)
    if target.problem or other.problem:
        same_problem = (target.problem is None) == (other.problem is None) and target.status == other.status
        result.identical["answer"] = same_problem
        return result
    result.identical["answer"] = target.status == other.status
    result.identical["text"] = target.text == other.text and target.tokens == other.tokens
    result.identical["token_count"] = target.token_count == other.token_count
    result.identical["finish_reason"] = target.finish_reason == other.finish_reason
    result.identical["usage"] = target.usage == other.usage
    if request.stream:
        result.identical["stream_shape"] = target.shape == other.shape
    if not result.identical["text"]:
        result.first_difference = first_difference(target, other)
    return result


def side_doc(answer: Answer) -> dict[str, Any]:
    """One side of a comparison as the report shows it."""
    return {
        "status": answer.status,
        "problem": answer.problem,
        "text": (answer.text or "")[:2000] if answer.text is not None else None,
        "token_count": answer.token_count,
        "finish_reason": answer.finish_reason,
        "usage": answer.usage,
        "stream_shape": compact_shape(answer.shape) if answer.shape is not None else None,
        "chunks": len(answer.shape) - 1 if answer.shape else None,
        "termination": answer.termination,
        "curl": answer.evidence.get("curl"),
        "transcript": answer.evidence.get("transcript"),
    }


def comparison_doc(comparison: RequestComparison, rule: str) -> dict[str, Any]:
    first = comparison.first_difference
    return {
        "name": comparison.request.name,
        "kind": comparison.request.kind,
        "method": comparison.request.method,
        "path": comparison.request.path,
        "identical": dict(comparison.identical),
        "differing": comparison.differing,
        "fails": comparison.fails(rule),
        "first_difference": first.doc() if first is not None else None,
        "target": side_doc(comparison.target),
        "other": side_doc(comparison.other),
    }
