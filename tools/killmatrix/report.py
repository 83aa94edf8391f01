"""Writing the matrix: reports/killmatrix.json (every row) and reports/killmatrix.md (a table)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from tools.killmatrix.matrix import Row
from tools.killmatrix.plan import ROOT

REPORT_DIR = ROOT / "reports"


def score(rows: Sequence[Row]) -> tuple[int, int]:
    """(faults killed, faults)."""
    faults = [r for r in rows if r.kind == "fault"]
    return sum(1 for r in faults if r.killed), len(faults)


def _cell(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "-"


def markdown(rows: Sequence[Row], wall_s: float) -> str:
    killed, total = score(rows)
    lines = [
        f"Score: **{killed} / {total}** faults killed; matrix wall time {wall_s:.0f} s.",
        "",
        "| fault | requirement ids expected | ids caught | killed | time (s) |",
        "|---|---|---|---|---|",
    ]
    for r in rows:
        if r.kind != "fault":
            continue
        caught = [i for i in r.caught if i in r.expected] + [f"+{i}" for i in r.caught if i not in r.expected]
        mark = "yes" if r.killed else "**NO**"
        if r.errors:
            mark += f" (suite errors: {len(r.errors)})"
        lines.append(f"| `{r.name}` | {_cell(r.expected)} | {_cell(caught)} | {mark} | {r.seconds:.1f} |")
    lines += ["", "| target | profiles | failed requirements | verdict | time (s) |", "|---|---|---|---|---|"]
    for r in rows:
        if r.kind == "fault":
            continue
        verdict = "ok" if r.ok else "**NOT OK**"
        if r.errors:
            verdict += f" (suite errors: {'; '.join(r.errors)[:200]})"
        if r.note:
            verdict += f" ({r.note})"
        name = "clean reference" if r.kind == "clean" else f"hostile: {r.name}"
        lines.append(
            f"| {name} | {', '.join(r.profiles)} | {_cell(r.caught)} | {verdict} | {r.seconds:.1f} |"
        )
    lines.append("")
    lines.append(
        "In *ids caught*, `+ID` is a requirement that also failed though the fault does not name it."
    )
    return "\n".join(lines) + "\n"


def write(rows: Sequence[Row], wall_s: float, out_dir: Path = REPORT_DIR) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    killed, total = score(rows)
    doc: dict[str, object] = {"score": {"killed": killed, "faults": total}, "wall_s": round(wall_s, 1)}
    doc["rows"] = [r.as_json() for r in rows]
    json_path, md_path = out_dir / "killmatrix.json", out_dir / "killmatrix.md"
    json_path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(rows, wall_s), encoding="utf-8")
    return json_path, md_path
