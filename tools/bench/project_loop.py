"""Benchmark 3: the project's own loop: the kill matrix's wall time, and the last green `make test`.

Why these two: issue 16 sets the kill matrix at most 4 minutes and `make test` at most 15 on the
2-core CI machine. The kill matrix runs here, the real `python -m tools.killmatrix` in a subprocess
with its report in a temporary folder, and its wall time is reported with its rows and whether
every row was ok (a fast matrix that stopped proving something is no figure). `make test` is not run
inside the bench (that would double the bench); its figure is what the Makefile's `test` target
recorded at the end of the last green run on this machine (`tools/make_test_clock.py`), shown with
its commit and age so a stale figure is visible.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tools.bench.servers import REPO_ROOT

#: The one fault row `--quick` runs: it proves the harness, not the matrix's time.
QUICK_FAULT = "chat-answer-keys-missing"
MATRIX_TIMEOUT_S = 1800.0
#: Written by `make test` when every step passed (tools/make_test_clock.py).
MAKE_TEST_RECORD = REPO_ROOT / "reports" / "make-test.json"


def kill_matrix(quick: bool) -> dict[str, Any]:
    """Run the kill matrix (one row when ``quick``); its wall time, rows and whether all were ok."""
    extra = ["--fault", QUICK_FAULT, "--no-clean", "--no-hostile"] if quick else []
    with tempfile.TemporaryDirectory(prefix="bench-killmatrix-") as tmp:
        cmd = [sys.executable, "-m", "tools.killmatrix", "--out", tmp, *extra]
        t0 = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=MATRIX_TIMEOUT_S, check=False
        )
        wall = time.perf_counter() - t0
        try:
            report = json.loads((Path(tmp) / "killmatrix.json").read_text())
        except (OSError, ValueError):
            report = {}
    rows = report.get("rows", []) if isinstance(report, dict) else []
    ok = sum(1 for row in rows if isinstance(row, dict) and row.get("ok"))
    slowest = sorted(
        ((float(r.get("seconds", 0.0)), str(r.get("name"))) for r in rows if isinstance(r, dict)),
        reverse=True,
    )[:5]
    print(f"  kill matrix: {wall:.0f} s, {ok}/{len(rows)} rows ok (exit {proc.returncode})")
    return {
        "wall_s": round(wall, 1),
        "rows": len(rows),
        "rows_ok": ok,
        "exit_code": proc.returncode,
        "quick": quick,
        "slowest_rows": [{"name": n, "seconds": s} for s, n in slowest],
    }


def last_make_test(path: Path = MAKE_TEST_RECORD) -> dict[str, Any] | None:
    """The last green `make test` recorded on this machine (reports/make-test.json), or None."""
    try:
        recorded = json.loads(path.read_text())
    except (OSError, ValueError):
        print("  make test: no green run recorded on this machine (run `make test`)")
        return None
    age_h = (time.time() - float(recorded.get("finished", 0.0))) / 3600
    print(
        f"  make test (last green run, commit {recorded.get('commit')}, {age_h:.1f} h ago): "
        f"{float(recorded['wall_s']) / 60:.1f} min on {recorded.get('cpus')} cores"
    )
    return {**recorded, "age_h": round(age_h, 2)}
