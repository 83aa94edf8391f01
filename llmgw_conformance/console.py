"""What a person sees while a run goes and when it ends.

Why two modes: on a terminal a single live line (rich) says which check runs now without flooding
the screen; in CI (no TTY, or ``CI=true``) every step is one plain line, because log viewers do not
replay cursor movement. Either way the run ends with a summary table and the paths of the reports.
Everything printed passes through the run's redactor. Colour only on a terminal without NO_COLOR;
lines are never hard-wrapped (a reproduction ``curl`` line must stay one line a reader can paste).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from llmgw_conformance.redaction import Redactor
from llmgw_conformance.results import RunResult
from llmgw_conformance.runner import Progress


class RunConsole:
    def __init__(self, *, plain: bool, stream: TextIO | None = None, colour: bool | None = None) -> None:
        self.plain = plain
        self.stream = stream or sys.stdout
        self.redactor = Redactor()
        colour = (not plain) if colour is None else colour
        self.console = Console(
            file=self.stream,
            force_terminal=not plain,
            color_system="auto" if colour else None,
            no_color=not colour,
            width=120 if plain else None,
            highlight=False,
            soft_wrap=True,
        )
        self._live: Live | None = None

    def line(self, text: str) -> None:
        self.console.print(Text(self.redactor.text(text)), soft_wrap=True)

    def progress(self, event: Progress) -> None:
        if event.kind == "unusable":
            self.line(event.message)
            return
        if event.kind == "discovered":
            for note in event.notes:
                self.line(f"target: {note}")
            self.line(f"profiles: {event.message}; {event.total} checks to run")
            return
        if self.plain:
            if event.kind == "check_finished":
                self.line(
                    f"[{event.index}/{event.total}] {event.check}: {event.status} ({event.elapsed_s:.1f}s)"
                )
            return
        text = Text(f"[{event.index}/{event.total}] {event.check} ...")
        if self._live is None:
            self._live = Live(text, console=self.console, transient=True, refresh_per_second=8)
            self._live.start()
        else:
            self._live.update(text)

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None

    def summary(self, result: RunResult, paths: dict[str, Path]) -> None:
        table = Table(title=f"Conformance of {result.target_url}: {result.verdict.upper()}")
        for column in (
            "profile",
            "result",
            "MUST pass",
            "MUST fail",
            "MUST skip",
            "not supp.",
            "error",
            "SHOULD fail",
        ):
            table.add_column(column)
        for profile in result.profiles.values():
            must = profile.counts["MUST"]
            errors = sum(profile.counts[level]["error"] for level in profile.counts)
            unsupported = sum(profile.counts[level]["not_supported"] for level in profile.counts)
            table.add_row(
                profile.name,
                profile.result,
                str(must["passed"]),
                str(must["failed"]),
                str(must["skipped"]),
                str(unsupported),
                str(errors),
                str(profile.counts["SHOULD"]["failed"]),
            )
        self.console.print(table)
        for req in result.must_failed:
            self.line(f"FAILED {req.id}: {req.summary()}")
            self.line(f"  reproduce: {req.reproduction}")
        for error in result.suite_errors:
            self.line(f"SUITE ERROR {error.check}: {error.message}")
        if result.uncovered:
            self.line(f"requirements without a registered check: {len(result.uncovered)}")
        for kind, path in paths.items():
            self.line(f"{kind} report: {path}")
        if result.stopped:
            self.line(f"run stopped early: {result.stop_message}")
        self.line(f"exit code {result.exit_code} ({result.verdict}, {result.duration_s:.1f}s)")
