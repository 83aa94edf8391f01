"""The gate: a change needs its version bump and a changelog entry; each failure says why."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tools.contract_diff.small_contract import Contract, base_contract, set_version, write_contract
from tools.contract_diff.gate import judge, main
from tools.contract_diff.release import release
from tools.contract_diff.sources import Snapshot, load_folder
from tools.contract_diff.versions import disagreements
from tools.specs import CONTRACTS_DIR

Load = Callable[[Contract], Snapshot]
CHANGELOG = "# Changelog\n\n## 2.0.0\n\n- x\n\n## 1.1.0 - 2026-12-03\n\n- y\n\n## 1.0.1\n\n- z\n\n## 1.0.0\n"


def breaking(contract: Contract) -> None:
    del contract["openapi/data.yaml"]["components"]["schemas"]["Thing"]["properties"]["note"]


def compatible(contract: Contract) -> None:
    contract["openapi/data.yaml"]["paths"]["/v1/things"]["post"]["responses"]["404"] = {"description": "No."}


def informational(contract: Contract) -> None:
    contract["openapi/data.yaml"]["info"]["description"] = "Reworded."


def _judge(
    load: Load, edit: Callable[[Contract], None], version: str, changelog: str = CHANGELOG
) -> list[str]:
    old = base_contract("1.0.0")
    new = copy.deepcopy(old)
    edit(new)
    set_version(new, version)
    return judge(load(old), load(new), changelog).problems


def test_a_breaking_change_without_a_major_bump_fails_naming_it(snapshot_of: Load) -> None:
    problems = _judge(snapshot_of, breaking, "1.1.0")
    assert problems[0] == "1 breaking change(s) need a major version (2.0.0), the contract says 1.1.0:"
    assert "response-property-removed" in problems[1] and "Thing.note" in problems[1]
    assert _judge(snapshot_of, breaking, "2.0.0") == []


def test_a_compatible_change_needs_a_minor_bump(snapshot_of: Load) -> None:
    assert _judge(snapshot_of, compatible, "1.0.0") == [
        "compatible changes need at least a minor version (1.1.0), the contract says 1.0.0"
    ]
    assert _judge(snapshot_of, compatible, "1.0.1")[0].startswith("compatible changes need")
    assert _judge(snapshot_of, compatible, "1.1.0") == []


def test_an_informational_change_needs_a_patch_bump(snapshot_of: Load) -> None:
    assert _judge(snapshot_of, informational, "1.0.0")[0].startswith("informational changes need")
    assert _judge(snapshot_of, informational, "1.0.1") == []


def test_no_change_and_no_bump_passes(snapshot_of: Load) -> None:
    assert _judge(snapshot_of, lambda contract: None, "1.0.0", changelog="") == []


def test_a_bump_without_a_changelog_entry_fails(snapshot_of: Load) -> None:
    problems = _judge(snapshot_of, compatible, "1.2.0")
    assert problems == ["contracts/CHANGELOG.md has no entry for 1.2.0 (a heading `## 1.2.0`)"]
    assert _judge(snapshot_of, compatible, "1.1.0", changelog="## 1.1.0\n") == []
    assert _judge(snapshot_of, compatible, "1.1.0", changelog="### 1.1.0\n1.1.0\n") != []


def test_the_version_may_not_go_down(snapshot_of: Load) -> None:
    old = base_contract("1.1.0")
    new = base_contract("1.0.0")
    assert judge(snapshot_of(old), snapshot_of(new), CHANGELOG).problems == [
        "the version went down: released 1.1.0, now 1.0.0"
    ]


def test_files_that_disagree_on_the_version_fail(snapshot_of: Load) -> None:
    new = base_contract("1.0.0")
    new["openapi/control.yaml"]["info"]["version"] = "1.1.0"
    new["requirements.yaml"]["contract_version"] = "1.1"
    problems = judge(snapshot_of(base_contract()), snapshot_of(new), CHANGELOG).problems
    assert (
        "requirements.yaml#/contract_version: '1.1' is not a semantic version MAJOR.MINOR.PATCH"
        in problems[0]
    )
    assert "disagree" in problems[1] and "openapi/control.yaml#/info/version '1.1.0'" in problems[1]


def test_the_released_copy_is_one_version() -> None:
    assert disagreements(load_folder(CONTRACTS_DIR / "released")) == []


def test_main_exit_status_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    released = write_contract(tmp_path / "released", base_contract())
    current_contract = base_contract()
    breaking(current_contract)
    current = write_contract(tmp_path / "current", current_contract)
    assert main(["--released", str(released), "--contracts", str(current)]) == 1
    captured = capsys.readouterr()
    assert "response-property-removed" in captured.out
    assert "need a major version (2.0.0)" in captured.err and "FAILED" in captured.err
    set_version(current_contract, "2.0.0")
    write_contract(current, current_contract)
    (current / "CHANGELOG.md").write_text("## 2.0.0\n\n- Thing.note removed.\n", encoding="utf-8")
    assert main(["--released", str(released), "--contracts", str(current)]) == 0
    assert "contract-gate: OK (1 breaking" in capsys.readouterr().out


def test_release_copies_the_contract_only_when_the_gate_passes(tmp_path: Path) -> None:
    contracts = write_contract(tmp_path / "contracts", base_contract())
    (contracts / "CHANGELOG.md").write_text("## 1.0.0\n", encoding="utf-8")
    assert release(contracts, contracts / "released") == []
    assert load_folder(contracts / "released").catalogue["contract_version"] == "1.0.0"
    edited = base_contract()
    compatible(edited)
    write_contract(contracts, edited)  # a compatible change, still 1.0.0: not releasable
    assert release(contracts, contracts / "released")[0].startswith("compatible changes need")
    set_version(edited, "1.1.0")
    write_contract(contracts, edited)
    assert release(contracts, contracts / "released") == [
        "contracts/CHANGELOG.md has no entry for 1.1.0 (a heading `## 1.1.0`)"
    ]
    (contracts / "CHANGELOG.md").write_text("## 1.1.0\n\n## 1.0.0\n", encoding="utf-8")
    assert release(contracts, contracts / "released") == []
    assert load_folder(contracts / "released").catalogue["contract_version"] == "1.1.0"
