"""``python -m tools.openai_fidelity``: see :mod:`tools.openai_fidelity`."""

from __future__ import annotations

import sys

from tools.openai_fidelity.cli import main

sys.exit(main())
