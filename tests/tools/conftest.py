"""Fixtures for the tests of tools/: throwaway copies of a small contract set and of a repo tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.codegen import cmd_generate

FIXTURE_CONTRACTS = Path(__file__).resolve().parent.parent / "fixtures" / "contracts"


@pytest.fixture
def contracts_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/contracts (openapi/*.yaml and requirements.yaml)."""
    target = tmp_path / "contracts"
    shutil.copytree(FIXTURE_CONTRACTS, target)
    return target


@pytest.fixture(scope="session")
def generated_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repo tree (contracts/ and llmgw_generated/ from them), generated once; do not modify."""
    root = tmp_path_factory.mktemp("generated-repo")
    shutil.copytree(FIXTURE_CONTRACTS, root / "contracts")
    assert cmd_generate(root) == 0
    return root


@pytest.fixture
def repo_copy(tmp_path: Path, generated_repo: Path) -> Path:
    """A writable copy of ``generated_repo``."""
    target = tmp_path / "repo"
    shutil.copytree(generated_repo, target)
    return target
