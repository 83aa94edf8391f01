"""`python -m tools.make_test_clock start|stop`: record how long `make test` took on this machine.

Why: the project's goal for its own loop is `make test` in at most 15 minutes on the 2-core CI
machine, and `make bench` reports each goal with how it stands. Running `make test` inside the
bench would double the bench's time, so the Makefile's `test` target stamps its start (its first
prerequisite) and, when every step has passed, writes ``reports/make-test.json`` (wall time, the
commit, the machine's core count); `tools/bench/project_loop.py` reads it. A failed `make test`
writes nothing: only a green run is a figure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

START_FILE = Path("build/make-test-start.json")
RESULT_FILE = Path("reports/make-test.json")


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False, timeout=10
        )
    except OSError:
        return "unknown"
    return out.stdout.strip() or "unknown"


def start() -> None:
    """Stamp the start of a `make test`."""
    START_FILE.parent.mkdir(parents=True, exist_ok=True)
    START_FILE.write_text(json.dumps({"started": time.time(), "commit": _commit()}))


def stop() -> None:
    """Write the wall time since the stamp to reports/make-test.json (nothing without a stamp)."""
    try:
        stamp = json.loads(START_FILE.read_text())
    except (OSError, ValueError):
        print("make_test_clock: no start stamp; nothing recorded", file=sys.stderr)
        return
    now = time.time()
    result = {
        "wall_s": round(now - float(stamp["started"]), 1),
        "started": stamp["started"],
        "finished": now,
        "commit": stamp.get("commit", "unknown"),
        "cpus": os.cpu_count(),
        "ci": bool(os.environ.get("CI")),
    }
    RESULT_FILE.parent.mkdir(parents=True, exist_ok=True)
    RESULT_FILE.write_text(json.dumps(result, indent=2) + "\n")
    START_FILE.unlink(missing_ok=True)
    print(f"make test: {result['wall_s'] / 60:.1f} min on {result['cpus']} cores (recorded in {RESULT_FILE})")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["start"]:
        start()
        return 0
    if args == ["stop"]:
        stop()
        return 0
    print(f"usage: python -m tools.make_test_clock start|stop (got {args!r})", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
