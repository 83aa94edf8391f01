"""The prose of the document's "How this was checked" section, kept in how_checked.md."""

from __future__ import annotations

from pathlib import Path

HOW_CHECKED = Path(__file__).resolve().parent / "how_checked.md"


def how_checked_text() -> str:
    try:
        return HOW_CHECKED.read_text(encoding="utf-8")
    except OSError:
        return (
            "(tools/matrix/how_checked.md is missing: nothing is said here about how failures were checked.)"
        )
