"""`python -m tools.killmatrix [--fault NAME ...] [--no-clean] [--no-hostile] [--jobs N]`.

Exit 0 when every fault is killed and the clean and hostile rows are ok, else 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tools.killmatrix.matrix import DEFAULT_JOBS, Row, run_matrix
from tools.killmatrix.report import REPORT_DIR, score, write


def _progress(row: Row) -> None:
    if row.kind == "fault":
        state = "killed" if row.killed else f"NOT KILLED (expected {row.expected}, caught {row.caught})"
        state += f" ({row.note})" if row.note else ""
    else:
        state = "ok" if row.ok else f"NOT OK (failed {row.caught}) {row.note}"
    errors = f" suite errors: {'; '.join(row.errors)[:300]}" if row.errors else ""
    took = f"[{row.seconds:.1f} s, cpu {row.cpu_s:.1f} s]"
    print(f"  {row.kind:<7} {row.name:<34} {state}{errors} {took}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.killmatrix", description=__doc__)
    parser.add_argument("--fault", action="append", help="run only these faults (repeatable)")
    parser.add_argument("--no-clean", action="store_true", help="skip the clean row")
    parser.add_argument("--no-hostile", action="store_true", help="skip the hostile rows")
    jobs_help = f"rows at once (default {DEFAULT_JOBS})"
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS, help=jobs_help)
    parser.add_argument("--out", type=Path, default=REPORT_DIR, help="report folder (default reports/)")
    args = parser.parse_args(argv)
    start = time.monotonic()
    rows = run_matrix(
        args.fault,
        clean=not args.no_clean,
        hostile=[] if args.no_hostile else None,
        jobs=args.jobs,
        progress=_progress,
    )
    wall = time.monotonic() - start
    json_path, md_path = write(rows, wall, args.out)
    killed, total = score(rows)
    print(f"kill matrix: {killed} / {total} faults killed in {wall:.0f} s; {json_path}, {md_path}")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
