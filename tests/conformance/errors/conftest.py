"""Fixtures of the S3 check tests; the harness (fake gateway, run_check) lives in tests/conformance/control.

The repository root goes on sys.path so the harness is imported by its full dotted name
(``tests.conformance.control...``), the same name mypy resolves it by.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[3])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.conformance.control.control_fake_server import run_check  # noqa: E402, F401  (re-exported fixture)
