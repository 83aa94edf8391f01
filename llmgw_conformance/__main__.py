"""``python -m llmgw_conformance``: see :mod:`llmgw_conformance.cli`."""

from __future__ import annotations

from llmgw_conformance.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
