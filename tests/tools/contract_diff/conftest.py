"""Fixtures of the contract diff's tests: a small contract written to a folder and loaded."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.tools.contract_diff.small_contract import Contract, write_contract
from tools.contract_diff.sources import Snapshot, load_folder


@pytest.fixture
def snapshot_of(tmp_path: Path) -> Callable[[Contract], Snapshot]:
    """Write a contract to a fresh folder under tmp_path and load it as the diff does."""
    counter = iter(range(1_000_000))

    def load(contract: Contract) -> Snapshot:
        return load_folder(write_contract(tmp_path / f"c{next(counter)}", copy.deepcopy(contract)))

    return load
