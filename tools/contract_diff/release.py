"""``make contract-release``: make the current contract the released copy (``contracts/released/``).

Run it when a contract version is final: the files agree on the version, CHANGELOG.md has its entry,
and the gate passes against the previous release.  It copies ``openapi/*.yaml`` and
``requirements.yaml`` into ``contracts/released/`` (replacing the previous copy, which stays in git
history), so the gate then compares later work with this release.  Commit the copy with the bump.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from llmgw_contracts import ContractError
from tools.contract_diff.gate import judge
from tools.contract_diff.sources import CONTRACT_FILES, load_folder
from tools.contract_diff.versions import changelog_versions, show, version_of
from tools.specs import CONTRACTS_DIR


def release(contracts: Path, released: Path) -> list[str]:
    """Copy the contract in ``contracts`` to ``released``; the problems that stop it, if any."""
    current = load_folder(contracts)
    changelog_path = contracts / "CHANGELOG.md"
    changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else ""
    if (released / "requirements.yaml").is_file():
        verdict = judge(load_folder(released), current, changelog)
        if not verdict.passed:
            return verdict.problems
    version = version_of(current)
    if version is None:
        return ["the contract files disagree on the version; run `make contract-gate` for details"]
    if show(version) not in changelog_versions(changelog):
        return [f"CHANGELOG.md has no `## {show(version)}` entry"]
    for relative in CONTRACT_FILES:
        (released / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(contracts / relative, released / relative)
    return []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.contract_diff.release", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contracts", type=Path, default=CONTRACTS_DIR)
    args = parser.parse_args(argv)
    contracts: Path = args.contracts
    try:
        problems = release(contracts, contracts / "released")
    except ContractError as exc:
        problems = exc.problems
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("contract-release: nothing released", file=sys.stderr)
        return 1
    version = version_of(load_folder(contracts))
    print(f"contract-release: {contracts}/released/ now holds {show(version) if version else '?'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
