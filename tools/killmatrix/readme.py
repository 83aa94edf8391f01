"""`python -m tools.killmatrix.readme`: copy reports/killmatrix.md into docs/killmatrix.md.

Why generated: the score and table in the docs must be what the last run measured, never
hand-edited numbers. Only the text between the two markers is replaced.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools.killmatrix.plan import ROOT
from tools.killmatrix.report import REPORT_DIR

BEGIN, END = "<!-- killmatrix:begin -->", "<!-- killmatrix:end -->"


def update(readme: Path, table: Path) -> None:
    """Replaces the text between the markers of `readme` with `table`'s content."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise ValueError(f"{readme} has no {BEGIN} ... {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{table.read_text(encoding='utf-8')}{END}{tail}", encoding="utf-8")


def main() -> int:
    try:
        update(ROOT / "docs" / "killmatrix.md", REPORT_DIR / "killmatrix.md")
    except (OSError, ValueError) as exc:
        print(f"readme: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
