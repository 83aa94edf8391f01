"""``make lint-contracts``: validate the contracts and apply the project's own rules to them.

Usage: ``python -m tools.lint_contracts [--contracts DIR] [--oas32-out DIR]``

``--contracts`` is the contracts folder (default ``contracts/``), holding ``openapi/{common,control,
data}.yaml`` and ``requirements.yaml``.  Steps, every problem printed as ``file#/json/pointer: what``:

1. openapi-spec-validator on the three OpenAPI 3.1 files, cross-file references resolved;
2. the OpenAPI 3.2 copies (:mod:`tools.to_oas32`) written to ``--oas32-out`` and validated as 3.2;
3. the rules, each a small function that yields its violations.

Exit status 0 when there is nothing to report, 1 otherwise.

The package is cut by what a reader looks for: :mod:`.contract` (the parsed contract a rule
reads), one module per family of rules (:mod:`.operation_rules`, :mod:`.schema_rules`,
:mod:`.requirement_rules`, :mod:`.reference_rules`) and :mod:`.command` (the rule list, the
validators before it and the command line).
"""

from __future__ import annotations

from tools.lint_contracts.command import RULES, lint, main, run_rules
from tools.lint_contracts.contract import Contract, Operation, Rule, Violation
from tools.lint_contracts.operation_rules import rule_error_responses, rule_operation_ids
from tools.lint_contracts.reference_rules import (
    rule_applies_to_operations_exist,
    rule_catalogue_references,
    rule_x_requirements_exist,
)
from tools.lint_contracts.requirement_rules import rule_requirement_format, rule_requirement_ids
from tools.lint_contracts.schema_rules import rule_descriptions

__all__ = [
    "RULES",
    "Contract",
    "Operation",
    "Rule",
    "Violation",
    "lint",
    "main",
    "rule_applies_to_operations_exist",
    "rule_catalogue_references",
    "rule_descriptions",
    "rule_error_responses",
    "rule_operation_ids",
    "rule_requirement_format",
    "rule_requirement_ids",
    "rule_x_requirements_exist",
    "run_rules",
]
