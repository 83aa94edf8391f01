"""Benchmark 2b: wall time of a whole `python -m llmgw_conformance run` and its growth with `--examples`.

Why the real CLI in a subprocess: the figure a user cares about is the command's wall time, with
the embedded reference's startup, every profile it claims, the reports written. The default run
(no `--examples`: the CLI's default) is the headline; the same run with other example counts per
operation (the schema-driven checks' hypothesis examples) shows how it grows. Each configuration
runs `rounds` times, interleaved, best kept. The exit code is kept too: a run that broke is not a
timing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass

from tools.bench.servers import REPO_ROOT

DEFAULT_EXAMPLES = (5, 20)
RUN_TIMEOUT_S = 600.0


@dataclass
class SuiteRun:
    """One configuration of the run: its extra arguments, best wall time and exit codes."""

    label: str
    args: list[str]
    best_wall_s: float
    exit_codes: list[int]


def _timed_run(args: list[str]) -> tuple[float, int]:
    with tempfile.TemporaryDirectory(prefix="bench-suite-") as tmp:
        cmd = [sys.executable, "-m", "llmgw_conformance", "run", "--report-dir", tmp, *args]
        t0 = time.perf_counter()
        proc = subprocess.run(
            cmd, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=RUN_TIMEOUT_S
        )
        wall = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1: the target failed a check; anything else: the run broke
        tail = proc.stderr.decode("utf-8", "replace")[-1500:]
        raise RuntimeError(f"`conformance run {' '.join(args)}` exited {proc.returncode}: {tail}")
    return wall, proc.returncode


def run(
    examples: tuple[int, ...] = DEFAULT_EXAMPLES, rounds: int = 1, base_args: tuple[str, ...] = ()
) -> list[SuiteRun]:
    """Time the default run and one run per example count; print one line each."""
    configs = [("default", list(base_args))] + [
        (f"--examples {n}", [*base_args, "--examples", str(n)]) for n in examples
    ]
    walls: dict[str, list[float]] = {label: [] for label, _ in configs}
    codes: dict[str, list[int]] = {label: [] for label, _ in configs}
    for _ in range(rounds):
        for label, args in configs:
            wall, code = _timed_run(args)
            walls[label].append(wall)
            codes[label].append(code)
    results = [SuiteRun(label, args, round(min(walls[label]), 2), codes[label]) for label, args in configs]
    for r in results:
        print(f"  conformance run {r.label:14} {r.best_wall_s:7.1f} s (exit {r.exit_codes})")
    return results


def as_dict(result: SuiteRun) -> dict[str, object]:
    """JSON-ready form for reports/bench.json."""
    return asdict(result)
