"""The hostile server, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.killmatrix.hostile import HostilePaths


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostilePaths]:
    server = HostilePaths().start()
    yield server
    server.stop()
