"""``python -m tools.lint_contracts``: the command of :mod:`tools.lint_contracts.command`."""

from __future__ import annotations

import sys

from tools.lint_contracts.command import main

sys.exit(main())
