"""The pytest nodes of a conformance run: one item per requirement of the selected profiles.

Why per requirement and not per check: a requirement is what a release gate decides on and its id is
stable across suite versions, so ``-k CHAT-DONE-SENTINEL``, ``--lf``, JUnit history and the suite's
own reports all name the same thing. A check covering several requirements is still run once: the
first item that needs it runs it (its time is that item's time), the others read its findings.

Outcomes map onto pytest's as a gate expects (see :func:`RequirementItem.runtest`): a failed MUST
fails the item; a failed SHOULD passes it (a SHOULD never fails a run) but is reported as
``should-failed`` in the status line and listed once at the end; skipped and not supported skip it
with the reason; an error (the suite's own fault) fails it with a message that says so.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from llmgw_conformance.contract import Requirement
from llmgw_conformance.outcomes import Level, Outcome
from llmgw_conformance.results import EXIT_TARGET_UNUSABLE, RequirementResult
from llmgw_conformance.run_control import TargetUnusable
from llmgw_conformance.stepped_run import SteppedRun, roots_first

#: pytest status category of a passed item whose SHOULD requirement failed.
SHOULD_FAILED = "should-failed"
#: The report section holding the failure text of a failed SHOULD.
SECTION = "conformance"


class ConformanceCollector(pytest.Collector):
    """The node ``conformance``, holding one item per requirement; needs no file on disk."""

    def __init__(self, *, run: SteppedRun, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.run = run

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        return [
            RequirementItem.from_parent(self, name=requirement.id, requirement=requirement, run=self.run)
            for requirement in roots_first(self.run.requirements)
        ]


class RequirementItem(pytest.Item):
    """One requirement: setup discovers the target (once), the call runs the checks it needs."""

    def __init__(self, *, requirement: Requirement, run: SteppedRun, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.requirement = requirement
        self.run = run
        # ``-k MUST``, ``-k openai-chat`` and ``-k "streams and not SHOULD"`` select as a reader expects.
        self.extra_keyword_matches.update({requirement.level, *requirement.profiles})
        self.user_properties.append(("requirement", requirement.id))
        self.user_properties.append(("level", requirement.level))

    def setup(self) -> None:
        try:
            self.run.start()
        except TargetUnusable as exc:
            # As the CLI: one line, exit 3, no check run against a target that cannot be used.
            pytest.exit(f"conformance: {exc}", returncode=EXIT_TARGET_UNUSABLE)

    def runtest(self) -> None:
        result = self.run.judge(self.requirement.id)
        self.user_properties.append(("outcome", result.outcome.value))
        self.user_properties.append(("checks", ",".join(result.checks)))
        outcome = result.outcome
        causes = self.run.causes_of(self.requirement.id) if outcome == Outcome.FAILED else []
        if causes:
            # One defect, one failure: its root already failed in this session.
            self.user_properties.append(("caused_by", ",".join(c.requirement_id for c in causes)))
            pytest.xfail(
                "caused by " + "; ".join(f"{c.requirement_id} [{c.check}] {c.message}" for c in causes)
            )
        if outcome == Outcome.FAILED and result.level != Level.MUST:
            self.add_report_section("call", SECTION, result.failure_text())
        elif outcome in (Outcome.FAILED, Outcome.ERROR):
            raise RequirementFailure(result)
        elif outcome in (Outcome.SKIPPED, Outcome.NOT_SUPPORTED):
            pytest.skip(f"{outcome.value}: {result.summary()}")

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:  # pytest types it as str | TerminalRepr
        if isinstance(excinfo.value, RequirementFailure):
            return excinfo.value.render()
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.requirement.id} ({self.requirement.level})"


class RequirementFailure(Exception):
    """Carries the requirement's verdict to :meth:`RequirementItem.repr_failure`."""

    def __init__(self, result: RequirementResult) -> None:
        super().__init__(result.id)
        self.result = result

    def render(self) -> str:
        text = self.result.failure_text()
        if self.result.outcome == Outcome.ERROR:
            return "SUITE ERROR (the suite's own fault, not the target's)\n" + text
        return text


def should_failed_text(report: pytest.TestReport) -> str | None:
    """The failure text of a passed item whose SHOULD failed, None for any other report."""
    if report.when != "call" or not report.passed:
        return None
    if ("outcome", Outcome.FAILED.value) not in report.user_properties:
        return None
    for title, content in report.sections:
        if title.endswith(f" {SECTION} call") or title == SECTION:
            return content
    return ""


#: The signal that ended the session, when the plugin's SIGTERM handler saw one.
_SIGNAL_KEY = pytest.StashKey[int]()


def forward_sigterm(config: pytest.Config) -> None:
    """Make SIGTERM (a CI cancel) end the session as Ctrl-C does, so the partial report is written.

    pytest turns SIGINT into KeyboardInterrupt and still finishes the session; SIGTERM would kill the
    process with no report. Only in the main thread, and only while a target is being judged.
    """
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        config.stash[_SIGNAL_KEY] = signum
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    config.add_cleanup(restore)


def session_stop(session: pytest.Session, exitstatus: int | pytest.ExitCode) -> tuple[str, str, int] | None:
    """Why pytest ended before every selected item ran, as the run's stop (reason, message, signal)."""
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        signum = session.config.stash.get(_SIGNAL_KEY, signal.SIGINT)
        return "interrupted", f"interrupted by {signal.Signals(signum).name}", int(signum)
    why = session.shouldfail or session.shouldstop  # -x / --maxfail set shouldfail
    if why:
        return "max_failures", f"pytest stopped the session: {why}", 0
    return None
