"""``python -m tools.contract_diff OLD NEW [--json]``: list every change between two contracts.

Each side is a folder holding ``openapi/{common,control,data}.yaml`` and ``requirements.yaml``, or a
git ref of the repository (``--repo``, default this checkout).  Exit status 0 whatever the changes
(the gate, :mod:`tools.contract_diff.gate`, is what fails); 2 when a side cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from llmgw_contracts import ContractError
from tools.contract_diff.engine import diff, render_json, render_text
from tools.contract_diff.sources import load_side
from tools.specs import REPO_ROOT


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.contract_diff", description=__doc__.split("\n")[0])
    parser.add_argument("old", help="folder or git ref of the old contract")
    parser.add_argument("new", help="folder or git ref of the new contract")
    parser.add_argument("--json", action="store_true", help="print the changes as JSON")
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="git repository for refs")
    args = parser.parse_args(argv)
    try:
        old, new = load_side(args.old, args.repo), load_side(args.new, args.repo)
    except ContractError as exc:
        print(f"contract-diff: {exc}", file=sys.stderr)
        return 2
    changes = diff(old, new)
    print((render_json if args.json else render_text)(changes, old.label, new.label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
