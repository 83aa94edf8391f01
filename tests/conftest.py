"""Shared pytest fixtures for the whole suite (kept minimal; each area adds its own)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    """Under pytest-xdist, refuse a collection in which two tests share one node id.

    Why: xdist's loadfile scheduler (make test) hands tests to workers by node id, so of tests that
    share one only the first runs and the others are dropped without a word. Schemathesis'
    parametrized tests do share them (tests/reference/test_schemathesis_sweep.py: make test runs
    that module in one process). A hook of xdist's controller: without xdist it is never called.
    """
    shared = sorted(node_id for node_id, count in Counter(ids).items() if count > 1)
    if shared:
        raise pytest.UsageError(
            f"tests sharing a node id would be dropped by pytest-xdist: {shared}; "
            "run their module without xdist (Makefile: PYTEST_ONE_PROCESS)"
        )


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The root of this checkout."""
    return REPO_ROOT
