"""One rule, one test: each rule fires on its edit of the small contract and stays quiet on a near edit
(the edits are in ``rule_cases.py``, the contract in ``small_contract.py``)."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from tests.tools.contract_diff.rule_cases import CASES
from tests.tools.contract_diff.small_contract import Contract, Edit, base_contract
from tools.contract_diff.engine import diff
from tools.contract_diff.rules import RULES
from tools.contract_diff.sources import Snapshot


def _rules_found(
    snapshot_of: Callable[[Contract], Snapshot], edit: Edit, prepare: Edit | None
) -> dict[str, str]:
    old = base_contract()
    if prepare is not None:
        prepare(old)
    new = copy.deepcopy(old)
    edit(new)
    return {change.rule: change.level for change in diff(snapshot_of(old), snapshot_of(new))}


def test_every_rule_has_a_case() -> None:
    assert sorted(CASES) == sorted(RULES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_its_edit(rule_id: str, snapshot_of: Callable[[Contract], Snapshot]) -> None:
    trigger, _, prepare = CASES[rule_id]
    found = _rules_found(snapshot_of, trigger, prepare)
    assert rule_id in found, f"{rule_id} not found; the diff said {sorted(found)}"
    assert found[rule_id] == RULES[rule_id].level


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_stays_quiet_on_a_near_edit(rule_id: str, snapshot_of: Callable[[Contract], Snapshot]) -> None:
    _, near, prepare = CASES[rule_id]
    found = _rules_found(snapshot_of, near, prepare)
    assert rule_id not in found, f"{rule_id} fired on the near edit: {sorted(found)}"
    assert found, "the near edit changed nothing the diff saw: it proves nothing"
