"""Fast checks of the kill matrix's data and plumbing (the matrix itself is in test_killmatrix).

Every fault names real requirement ids; every MUST requirement is broken by some fault or listed,
with a reason, in UNFAULTABLE; the plan, merge and report logic; and one real row over HTTP.
"""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest

from llmgw_reference.faults import registered
from tools.killmatrix.matrix import Row, fault_row
from tools.killmatrix.plan import (
    REPORTED_ALSO_BY,
    ROW_LIMITS,
    SUITE_LIMITS,
    catalogue,
    checks_for,
    limits_for,
    profile_groups,
    profiles_for,
    reference_args_for,
)
from tools.killmatrix.processes import ReferenceServer, SuiteOutcome, suite_flags
from tools.killmatrix.report import markdown, score, write
from tools.killmatrix.unfaultable import UNFAULTABLE


def test_every_fault_breaks_known_requirements() -> None:
    unknown = {n: [i for i in f.breaks if i not in catalogue()] for n, f in registered().items()}
    assert not {n: ids for n, ids in unknown.items() if ids}, f"faults naming unknown ids: {unknown}"
    assert all(f.breaks for f in registered().values()), "a fault that breaks nothing proves nothing"
    assert all(f.description for f in registered().values())


def test_every_must_requirement_is_faulted_or_listed_unfaultable() -> None:
    broken = {i for f in registered().values() for i in f.breaks}
    musts = [r.id for r in catalogue().values() if r.level == "MUST"]
    uncovered = [i for i in musts if i not in broken and i not in UNFAULTABLE]
    assert not uncovered, (
        f"MUST requirements neither broken by a fault nor listed in UNFAULTABLE: {uncovered}"
    )
    stale = [i for i in UNFAULTABLE if i in broken or i not in catalogue()]
    assert not stale, f"UNFAULTABLE lists ids a fault breaks or the catalogue lacks: {stale}"
    assert all(entry.reason for entry in UNFAULTABLE.values())


def test_profiles_come_from_the_catalogue() -> None:
    assert profiles_for(["NAT-TOKEN-INDEX"]) == ("tasks",)
    assert set(profiles_for(["SSE-CONTENT-TYPE", "AUTH-SCOPE"])) == {
        "tasks",
        "openai-chat",
        "generate",
        "auth",
    }
    with pytest.raises(KeyError):
        profiles_for(["NO-SUCH-ID"])


def test_backpressure_gets_its_own_reference() -> None:
    groups = profile_groups(["tasks", "backpressure", "control"])
    assert ("tasks", "control") in groups and ("backpressure",) in groups
    assert reference_args_for(["backpressure"])[0] == "--config"
    assert Path(reference_args_for(["backpressure"])[1]).is_file()
    assert reference_args_for(["tasks"]) == ()


def test_clock_rows_limits_are_exceeded_by_their_faults() -> None:
    """Each clock fault lasts well beyond the suite limit that catches it (a verdict that does not depend
    on the machine's speed), and within the limits that would turn it into no answer at all."""
    from llmgw_reference.faults.catalogue import HEADERS_DELAY_S, STALL_S
    from llmgw_reference.faults.framing import LINGER_S

    assert set(ROW_LIMITS) <= set(registered()), "ROW_LIMITS names a fault that does not exist"
    headers = limits_for("headers-delayed")
    assert 2 * float(headers["--header-budget"]) <= HEADERS_DELAY_S < float(headers["--read-timeout"]) / 2
    assert 2 * float(limits_for("stream-stall")["--idle-gap"]) <= STALL_S
    close_rule_s = 1.0  # SSE-STREAM-ENDS: closed within 1 s of the terminal event (the suite's fixed rule)
    assert close_rule_s * 1.5 <= LINGER_S < float(limits_for("sse-linger-after-end")["--stream-budget"]) / 2
    assert limits_for("auth-ignored") == SUITE_LIMITS


def test_merge_keeps_failures_and_errors_of_either_run() -> None:
    a = SuiteOutcome(("X",), (), 1, 1.0, {"X": "failed", "Y": "passed", "Z": "skipped"}, (("--a",),), 0.5)
    b = SuiteOutcome((), ("boom",), 3, 2.0, {"X": "passed", "Y": "error", "Z": "passed"}, (("--b",),), 1.0)
    merged = a.merge(b)
    assert merged.outcomes == {"X": "failed", "Y": "error", "Z": "passed"}
    assert merged.failed == ("X",) and merged.errors == ("boom",) and merged.exit_code == 3
    assert merged.seconds == 3.0 and merged.cpu_s == 1.5
    assert merged.runs == (("--a",), ("--b",))
    assert a.with_server_cpu(0.25).cpu_s == 0.75


def test_a_fault_row_also_runs_the_checks_that_report_its_ids_undeclared() -> None:
    assert checks_for(["SSE-NO-STALL"]) == ("SSE-NO-STALL",)
    assert checks_for(["CHAT-ERROR-EVENT", "GEN-ERROR-CHUNK"]) == (
        "CHAT-ERROR-EVENT",
        "GEN-ERROR-CHUNK",
        "chat-stream-grammar",
        "generate-stream-grammar",
    )
    from llmgw_conformance.registry import registered_checks

    named = {name for names in REPORTED_ALSO_BY.values() for name in names}
    assert named <= set(registered_checks()), "REPORTED_ALSO_BY names a check that does not exist"
    assert set(REPORTED_ALSO_BY) <= set(catalogue())


def test_suite_flags_name_profiles_then_checks_then_limits() -> None:
    """A fault row's suite run names the ids whose checks it runs; without ids, every check runs."""
    flags = suite_flags(["tasks", "generate"], ["SSE-NO-STALL"], {"--idle-gap": "1"})
    assert flags == ("--profile", "tasks,generate", "--check", "SSE-NO-STALL", "--idle-gap", "1")
    assert "--check" not in suite_flags(["tasks"], (), SUITE_LIMITS)


def test_report_table_and_score(tmp_path: Path) -> None:
    rows = [
        Row("fault", "a", ["R1"], ["tasks"], caught=["R1", "R9"], killed=True, ok=True, seconds=1.0),
        Row("fault", "b", ["R2"], ["tasks"], caught=[], killed=False, seconds=2.0),
        Row("clean", "(no fault)", [], ["tasks"], ok=True),
    ]
    assert score(rows) == (1, 2)
    text = markdown(rows, 3.0)
    assert "**1 / 2**" in text and "| `a` | R1 | R1, +R9 | yes |" in text and "**NO**" in text
    json_path, md_path = write(rows, 3.0, tmp_path)
    assert json_path.is_file() and md_path.read_text(encoding="utf-8") == text


def test_one_real_row_over_http() -> None:
    """A real reference in a fault mode, judged by the real suite: the fault is killed."""
    row = fault_row("sse-wrong-content-type")
    assert row.errors == []
    assert row.killed is True and "SSE-CONTENT-TYPE" in row.caught
    assert row.profiles == ["tasks", "openai-chat", "generate"]
    # Only the checks covering the fault's ids ran, under the row's explicit limits.
    assert row.suite_runs == [list(suite_flags(row.profiles, row.expected, limits_for(row.name)))]
    assert row.cpu_s > 0


def test_a_row_whose_checks_miss_an_id_runs_every_check_of_its_profiles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without REPORTED_ALSO_BY, the generate grammar check (which reports GEN-ERROR-CHUNK undeclared)
    is not selected, GEN-ERROR-CHUNK's own check passes this fault, and the row falls back to every
    check of the generate profile, which kills it, and says so."""
    monkeypatch.delitem(REPORTED_ALSO_BY, "GEN-ERROR-CHUNK")
    row = fault_row("generate-error-without-done")
    assert row.killed is True and row.errors == [], (row.caught, row.errors)
    assert "GEN-ERROR-CHUNK failed only in the run of every check" in row.note
    narrowed, everything = row.suite_runs
    assert narrowed[narrowed.index("--check") + 1] == "GEN-ERROR-CHUNK" and "--check" not in everything


def test_a_suite_run_past_its_hard_limit_is_killed() -> None:
    """The forked suite run on a silent target (preflight alone waits seconds) is cut at the hard limit."""
    from tools.killmatrix.forked import run_judge
    from tools.killmatrix.hostile import HostileServer

    with HostileServer("silent") as server:
        assert run_judge(server.base_url, ["--profile", "openai-chat"], {}, timeout_s=0.5) is None


def test_readme_section_is_replaced_between_markers(tmp_path: Path) -> None:
    from tools.killmatrix.readme import BEGIN, END, update

    readme, table = tmp_path / "README.md", tmp_path / "killmatrix.md"
    readme.write_text(f"# x\n## Kill matrix\nintro\n{BEGIN}\nold table\n{END}\nafter\n", encoding="utf-8")
    table.write_text("| new |\n", encoding="utf-8")
    update(readme, table)
    assert (
        readme.read_text(encoding="utf-8") == f"# x\n## Kill matrix\nintro\n{BEGIN}\n| new |\n{END}\nafter\n"
    )
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ValueError):
        update(readme, table)


def test_a_row_reference_whose_port_was_taken_starts_on_another() -> None:
    """The port is picked free, but another process may take it before the reference binds (seen in
    CI under xdist): the row's reference then starts on another port instead of losing the row."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        with ReferenceServer(port=port) as ref:
            assert ref.port != port
            assert httpx.get(ref.base_url + "/healthz").status_code == 200
