"""Fixtures for the stream check tests: the fake target (one server per module) and check contexts."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # fake_target, fake_routes, fake_fixtures

from fake_fixtures import context, fake, fake_server  # type: ignore[import-not-found]  # noqa: F401
