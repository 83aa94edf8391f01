"""The outcome of a differential run, its report section and its exit code.

Why its own section with its own verdict: a differential run answers a different question from a
conformance run (do two targets answer alike, not does one follow the contract), so it never turns
into requirement outcomes; ``report.json`` carries it under ``differential`` (schema:
``contracts/report.schema.yaml`` ``$defs/differential``), and junit and HTML show it apart.

Verdicts: ``identical`` (no difference at all), ``different`` (differences, none the rule fails on),
``failed`` (a difference the rule fails on: exit 1), ``unusable`` (a side could not be judged at all,
nothing was compared: exit 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from llmgw_conformance.differential.comparison import ASPECTS, FAIL_RULES, RequestComparison, comparison_doc
from llmgw_conformance.options import public_url

EXIT_PASSED, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 3


@dataclass
class DifferentialResult:
    """Both targets, the rule, each request's comparison, and what was not compared and why."""

    target_url: str
    other_url: str
    rule: str
    seed: int
    comparisons: list[RequestComparison] = field(default_factory=list)
    #: surface -> why it was not compared (served by one side only, no common model).
    skipped: dict[str, str] = field(default_factory=dict)
    #: Requests of the set not sent (the run budget was spent), by name.
    not_run: list[str] = field(default_factory=list)
    #: Why nothing could be compared (a side down, not HTTP, key refused); empty when usable.
    unusable: str = ""
    sides: dict[str, dict[str, Any]] = field(default_factory=dict)
    duration_s: float = 0.0

    @property
    def failing(self) -> list[RequestComparison]:
        return [c for c in self.comparisons if c.fails(self.rule)]

    @property
    def differing(self) -> list[RequestComparison]:
        return [c for c in self.comparisons if c.differing]

    @property
    def verdict(self) -> str:
        if self.unusable or not self.comparisons:
            return "unusable"
        if self.failing:
            return "failed"
        return "different" if self.differing else "identical"

    @property
    def exit_code(self) -> int:
        return {"unusable": EXIT_UNUSABLE, "failed": EXIT_FAILED}.get(self.verdict, EXIT_PASSED)

    def counts(self) -> dict[str, int]:
        """Per aspect, how many requests differ in it (aspects that did not apply are not counted)."""
        return {a: sum(1 for c in self.comparisons if c.identical.get(a) is False) for a in ASPECTS}

    def doc(self) -> dict[str, Any]:
        """The report section (plain JSON values; the writer redacts)."""
        unusable = self.unusable or ("" if self.comparisons else "no request of the set could be sent")
        return {
            "target": public_url(self.target_url),
            "other": public_url(self.other_url),
            "fail_on": self.rule,
            "fail_aspects": sorted(FAIL_RULES[self.rule]),
            "seed": self.seed,
            "verdict": self.verdict,
            "exit_code": self.exit_code,
            "unusable": unusable,
            "duration_s": round(self.duration_s, 3),
            "summary": {
                "requests": len(self.comparisons),
                "identical": len(self.comparisons) - len(self.differing),
                "different": len(self.differing),
                "failing": len(self.failing),
                "differing_by_aspect": self.counts(),
            },
            "skipped": [{"surface": s, "reason": r} for s, r in self.skipped.items()],
            "not_run": list(self.not_run),
            "sides": self.sides,
            "requests": [comparison_doc(c, self.rule) for c in self.comparisons],
        }


def combined_exit_code(run_exit: int, differential: DifferentialResult) -> int:
    """A normal run beside a differential one: the run's own failure wins, else the differential's."""
    return run_exit if run_exit != EXIT_PASSED else differential.exit_code
