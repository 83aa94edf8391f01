"""What a stream judge returns: one record per broken rule, naming the requirement, the event and the bytes.

A judge never says "the stream is bad"; it says which requirement of the catalogue broke, under which
rule of the grammar (``x-stream-grammars`` key or the requirement sentence it comes from), at which event,
what was expected, what was received, and the exact bytes of the offending block. That is what a vendor
needs to reproduce and fix the deviation, and what the report renders next to the curl command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from llmgw_conformance.sse import Event, escape_bytes

#: Bytes shown per violation: enough for a chunk, small enough for a report with many findings.
EXCERPT_BYTES = 300
#: Violations kept per (requirement, rule): a stream that breaks a rule on every one of 10,000 events
#: must not produce 10,000 findings; the first few show the pattern.
MAX_PER_RULE = 3


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule in one stream.

    ``event_index`` is the index of the dispatched event (``Event.index``) the rule broke at, or None when
    the rule is about the stream as a whole (content type, a missing sentinel, termination). ``raw`` holds
    the offending bytes escaped for reading (``\\n`` and bad bytes visible), truncated to
    :data:`EXCERPT_BYTES`.
    """

    requirement_id: str
    rule: str
    event_index: int | None
    message: str
    expected: str | None = None
    received: str | None = None
    raw: str = ""

    def headline(self) -> str:
        """One line for a report: where, which rule, what happened."""
        where = f"event #{self.event_index}" if self.event_index is not None else "stream"
        return f"{where}: [{self.rule}] {self.message}"


def excerpt(raw: bytes) -> str:
    """The bytes of an offending block as a report shows them."""
    return escape_bytes(raw, EXCERPT_BYTES)


@dataclass(slots=True)
class Judgement:
    """The violations of one stream plus what the stream said, for checks that compare it with more.

    ``summary`` carries the facts a check needs beyond the grammar (the tokens' text, the end payload,
    usage, finish reasons), so a check never re-parses events the judge already parsed.
    """

    violations: list[Violation] = field(default_factory=list)
    summary: dict[str, object] = field(default_factory=dict)
    #: Index of the terminal event (native ``end``/``error``, or the ``[DONE]`` sentinel), if any.
    terminal_index: int | None = None
    #: Violations seen per (requirement, rule), kept or not (see MAX_PER_RULE).
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    #: contracts/openapi whose schemas the payloads are validated against (None: this checkout's).
    contract_dir: Path | None = None

    def add(
        self,
        requirement_id: str,
        rule: str,
        event_index: int | None,
        message: str,
        *,
        expected: str | None = None,
        received: str | None = None,
        raw: bytes = b"",
    ) -> None:
        """Record one violation (bytes are escaped and truncated here, once; at most MAX_PER_RULE kept)."""
        key = (requirement_id, rule)
        seen = self.counts.get(key, 0)
        self.counts[key] = seen + 1
        if seen >= MAX_PER_RULE:
            return
        self.violations.append(
            Violation(requirement_id, rule, event_index, message, expected, received, excerpt(raw))
        )

    def add_at(
        self,
        event: Event,
        requirement_id: str,
        rule: str,
        message: str,
        expected: str | None = None,
        received: str | None = None,
    ) -> None:
        """Record a violation found at one event, which gives its index and bytes (most rules report so)."""
        self.add(
            requirement_id, rule, event.index, message, expected=expected, received=received, raw=event.raw
        )

    def for_requirement(self, requirement_id: str) -> list[Violation]:
        """The violations of one requirement, in stream order."""
        return [v for v in self.violations if v.requirement_id == requirement_id]

    def requirement_ids(self) -> set[str]:
        """Every requirement this stream broke."""
        return {v.requirement_id for v in self.violations}
