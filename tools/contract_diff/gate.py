"""``make contract-gate``: the contract on this branch against the last released copy.

Fails, naming each reason, when:

* the contract files disagree on the version (or one is not ``MAJOR.MINOR.PATCH``);
* a breaking change comes without a major bump (each breaking change is listed);
* a compatible change comes without at least a minor bump, or an informational one without at
  least a patch bump; or the version went down;
* the version changed and ``contracts/CHANGELOG.md`` has no ``## <version>`` entry for it.

The released copy is ``contracts/released/`` (kept in the repository: CI's fresh clone may carry no
tags); ``--released`` may name another folder or a git ref.  Exit status 0 pass, 1 fail, 2 unreadable.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmgw_contracts import ContractError
from tools.contract_diff.engine import diff, summary
from tools.contract_diff.rules import BREAKING, COMPATIBLE, Change
from tools.contract_diff.sources import Snapshot, load_folder, load_side
from tools.contract_diff.versions import changelog_versions, disagreements, show, version_of
from tools.specs import CONTRACTS_DIR, REPO_ROOT

RELEASED_DIR = CONTRACTS_DIR / "released"
CHANGELOG = CONTRACTS_DIR / "CHANGELOG.md"


@dataclass
class Verdict:
    changes: list[Change]
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def judge(released: Snapshot, current: Snapshot, changelog: str) -> Verdict:
    """The gate's verdict on ``current`` after ``released``, given the changelog's text."""
    changes = diff(released, current)
    verdict = Verdict(changes)
    verdict.problems += [f"current contract: {p}" for p in disagreements(current)]
    verdict.problems += [f"released copy: {p}" for p in disagreements(released)]
    old, new = version_of(released), version_of(current)
    if old is None or new is None:
        return verdict
    breaking = [c for c in changes if c.level == BREAKING]
    compatible = any(c.level == COMPATIBLE for c in changes)
    real = [c for c in changes if c.rule != "info-version-changed"]
    if new < old:
        verdict.problems.append(f"the version went down: released {show(old)}, now {show(new)}")
    elif breaking and new[0] <= old[0]:
        verdict.problems.append(
            f"{len(breaking)} breaking change(s) need a major version ({old[0] + 1}.0.0), "
            f"the contract says {show(new)}:"
        )
        verdict.problems += [f"  {c}" for c in breaking]
    elif compatible and new[:2] <= old[:2]:
        verdict.problems.append(
            f"compatible changes need at least a minor version ({old[0]}.{old[1] + 1}.0), "
            f"the contract says {show(new)}"
        )
    elif real and new <= old:
        verdict.problems.append(
            f"informational changes need at least a patch version ({show((old[0], old[1], old[2] + 1))}), "
            f"the contract says {show(new)}"
        )
    if new != old and show(new) not in changelog_versions(changelog):
        verdict.problems.append(
            f"contracts/CHANGELOG.md has no entry for {show(new)} (a heading `## {show(new)}`)"
        )
    return verdict


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.contract_diff.gate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--released", default=str(RELEASED_DIR), help="released contract: folder or git ref")
    parser.add_argument("--contracts", type=Path, default=CONTRACTS_DIR, help="the contract to judge")
    parser.add_argument("--changelog", type=Path, default=None, help="default: CHANGELOG.md in --contracts")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="git repository for a ref")
    args = parser.parse_args(argv)
    changelog_path: Path = args.changelog or args.contracts / "CHANGELOG.md"
    try:
        released = load_side(args.released, args.repo)
        current = load_folder(args.contracts, label=str(args.contracts))
        changelog = changelog_path.read_text(encoding="utf-8") if changelog_path.is_file() else ""
    except ContractError as exc:
        print(f"contract-gate: {exc}", file=sys.stderr)
        return 2
    verdict = judge(released, current, changelog)
    for change in verdict.changes:
        if change.level != "informational":
            print(change)
    counts = summary(verdict.changes) if verdict.changes else "no changes"
    if verdict.passed:
        print(f"contract-gate: OK ({counts} since the released copy; `make contract-diff` lists them all)")
        return 0
    for problem in verdict.problems:
        print(problem, file=sys.stderr)
    print(f"contract-gate: FAILED ({counts} since the released copy)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
