"""The one loader of the contract files (llmgw_contracts): where it finds them, what it parses, who uses it.

The installed case (files as package data of the wheel) is proven by tests/packaging/test_wheel.py;
here the checkout case, the parse-once cache, the error messages, and a guard that no other module
goes back to finding the contract by itself.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from llmgw_contracts import (
    SPEC_FILES,
    ContractError,
    ContractFiles,
    contract_files,
    contracts_dir,
    openapi_dir,
    read_yaml,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_in_a_checkout_the_files_are_the_ones_at_the_top() -> None:
    assert contracts_dir() == REPO_ROOT / "contracts"
    assert openapi_dir() == REPO_ROOT / "contracts" / "openapi"
    files = contract_files()
    assert {name: files.spec(name)["openapi"] for name in SPEC_FILES} == dict.fromkeys(SPEC_FILES, "3.1.0")
    assert files.requirements()["requirements"]
    assert files.report_schema()["$id"].endswith("/report.schema.json")
    assert files.raw("requirements.yaml") == (REPO_ROOT / "contracts" / "requirements.yaml").read_bytes()


def test_each_file_is_parsed_once_and_again_only_when_it_changes(tmp_path: Path) -> None:
    shutil.copytree(REPO_ROOT / "contracts", tmp_path / "one")
    shutil.copytree(tmp_path / "one", tmp_path / "two")
    files = ContractFiles(tmp_path / "one")
    first = files.requirements()
    assert files.requirements() is first
    # The cache is keyed by content: another folder with the same bytes shares the parse ...
    assert ContractFiles(tmp_path / "two").requirements() is first
    # ... and a file changed on disk is parsed again, never served stale.
    with (tmp_path / "one" / "requirements.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\nx-extra: 1\n")
    changed = files.requirements()
    assert changed is not first and changed["x-extra"] == 1 and "x-extra" not in first


def test_a_broken_file_is_named_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "data.yaml"
    bad.write_text("openapi: 3.1.0\npaths: {\n  /x: [\n", encoding="utf-8")
    with pytest.raises(ContractError, match=r"^openapi/data.yaml:\d+:\d+: YAML syntax error"):
        read_yaml(bad, "openapi/data.yaml")
    with pytest.raises(ContractError, match=r"requirements.yaml: cannot read"):
        ContractFiles(tmp_path).requirements()
    (tmp_path / "requirements.yaml").write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ContractError, match="expected a mapping"):
        ContractFiles(tmp_path).requirements()


#: Modules that parse YAML which is not the contract (a user's config or target description, a
#: tool's own data files), by path relative to the repository root.
NOT_THE_CONTRACT = {
    "llmgw_reference/config.py",
    "llmgw_conformance/target_description.py",
    "tools/openai_fidelity/facts.py",
    "tools/openai_fidelity/cli.py",
    "tools/matrix/hand_checks.py",
}


def test_nobody_else_finds_or_parses_the_contract_by_itself() -> None:
    """Every reader goes through llmgw_contracts: no YAML parsing, no ``contracts/`` beside ``__file__``."""
    offenders = []
    for package in ("llmgw_conformance", "llmgw_reference", "llmgw_sdk", "tools"):
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            relative = path.relative_to(REPO_ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            if re.search(r"yaml\.(safe_)?load\(", text) and relative not in NOT_THE_CONTRACT:
                offenders.append(f"{relative}: parses YAML itself")
            if re.search(r"""__file__.*["']contracts["']|["']contracts["'].*__file__""", text):
                offenders.append(f"{relative}: finds contracts/ relative to its own file")
            if re.search(r"^\s*(from|import) tools\b", text, re.M) and not relative.startswith("tools/"):
                offenders.append(f"{relative}: imports the dev-only tools package")
    assert offenders == []
