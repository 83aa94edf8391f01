"""The kill matrix in `make test`: every registered fault is killed, the clean reference passes,
and every hostile target is failed in bounded time without suite errors.

The whole matrix runs once (four rows at a time, as `make killmatrix` does) in a module fixture;
each fault, the clean row and each hostile mode is then its own pytest item, so a fault that is
not killed fails by name with the ids it should have broken and the ids the suite caught.
"""

from __future__ import annotations

import time

import pytest

from llmgw_reference.faults import registered
from tools.killmatrix.hostile import HOSTILE_MODES
from tools.killmatrix.matrix import Row, run_matrix
from tools.killmatrix.plan import all_profiles, checks_for

#: The whole matrix runs in the first item's fixture setup, which pytest-timeout counts against it.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

#: The matrix's own budget (the issue's limit on 2 cores).
MATRIX_BUDGET_S = 15 * 60
#: A hostile row must end well inside this (the suite's run budget is 120 s).
HOSTILE_BUDGET_S = 150


@pytest.fixture(scope="module")
def matrix() -> dict[tuple[str, str], Row]:
    start = time.monotonic()
    rows = run_matrix()
    took = time.monotonic() - start
    assert took < MATRIX_BUDGET_S, f"the kill matrix took {took:.0f} s (budget {MATRIX_BUDGET_S} s)"
    return {(r.kind, r.name): r for r in rows}


@pytest.mark.parametrize("name", sorted(registered()))
def test_fault_is_killed(matrix: dict[tuple[str, str], Row], name: str) -> None:
    row = matrix[("fault", name)]
    assert not row.errors, f"fault {name}: suite errors {row.errors}"
    missed = [i for i in row.expected if i not in row.caught]
    assert row.killed and not missed, (
        f"fault {name} NOT killed: expected {row.expected} to fail, the suite caught {row.caught} "
        f"(missed {missed}) on profiles {row.profiles}"
    )
    # The row ran the checks judging exactly the ids it names (the kill is decided by them alone), and
    # every check of its profiles only when those missed an id, which its note then says.
    narrowed = [flags for flags in row.suite_runs if _checks_of(flags)]
    assert narrowed and all(_checks_of(flags) == list(checks_for(row.expected)) for flags in narrowed)
    assert len(narrowed) == len(row.suite_runs) or "only in the run of every check" in row.note


def _checks_of(flags: list[str]) -> list[str]:
    """The ids (or check names) a suite run's `--check` selected; [] when it ran every check."""
    return flags[flags.index("--check") + 1].split(",") if "--check" in flags else []


def test_clean_reference_passes_every_profile(matrix: dict[tuple[str, str], Row]) -> None:
    row = matrix[("clean", "(no fault)")]
    assert not row.errors, f"suite errors on the clean reference: {row.errors}"
    assert row.ok, row.note or f"clean reference not ok: failed {row.caught}"
    # Every check of every profile ran: no run of the clean row narrows the checks.
    assert row.profiles == list(all_profiles())
    assert row.suite_runs and all(_checks_of(flags) == [] for flags in row.suite_runs)
    ran = {p for flags in row.suite_runs for p in flags[flags.index("--profile") + 1].split(",")}
    assert ran == set(all_profiles())


@pytest.mark.parametrize("mode", sorted(HOSTILE_MODES))
def test_hostile_target_fails_in_bounded_time(matrix: dict[tuple[str, str], Row], mode: str) -> None:
    row = matrix[("hostile", mode)]
    assert not row.errors, f"hostile {mode}: suite errors {row.errors}"
    assert row.ok, f"hostile {mode}: the suite failed no requirement and did not judge the target unusable"
    assert row.seconds < HOSTILE_BUDGET_S, f"hostile {mode}: the suite took {row.seconds} s"
