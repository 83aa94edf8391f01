"""What a run produces: a verdict per requirement, a result per profile, and the suite's own errors.

Why these are separate from the runner: the report writers, the CLI summary and the pytest plugin all
read the same records, and none of them should need to know how checks were scheduled. The rules
that turn findings into verdicts live here, next to the records they fill:

* per requirement, the most severe outcome of its findings wins (:data:`llmgw_conformance.outcomes.SEVERITY`);
* one requirement, one profile: a requirement listed in several profiles is judged and counted in
  its *owning* profile only (:mod:`llmgw_conformance.counting`), so a shared requirement never fails
  two profiles and a not-supported profile never shows a failure;
* per profile, over the requirements it owns: ``failure`` when a MUST failed; ``partial`` when no
  MUST failed but a MUST was skipped or any requirement errored (a report never claims a profile
  whose MUST checks did not run); ``success`` otherwise (MUSTs passed, or not supported because the
  target claims no such feature); ``not_supported`` when the target does not claim the profile at
  all, or claims none of the features any of its requirements needs (nothing was judged);
* a *not run* requirement (a skip marked :data:`~llmgw_conformance.outcomes.NOT_RUN`: left out of
  this run by ``--check``, or its only checks belong to a profile not selected, which then owns it)
  is counted apart (``not_run``, not ``skipped``); a ``--check`` rerun still leaves its profile
  ``partial`` (the reason says so), since a rerun of one check proves nothing about the others;
* counts are distinct defects: a failed requirement whose every failure is *caused by* another
  requirement's failure (:mod:`llmgw_conformance.causes`) is counted as ``caused``, not ``failed``;
* exit code: 128 + the signal when the run was interrupted (130 SIGINT, 143 SIGTERM); else 1 when a
  MUST failed; else 3 when the target was unusable (preflight, or it stopped answering mid-run); else
  4 when the suite itself erred; else 0 (2, usage errors, is the CLI's);
* verdict: ``interrupted`` / ``fail`` / ``unusable`` / ``error`` as the exit code says; with exit 0,
  ``partial`` when a claimed profile is partial (so a silent, skipped-everything run never reads
  "pass"), else ``pass``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from llmgw_conformance.outcomes import SEVERITY, Finding, Level, Outcome
from llmgw_conformance.target import DiscoveredTarget

EXIT_OK = 0
EXIT_MUST_FAILED = 1
EXIT_USAGE = 2
EXIT_TARGET_UNUSABLE = 3
EXIT_SUITE_ERROR = 4
#: A run stopped by a signal exits 128 + its number (130 for SIGINT, 143 for SIGTERM), as shells do.
EXIT_SIGNAL_BASE = 128


@dataclass
class RequirementResult:
    """The verdict on one requirement of the selected profiles, with the findings behind it."""

    id: str
    level: str
    text: str
    profiles: tuple[str, ...]
    outcome: Outcome = Outcome.SKIPPED
    #: Checks that were run for it (names), in run order.
    checks: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: A command that replays the checks behind this verdict.
    reproduction: str = ""
    #: The one profile this requirement is counted in (see conformance.counting).
    owner: str = ""

    @property
    def not_run(self) -> bool:
        """Skipped only because this run left it out (not a gap in what the run proved)."""
        return self.outcome == Outcome.SKIPPED and all(
            f.not_run for f in self.findings if f.outcome == self.outcome
        )

    @property
    def caused(self) -> bool:
        """Failed, but every failure follows from another requirement's failure (not a new defect)."""
        failures = [f for f in self.findings if f.outcome == Outcome.FAILED]
        return self.outcome == Outcome.FAILED and all(
            f.caused_by is not None and f.caused_by.requirement_id != self.id for f in failures
        )

    def add(self, finding: Finding) -> None:
        if not self.findings or SEVERITY[finding.outcome] > SEVERITY[self.outcome]:
            self.outcome = finding.outcome
        self.findings.append(finding)

    def decisive(self) -> list[Finding]:
        """The findings whose outcome is the verdict (the ones a reader needs first)."""
        return [f for f in self.findings if f.outcome == self.outcome]

    def summary(self) -> str:
        """One line: the first decisive finding's message, or the outcome."""
        for finding in self.decisive():
            if finding.message:
                cause = f" (caused by {finding.caused_by.requirement_id})" if finding.caused_by else ""
                return f"[{finding.check}] {finding.message}{cause}"
        return self.outcome.value

    def failure_text(self) -> str:
        """Several lines for a person: the rule, each failing finding with expected/received, and replay."""
        lines = [f"{self.id} ({self.level}) {self.outcome.value}: {self.text}"]
        for finding in self.decisive():
            lines.append(f"  [{finding.check}] {finding.message}")
            if finding.caused_by is not None:
                lines.append(
                    f"    caused by: {finding.caused_by.requirement_id} ({finding.caused_by.message})"
                )
            if finding.expected is not None:
                lines.append(f"    expected: {finding.expected}")
            if finding.received is not None:
                lines.append(f"    received: {finding.received}")
            for exchange in finding.exchanges[:3]:
                if exchange.curl:
                    lines.append(f"    curl: {exchange.curl}")
        if self.reproduction:
            lines.append(f"  reproduce: {self.reproduction}")
        return "\n".join(lines)


@dataclass
class ProfileResult:
    name: str
    description: str
    #: success | partial | failure | not_supported
    result: str
    supported: bool
    #: level -> outcome -> count, over the profile's requirements.
    counts: dict[str, dict[str, int]]
    reason: str = ""
    #: How the profile was decided: claimed (capabilities), declared, probed (with evidence), or not.
    decided: dict[str, Any] = field(default_factory=dict)
    #: Requirements of this profile counted in another profile (id -> owning profile).
    counted_elsewhere: dict[str, str] = field(default_factory=dict)


@dataclass
class SuiteError:
    """The suite's own failure (a check crashed or overran its budget), never the target's fault."""

    check: str
    message: str
    traceback: str = ""
    requirements: tuple[str, ...] = ()


@dataclass
class CheckRun:
    name: str
    duration_s: float
    outcome: str  # completed | error | budget_exceeded | no_model | not_run
    requirements: tuple[str, ...]


@dataclass
class RunResult:
    suite_version: str
    contract_hash: str
    contract_version: str
    options: dict[str, Any]
    target_url: str
    target: DiscoveredTarget | None
    started_at: str
    duration_s: float
    selected_profiles: tuple[str, ...]
    profiles: dict[str, ProfileResult]
    requirements: dict[str, RequirementResult]
    suite_errors: list[SuiteError]
    #: Catalogue requirements no registered check covers at all.
    uncovered: list[str]
    checks: list[CheckRun]
    embedded: bool = False
    #: Why the run stopped before running every planned check: "" (it did not), "target_unusable",
    #: "interrupted", "run_budget" or "max_failures"; ``stop_message`` is the one line a person reads.
    stopped: str = ""
    stop_message: str = ""
    #: The signal that interrupted the run (2 SIGINT, 15 SIGTERM); 0 when none did.
    signal: int = 0

    @property
    def must_failed(self) -> list[RequirementResult]:
        return [
            r for r in self.requirements.values() if r.level == Level.MUST and r.outcome == Outcome.FAILED
        ]

    @property
    def must_defects(self) -> list[RequirementResult]:
        """Failed MUSTs that are distinct defects (not caused by another failure)."""
        return [r for r in self.must_failed if not r.caused]

    @property
    def has_errors(self) -> bool:
        return bool(self.suite_errors) or any(r.outcome == Outcome.ERROR for r in self.requirements.values())

    @property
    def exit_code(self) -> int:
        if self.signal:
            return EXIT_SIGNAL_BASE + self.signal
        if self.must_failed:
            return EXIT_MUST_FAILED
        if self.stopped == "target_unusable":
            return EXIT_TARGET_UNUSABLE
        if self.has_errors:
            return EXIT_SUITE_ERROR
        return EXIT_OK

    @property
    def verdict(self) -> str:
        """pass | partial | fail | error. ``partial``: exit 0, but a claimed profile is only partly
        proven (a MUST was skipped), so the report must not read as a pass of that profile."""
        if self.exit_code == EXIT_OK and any(p.result == "partial" for p in self.profiles.values()):
            return "partial"
        if self.signal:
            return "interrupted"
        names = {EXIT_OK: "pass", EXIT_MUST_FAILED: "fail", EXIT_TARGET_UNUSABLE: "unusable"}
        return names.get(self.exit_code, "error")

    def counts(self) -> dict[str, dict[str, int]]:
        return count_outcomes(self.requirements.values())


#: Count keys besides the outcomes: failures caused by another one, and requirements not run.
EXTRA_COUNTS = ("caused", "not_run")


def count_outcomes(results: Any) -> dict[str, dict[str, int]]:
    """level -> outcome -> number of requirements, every level and outcome present (zeros included).

    ``failed`` counts distinct defects only (a caused failure is under ``caused``) and ``skipped``
    leaves out the requirements this run did not select (under ``not_run``).
    """
    keys = [o.value for o in Outcome] + list(EXTRA_COUNTS)
    counts = {level.value: dict.fromkeys(keys, 0) for level in Level}
    for r in results:
        key = "caused" if r.caused else "not_run" if r.not_run else r.outcome.value
        counts.setdefault(r.level, dict.fromkeys(keys, 0))[key] += 1
    return counts


def profile_result(
    name: str, description: str, supported: bool, results: list[RequirementResult], reason: str = ""
) -> ProfileResult:
    """Apply the profile rule of the module docstring to the profile's requirement results."""
    counts = count_outcomes(results)
    must = [r for r in results if r.level == Level.MUST]
    if not supported:
        verdict = "not_supported"
    elif (
        results
        and all(r.outcome == Outcome.NOT_SUPPORTED or r.not_run for r in results)
        and not all(r.not_run for r in results)
    ):
        verdict = "not_supported"
        reason = reason or "the target claims nothing any of its requirements needs"
    elif any(r.outcome == Outcome.FAILED for r in must):
        verdict = "failure"
    elif any(r.outcome == Outcome.SKIPPED for r in must) or any(r.outcome == Outcome.ERROR for r in results):
        verdict = "partial"
        left_out = [r for r in must if r.not_run]
        if left_out and not any(r.outcome == Outcome.SKIPPED and not r.not_run for r in must):
            reason = (
                reason
                or f"{len(left_out)} MUST requirement(s) not run (left out by --check or --exclude-check)"
            )
    else:
        verdict = "success"
    return ProfileResult(name, description, verdict, supported, counts, reason)
