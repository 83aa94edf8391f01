"""The OpenAI-surface check tests share the stream tests' fake target and fixtures (one copy of each)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "streams"))

from fake_fixtures import context, fake, fake_server  # type: ignore[import-not-found]  # noqa: F401
