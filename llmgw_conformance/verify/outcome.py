"""What verification says: the discrepancies found, and how each requirement's verdict was checked.

Why per requirement: a receiver must know which verdicts were re-judged from recorded bytes (and so
could not have been edited without the edit showing) and which could only be checked for
consistency (timing rules, verdicts from exchanges no judge can re-run), so a "verified" never
claims more than was proven.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

#: How a requirement's verdict was checked.
REJUDGED: Final = "re-judged"
CONSISTENCY: Final = "consistency only"
NOT_REJUDGEABLE: Final = "not re-judgeable"
#: What part of the report a discrepancy is in (typed, so a misspelt kind is a type error, not a new kind).
DiscrepancyKind = Literal["digest", "contract", "schema", "verdict", "evidence", "profile", "counts"]


@dataclass(frozen=True)
class Discrepancy:
    """One thing in the report that does not add up: where it is and what is wrong."""

    kind: DiscrepancyKind
    #: The place in the report, e.g. ``requirements[NAT-TERMINAL-ONCE].findings[0]``.
    where: str
    message: str

    def line(self) -> str:
        return f"[{self.kind}] {self.where}: {self.message}"


@dataclass
class Verification:
    """The result of verifying one report."""

    discrepancies: list[Discrepancy] = field(default_factory=list)
    #: Requirement id -> (how it was checked, why / what was re-judged).
    checked: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Facts about the report worth saying, not failures (e.g. made by another suite version).
    notes: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.discrepancies

    def add(self, kind: DiscrepancyKind, where: str, message: str) -> None:
        self.discrepancies.append(Discrepancy(kind, where, message))

    def how(self, requirement_id: str, how: str, why: str) -> None:
        """Record how a requirement was checked; a re-judge outranks a note of consistency only."""
        known = self.checked.get(requirement_id)
        if known is None or (known[0] != REJUDGED and how == REJUDGED):
            self.checked[requirement_id] = (how, why)
