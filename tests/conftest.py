"""Shared pytest fixtures for the whole suite (kept minimal; each area adds its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Folders whose modules share costly session fixtures (whole suite runs against the reference):
#: under xdist their tests stay on one worker, so each of those fixtures is made once.
ONE_WORKER_FOLDERS = ("tests/conformance/verify/",)


def worker_group(item: pytest.Item) -> str:
    """The xdist group of a test: its folder when listed in ONE_WORKER_FOLDERS, else its module."""
    module = item.nodeid.split("::", 1)[0]
    return next((folder for folder in ONE_WORKER_FOLDERS if module.startswith(folder)), module)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `pytest -n N --dist loadgroup` (make test), send each module's tests to one worker.

    Why: module fixtures start real servers (the kill matrix runs its whole matrix in one); a worker
    per test would start them once per worker. A test's own ``xdist_group`` mark is kept. Runs first,
    before xdist turns the marks into the groups it schedules by; without xdist it does nothing.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(worker_group(item)))


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The root of this checkout."""
    return REPO_ROOT
