"""`python -m tools.bench [--quick] [--only NAME,...] [--out reports/bench.json]`: every benchmark.

Why one entry point: `make bench` runs them all in one process in a fixed order, so every figure in
the summary comes from the same run on the same machine state. A benchmark that breaks is reported
(with its error in the JSON) and the others still run; the exit code is then 1. `--quick` runs each
at tiny sizes (what tests/bench does), which proves the harness and prints ratios, not figures to
quote.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tools.bench.benchmarks import BENCHMARKS
from tools.bench.sizes import FULL, QUICK, Sizes
from tools.bench.summary import Figure, render, write_json


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run, not figures")
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--out", default="reports/bench.json", help="where the JSON summary goes")
    return parser


def run_all(names: list[str], sizes: Sizes) -> tuple[list[Figure], dict[str, Any], list[str]]:
    """Run the named benchmarks in order; a failure is recorded and the next one still runs."""
    figures: list[Figure] = []
    details: dict[str, Any] = {}
    failed: list[str] = []
    for name in names:
        bench: Callable[[Sizes], tuple[list[Figure], dict[str, Any]]] = BENCHMARKS[name]
        print(f"== {name}", flush=True)
        t0 = time.monotonic()
        try:
            got, detail = bench(sizes)
        except Exception as exc:  # one broken benchmark must not cost the others' figures
            traceback.print_exc()
            failed.append(name)
            details[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        figures.extend(got)
        details[name] = {**detail, "bench_wall_s": round(time.monotonic() - t0, 1)}
        print(f"   ({time.monotonic() - t0:.0f} s)", flush=True)
    return figures, details, failed


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    sizes = QUICK if args.quick else FULL
    figures, details, failed = run_all(names, sizes)
    print("\n" + render(figures))
    command = "python -m tools.bench " + shlex.join(argv if argv is not None else sys.argv[1:])
    write_json(Path(args.out), figures, details, command.strip())
    print(f"\nwritten to {args.out}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
