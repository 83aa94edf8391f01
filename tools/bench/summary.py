"""The summary every benchmark run ends with: one row per figure, its goal and how it stands.

Why one table for all: the figures come from different benchmarks with different units; a reader
wants to see at a glance which goals are met. Each row keeps the absolute value next to the goal
(the machine is shared and noisy, so a ratio alone hides what was measured), and the same rows go to
reports/bench.json with every benchmark's detailed result.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    """One measured figure and, where the team set one, its goal."""

    benchmark: str
    figure: str
    value: float
    unit: str
    goal: float | None = None
    #: True when the goal is a floor (value >= goal), False when it is a ceiling (value < goal).
    higher_is_better: bool = True

    @property
    def met(self) -> bool | None:
        """Whether the goal is met; None when there is no goal."""
        if self.goal is None:
            return None
        return self.value >= self.goal if self.higher_is_better else self.value < self.goal

    @property
    def goal_ratio(self) -> float | None:
        """How far past the goal: above 1 is better than the goal, either direction of goal."""
        if self.goal is None or self.goal == 0 or self.value == 0:
            return None
        return self.value / self.goal if self.higher_is_better else self.goal / self.value

    def row(self) -> dict[str, Any]:
        """The JSON row: the fields plus `met` and `goal_ratio`."""
        return {**asdict(self), "met": self.met, "goal_ratio": self.goal_ratio}


def _fmt(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def render(figures: list[Figure]) -> str:
    """A plain-text table (no colours: it goes to logs and CI output)."""
    head = ("benchmark", "figure", "value", "unit", "goal", "vs goal", "met")
    rows = [head]
    for f in figures:
        goal = "-" if f.goal is None else ((">= " if f.higher_is_better else "< ") + _fmt(f.goal))
        ratio = "-" if f.goal_ratio is None else f"{f.goal_ratio:.2f}x"
        met = {None: "-", True: "yes", False: "NO"}[f.met]
        rows.append((f.benchmark, f.figure, _fmt(f.value), f.unit, goal, ratio, met))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(path: Path, figures: list[Figure], details: dict[str, Any], command: str) -> None:
    """reports/bench.json: the summary rows, every benchmark's details, and where it ran."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "command": command,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "summary": [f.row() for f in figures],
        "details": details,
    }
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
