"""Running the rows of the kill matrix: one per fault, the clean row and the hostile rows.

Why four rows at once on two cores: a row runs only the checks of its fault's ids, so it spends
most of its time waiting (for a stream's tokens, a fault's stall or late headers, a hostile target's
silence), not computing (a median fault row used 0.17 s of CPU in 1.6 s). Two at a time left the
cores mostly idle. The clock faults' limits keep their margins (ROW_LIMITS: each fault's delay is at
least twice the limit that catches it), and the clean row, judged at the same limits beside three
other rows, is what shows the limits are not so tight that a correct server fails them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from llmgw_reference.faults import registered
from tools.killmatrix.hostile import HOSTILE_MODES, HostileServer
from tools.killmatrix.plan import (
    HOSTILE_LIMITS,
    ROW_LIMITS,
    SUITE_LIMITS,
    all_profiles,
    catalogue,
    checks_for,
    limits_for,
    profile_groups,
    profiles_for,
    reference_args_for,
)
from tools.killmatrix.processes import ReferenceServer, SuiteOutcome, run_suite

#: The profiles a hostile target is judged on (the OpenAI surface is what every gateway serves).
HOSTILE_PROFILES = ("openai-chat",)
DEFAULT_JOBS = 4


@dataclass
class Row:
    """One line of the matrix. `killed` is None for the clean and hostile rows (they use `ok`)."""

    kind: str  # "fault", "clean" or "hostile"
    name: str
    expected: list[str]
    profiles: list[str]
    caught: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    killed: bool | None = None
    ok: bool = False
    note: str = ""
    #: The `llmgw_conformance run` flags of each suite run of the row (its checks and explicit limits).
    suite_runs: list[list[str]] = field(default_factory=list)
    #: CPU seconds the row's processes used (suite runs and servers; hostile servers run in-process).
    cpu_s: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _judge(
    faults: list[str], profiles: tuple[str, ...], limits: dict[str, str], checks: Sequence[str] = ()
) -> SuiteOutcome:
    """The suite's outcome on `profiles` of the reference with `faults` (only the checks covering
    `checks`, requirement ids, when given), one reference per group of profiles that need the same
    reference flags (outcomes merged: failed and error win)."""
    merged: SuiteOutcome | None = None
    for group in profile_groups(profiles):
        with ReferenceServer(faults=faults, extra_args=reference_args_for(group)) as ref:
            outcome = run_suite(
                ref.base_url,
                group,
                api_key=ref.api_key,
                restricted_key=ref.restricted_key,
                checks=checks,
                limits=limits,
            )
        outcome = outcome.with_server_cpu(ref.cpu_s)
        merged = outcome if merged is None else merged.merge(outcome)
    assert merged is not None
    return merged


def fault_row(name: str) -> Row:
    """Starts the reference with fault `name` and runs the suite on the fault's profiles.

    Why only some checks first: the kill is decided by the fault's `breaks` ids alone (every one must
    fail), and an id's verdict comes from the checks that judge it, so the row runs those
    (`checks_for`). Should they miss an id (a check judging it undeclared, not yet in
    REPORTED_ALSO_BY), the row runs every check of the profiles, as the matrix always did, and its
    note says so: a fault is never left unkilled by the narrowing.
    """
    spec = registered()[name]
    profiles = profiles_for(spec.breaks)
    row = Row("fault", name, list(spec.breaks), list(profiles))
    try:
        outcome = _judge([name], profiles, limits_for(name), checks=checks_for(spec.breaks))
        missed = [i for i in spec.breaks if i not in outcome.failed]
        if missed:
            outcome = outcome.merge(_judge([name], profiles, limits_for(name)))
            if all(i in outcome.failed for i in spec.breaks):
                row.note = f"{', '.join(missed)} failed only in the run of every check of its profiles"
    except RuntimeError as exc:
        row.errors = [str(exc)]
        return row
    _fill(row, outcome)
    row.killed = all(i in outcome.failed for i in spec.breaks)
    row.ok = bool(row.killed) and not row.errors
    return row


def clean_row() -> Row:
    """The reference without faults on every profile: no MUST may fail, no suite error."""
    profiles = all_profiles()
    row = Row("clean", "(no fault)", [], list(profiles))
    try:
        outcome = _judge([], profiles, SUITE_LIMITS)
    except RuntimeError as exc:
        row.errors = [str(exc)]
        return row
    _fill(row, outcome)
    must_failed = [i for i in outcome.failed if catalogue()[i].level == "MUST"]
    row.ok = not must_failed and not row.errors
    if must_failed:
        row.note = "MUST failed on the clean reference: " + ", ".join(must_failed)
    return row


def hostile_row(mode: str) -> Row:
    """A hostile server judged by the suite: something must fail, or the target be judged unusable
    (exit 3: preflight or the run's health stopped it), in bounded time, without errors."""
    row = Row("hostile", mode, [], list(HOSTILE_PROFILES))
    with HostileServer(mode) as server:
        outcome = run_suite(server.base_url, HOSTILE_PROFILES, api_key="sk-km-hostile", limits=HOSTILE_LIMITS)
    _fill(row, outcome)
    row.ok = (bool(outcome.failed) or outcome.exit_code == 3) and not row.errors
    return row


def _fill(row: Row, outcome: SuiteOutcome) -> None:
    row.caught = sorted(outcome.failed)
    row.errors = list(outcome.errors)
    row.seconds = round(outcome.seconds, 1)
    row.suite_runs = [list(flags) for flags in outcome.runs]
    row.cpu_s = round(outcome.cpu_s, 2)


def run_matrix(
    faults: Iterable[str] | None = None,
    *,
    clean: bool = True,
    hostile: Iterable[str] | None = None,
    jobs: int = DEFAULT_JOBS,
    progress: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Every row, run `jobs` at a time; returned in a stable order (faults by name, clean, hostile).

    The long rows start first (the clean row, the hostile rows, the clock faults of ROW_LIMITS), so
    that no long row starts last and leaves one core idle at the end.
    """
    names = sorted(registered()) if faults is None else list(faults)
    modes = list(HOSTILE_MODES) if hostile is None else list(hostile)
    work: list[Callable[[], Row]] = [partial(fault_row, n) for n in names]
    if clean:
        work.append(clean_row)
    work += [partial(hostile_row, m) for m in modes]
    long_first = sorted(range(len(work)), key=lambda i: not _long(work[i]))

    def run_one(index: int) -> Row:
        row = work[index]()
        if progress is not None:
            progress(row)
        return row

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        try:
            done = dict(zip(long_first, pool.map(run_one, long_first), strict=True))
        except BaseException:  # Ctrl-C: the rows running end (their servers stopped), no new one starts
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [done[i] for i in range(len(work))]


def _long(job: Callable[[], Row]) -> bool:
    """Whether a row is one of the long ones: the clean row, a hostile row, a fault of ROW_LIMITS."""
    if not isinstance(job, partial):
        return True
    return job.func is hostile_row or job.args[0] in ROW_LIMITS
