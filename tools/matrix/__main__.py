"""``python -m tools.matrix`` (``make matrix``): judge real engines, write docs/compatibility.md.

Options: ``--only ROW`` (repeatable), ``--reuse-running SERVER=URL`` (repeatable, or env
``LLMGW_MATRIX_REUSE="llama-server=URL litellm=URL"``) to judge servers already up instead of
installing and starting them, ``--model ROW=MODEL`` to name the model a reused server serves,
``--root DIR`` (env ``LLMGW_MATRIX_ROOT``, default /tmp/llmgw-matrix), ``--render-only``.
Exit 0 when every selected row was judged, 1 when one could not be, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.matrix.cache import Cache, InstallFailed
from tools.matrix.document import RowResult, render, tally
from tools.matrix.engines import SERVERS, Row, rows
from tools.matrix.hand_checks import HAND_CHECKS, BadHandChecks, load_hand_checks
from tools.matrix.how_checked import how_checked_text
from tools.matrix.processes import RunningServer, StartFailed, free_port, models_status, start_server
from tools.matrix.reports import read_report
from tools.matrix.suite_run import ROOT, EngineInfo, run_suite

REUSE_ENV = "LLMGW_MATRIX_REUSE"
DEFAULT_REPORTS = ROOT / "reports" / "matrix"
DEFAULT_OUT = ROOT / "docs" / "compatibility.md"


class Usage(Exception):
    """A bad option value; the message names it and the valid ones."""


def _pairs(entries: Sequence[str], what: str, valid: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in entries:
        name, sep, value = entry.partition("=")
        if not sep or not value.strip():
            raise Usage(f"{what} {entry!r}: expected NAME=VALUE with NAME one of {', '.join(valid)}")
        if name.strip() not in valid:
            raise Usage(f"{what} {entry!r}: unknown name {name.strip()!r}; valid: {', '.join(valid)}")
        out[name.strip()] = value.strip()
    return out


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.matrix", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="judge only this row (repeatable)")
    parser.add_argument("--reuse-running", action="append", default=[], metavar="SERVER=URL")
    parser.add_argument("--model", action="append", default=[], metavar="ROW=MODEL")
    parser.add_argument("--root", type=Path, help="install cache (env LLMGW_MATRIX_ROOT)")
    parser.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help="reports/matrix/<row>/")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the document (docs/compatibility.md)")
    parser.add_argument("--render-only", action="store_true", help="only re-render from existing reports")
    return parser.parse_args(argv)


class Servers:
    """The servers of one matrix run: reused URLs, and the ones this run started (stopped at the end)."""

    def __init__(self, cache: Cache, reused: dict[str, str], log_dir: Path) -> None:
        self.cache, self.reused, self.log_dir = cache, reused, log_dir
        self.started: dict[str, RunningServer] = {}
        self.installed: set[str] = set()

    def url(self, name: str) -> str:
        if name in self.reused:
            if models_status(self.reused[name]) is None:
                raise StartFailed(
                    f"--reuse-running {name}={self.reused[name]}: nothing answers GET /v1/models"
                )
            return self.reused[name]
        if name not in self.started:
            recipe = SERVERS[name]
            if name not in self.installed:
                print(f"install {recipe.title} into {self.cache.root}", flush=True)
                recipe.install(self.cache)
                self.installed.add(name)
            port = free_port()
            launch = recipe.launch(self.cache, port, self.backends())
            self.started[name] = start_server(
                name,
                launch.argv,
                port,
                env={**os.environ, **launch.env},
                cwd=launch.cwd,
                log=self.log_dir / f"{name}.server.log",
                timeout_s=launch.start_timeout_s,
            )
            print(f"started {name} on {self.started[name].base_url}", flush=True)
        return self.started[name].base_url

    def backends(self) -> dict[str, str]:
        return {**self.reused, **{n: s.base_url for n, s in self.started.items()}}

    def release(self, keep: set[str]) -> None:
        for name in [n for n in self.started if n not in keep]:
            self.started.pop(name).stop()
            print(f"stopped {name}", flush=True)


def judge_row(row: Row, servers: Servers, folder: Path) -> None:
    """Start (or reuse) the row's servers, ask the version, run the suite, write engine.json."""
    problem = folder / "problem.txt"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for needed in row.needs:
            servers.url(needed)
        url = servers.url(row.server)
    except (InstallFailed, StartFailed) as exc:
        problem.write_text(str(exc) + "\n", encoding="utf-8")
        print(f"{row.name}: not judged: {exc}", flush=True)
        return
    recipe = SERVERS[row.server]
    version = recipe.version(url, row.model)
    print(f"{row.name}: {recipe.title} {version} at {url}, model {row.model}; running the suite", flush=True)
    code, seconds, shown = run_suite(url, row.model, folder, row.suite_args)
    started = "reused (already running)" if row.server in servers.reused else "started by tools.matrix"
    EngineInfo(
        row.name,
        recipe.title,
        row.description,
        version,
        recipe.pinned,
        url,
        row.model,
        started,
        shown,
        code,
        seconds,
    ).write(folder)
    if (folder / "report.json").is_file():
        problem.unlink(missing_ok=True)
    else:
        problem.write_text(
            f"the suite wrote no report.json (exit {code}); see console.txt\n", encoding="utf-8"
        )
    print(f"{row.name}: suite exit {code} in {seconds:.0f} s; {folder}", flush=True)


def collect(all_rows: Sequence[Row], reports: Path) -> list[RowResult]:
    """Every row that has a folder under ``reports`` (this run's or an earlier one's)."""
    out = []
    for row in all_rows:
        folder = reports / row.name
        if not folder.is_dir():
            continue
        problem = (
            (folder / "problem.txt").read_text(encoding="utf-8").strip()
            if (folder / "problem.txt").is_file()
            else ""
        )
        try:
            report = None if problem else read_report(folder / "report.json")
        except (OSError, ValueError) as exc:
            report, problem = None, f"unreadable report.json ({exc})"
        out.append(RowResult(row.name, EngineInfo.read(folder), report, problem))
    return out


def suite_commit() -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "llmgw_conformance", "llmgw_contracts", "contracts")
    return head + (" + uncommitted suite changes" if dirty else "")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cache = Cache.from_env(args.root)
    try:
        names = [r.name for r in rows(cache)]
        models = _pairs(args.model, "--model", names)
        reuse = os.environ.get(REUSE_ENV, "").replace(",", " ").split() + list(args.reuse_running)
        reused = _pairs(reuse, "--reuse-running", list(SERVERS))
        unknown = [n for n in args.only if n not in names]
        if unknown:
            raise Usage(f"--only {unknown[0]!r}: valid rows: {', '.join(names)}")
        all_rows = rows(cache, models)
        checks = load_hand_checks(HAND_CHECKS, names)
    except (Usage, BadHandChecks) as exc:
        print(f"usage error: {exc}", file=sys.stderr)
        return 2
    selected = [r for r in all_rows if not args.only or r.name in args.only]
    if not args.render_only:
        servers = Servers(cache, reused, args.reports / "logs")
        try:
            for i, row in enumerate(selected):
                judge_row(row, servers, args.reports / row.name)
                later = {s for r in selected[i + 1 :] for s in (r.server, *r.needs)}
                servers.release(keep=later)
        finally:
            servers.release(keep=set())
    results = collect(all_rows, args.reports)
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = render(
        results, checks, generated=generated, suite_commit=suite_commit(), how_checked=how_checked_text()
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    counts = tally(results, checks)
    print(
        f"wrote {args.out}: {len(results)} engines; failures: {counts.deviations} deviations, "
        f"{counts.misfiled} misfiled deviations, {counts.suite_bugs} suite bugs, "
        f"{counts.unchecked} not checked by hand"
    )
    judged = {r.name for r in results if r.report is not None}
    return 0 if all(r.name in judged for r in selected) else 1


if __name__ == "__main__":
    sys.exit(main())
