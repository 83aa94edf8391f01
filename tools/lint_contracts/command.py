"""``make lint-contracts``: validate the contracts and apply the project's own rules to them.

The rules run only on documents the OpenAPI validator accepted (they assume the right shape);
the 3.2 copies are written and validated on the way, so a change that only 3.2 rejects shows up
here too.  Every problem is printed as ``file#/json/pointer: what``; exit 1 if there is any.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.lint_contracts.contract import Contract, Rule, Violation
from tools.lint_contracts.operation_rules import rule_error_responses, rule_operation_ids
from tools.lint_contracts.reference_rules import (
    rule_applies_to_operations_exist,
    rule_catalogue_references,
    rule_x_requirements_exist,
)
from tools.lint_contracts.requirement_rules import rule_requirement_format, rule_requirement_ids
from tools.lint_contracts.schema_rules import rule_descriptions
from tools.specs import ALL_SPECS, CONTRACTS_DIR, REPO_ROOT, ContractError
from tools.to_oas32 import convert_all
from tools.validate import validate_files

RULES: tuple[Rule, ...] = (
    rule_operation_ids,
    rule_error_responses,
    rule_descriptions,
    rule_requirement_format,
    rule_requirement_ids,
    rule_x_requirements_exist,
    rule_applies_to_operations_exist,
    rule_catalogue_references,
)


def run_rules(contract: Contract, rules: Sequence[Rule] = RULES) -> list[Violation]:
    return sorted({violation for rule in rules for violation in rule(contract)})


def lint(contracts_dir: Path, oas32_out: Path) -> list[str]:
    """Every problem, as ``path#pointer: message`` with paths shown relative to the contracts folder."""
    openapi_dir = contracts_dir / "openapi"
    try:
        problems = [f"openapi/{p}" for p in validate_files(openapi_dir, list(ALL_SPECS), version="3.1")]
    except ContractError as exc:
        return [f"openapi/{p}" for p in exc.problems]
    if problems:
        return problems  # the rules assume documents of the right shape
    try:
        convert_all(openapi_dir, oas32_out)
        oas32 = validate_files(oas32_out, list(ALL_SPECS), version="3.2")
        problems += [f"{oas32_out}/{p} (OpenAPI 3.2 copy)" for p in oas32]
        contract = Contract.load(contracts_dir)
    except ContractError as exc:
        return problems + [f"openapi/{p}" for p in exc.problems]
    problems += [f"openapi/{v}" for v in run_rules(contract)]
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.lint_contracts", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--contracts", type=Path, default=CONTRACTS_DIR, help="contracts folder")
    parser.add_argument(
        "--oas32-out", type=Path, default=REPO_ROOT / "build" / "oas32", help="3.2 copies go here"
    )
    args = parser.parse_args(argv)
    contracts_dir: Path = args.contracts
    shown = _display(contracts_dir)
    problems = lint(contracts_dir, args.oas32_out)
    for problem in problems:
        # Paths inside the contracts folder are normalised ("openapi/../requirements.yaml").
        text = problem if problem.startswith("/") else f"{shown}/{problem}"
        print(text.replace("openapi/../", ""))
    if problems:
        print(f"lint-contracts: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"lint-contracts: {shown}: OK ({len(ALL_SPECS)} OpenAPI files, their 3.2 copies, {len(RULES)} rules)"
    )
    return 0


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
