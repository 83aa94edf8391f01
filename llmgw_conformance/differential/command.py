"""``llm-gateway-conformance compare TARGET OTHER``: a differential run on its own, and its files.

Why a subcommand besides ``run --compare``: comparing a gateway with its worker, or a release
candidate with the running release, is a question of its own that needs no conformance run (and
none of its minutes); ``compare`` answers only it. ``run --compare OTHER`` adds the same section to a
normal run's report. Both write the same section; alone, ``report.json`` is a ``DifferentialReport``
(schema: ``contracts/report.schema.yaml`` ``$defs/differential_report``).

Exit codes: 0 no difference the rule fails on; 1 a difference the rule (``--compare-fail-on``) fails
on; 2 usage error; 3 a target could not be judged (down, not HTTP, key refused).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from llmgw_conformance import __version__
from llmgw_conformance.differential.rendering import html_document, junit_document
from llmgw_conformance.differential.result import DifferentialResult
from llmgw_conformance.differential.runner import Progress, run_differential
from llmgw_conformance.options import SuiteOptions, build_options, help_with_default
from llmgw_conformance.redaction import Redactor

API_VERSION = "conformance.llm-gateway/v1"
KIND = "DifferentialReport"


def redactor_of(options: SuiteOptions, base: Redactor) -> Redactor:
    """The run's redactor plus the comparison target's key."""
    if not options.compare_api_key:
        return base
    return Redactor({options.compare_api_key: "$COMPARE_API_KEY", **base.named})


def compare_with(
    options: SuiteOptions, redactor: Redactor, progress: Progress | None = None
) -> DifferentialResult:
    """The differential run of ``options.target`` against ``options.compare``."""
    if not options.compare:
        raise ValueError("compare_with needs options.compare")
    return run_differential(
        options, options.compare, options.compare_api_key, options.compare_fail_on, redactor, progress
    )


def standalone_document(result: DifferentialResult, options: SuiteOptions) -> dict[str, Any]:
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "suite": {"name": "llm-gateway-conformance", "version": __version__},
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "options": options.to_report(),
        "exit_code": result.exit_code,
        "differential": result.doc(),
    }


def write_standalone(
    result: DifferentialResult, options: SuiteOptions, redactor: Redactor
) -> dict[str, Path]:
    """report.json, junit.xml and report.html of a ``compare`` run (redacted), plus their copies."""
    doc = redactor.deep(standalone_document(result, options))
    texts = {
        "json": ("report.json", json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"),
        "junit": ("junit.xml", junit_document(doc["differential"])),
        "html": ("report.html", html_document(doc["differential"])),
    }
    copies = {"json": options.json_report, "junit": options.junit_report, "html": options.html_report}
    options.report_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for kind, (name, text) in texts.items():
        for path in (options.report_dir / name, copies[kind]):
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(redactor.text(text), encoding="utf-8")
                paths.setdefault(kind, path)
    return paths


def summary_lines(result: DifferentialResult) -> list[str]:
    """What the terminal shows at the end: one line per request that differs, then the verdict."""
    doc = result.doc()
    lines = []
    for request in doc["requests"]:
        if not request["differing"]:
            continue
        first = request["first_difference"]
        where = (
            f"; first differing {first['unit']} #{first['index']}: {first['target']!r} vs {first['other']!r}"
            if first
            else ""
        )
        mark = "FAIL" if request["fails"] else "diff"
        lines.append(f"  {mark} {request['name']}: {', '.join(request['differing'])}{where}")
    for skipped in doc["skipped"]:
        lines.append(f"  not compared: {skipped['surface']} ({skipped['reason']})")
    if doc["unusable"]:
        lines.append(f"  nothing compared: {doc['unusable']}")
    summary = doc["summary"]
    lines.append(
        f"differential {doc['target']} vs {doc['other']}: {doc['verdict'].upper()} ({summary['requests']} "
        f"requests, {summary['different']} different, {summary['failing']} failing --compare-fail-on "
        f"{doc['fail_on']})"
    )
    return lines


def compare_redactor(options: SuiteOptions) -> Redactor:
    """The run's redactor (both keys, secret ``-H`` values) for a run with ``--compare``."""
    from llmgw_conformance.runner import redactor_for

    return redactor_of(options, redactor_for(options))


def differential_beside(options: SuiteOptions, line: Progress) -> DifferentialResult | None:
    """``run --compare OTHER``: the differential run after the conformance run (None without it)."""
    if not options.compare:
        return None
    line(f"differential run against {options.to_report()['compare']} ...")
    return compare_with(options, compare_redactor(options), progress=line)


#: Options of ``compare TARGET OTHER`` (the rest of a run's options do not apply to it).
COMPARE_OPTIONS = (
    "api_key",
    "compare_api_key",
    "compare_fail_on",
    "seed",
    "report_dir",
    "model",
    "connect_timeout_s",
    "read_timeout_s",
    "idle_gap_s",
    "stream_budget_s",
    "max_events",
    "max_bytes",
    "max_tokens",
    "run_budget_s",
    "json_report",
    "junit_report",
    "html_report",
)
#: (flag, option name, help) as the CLI lists them.
Flags = Sequence[tuple[str, str, str]]


def add_compare_parser(sub: Any, flags: Flags) -> None:
    """``compare TARGET OTHER`` with the run's flags that apply to it (same names, same defaults)."""
    compare = sub.add_parser(
        "compare",
        help="send one seeded request set to two targets and report every difference",
        epilog="exit codes: 0 no difference the rule fails on; 1 a difference the rule fails on; 2 usage "
        "error; 3 a target could not be judged\nenvironment: LLMGW_API_KEY, LLMGW_COMPARE_API_KEY, "
        "LLMGW_COMPARE_FAIL_ON, LLMGW_SEED, ... as for run",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("target", help="base URL of the target (the gateway, or the release candidate)")
    compare.add_argument("other", help="base URL of the comparison target (the worker, or the release)")
    compare.add_argument("-H", "--header", dest="headers", action="append", default=None, help="sent to both")
    compare.add_argument("--config", default=None, help="TOML settings file (see run --help)")
    for flag, name, text in flags:
        if name in COMPARE_OPTIONS:
            compare.add_argument(flag, dest=name, default=None, help=help_with_default(name, text))


def cmd_compare(args: argparse.Namespace, flags: Flags, check_report_dir: Callable[[Path], None]) -> int:
    """The differential run alone: both targets, the reports, the verdict's exit code."""
    from llmgw_conformance.config_file import load_config

    names = {flag.lstrip("-"): name for flag, name, _ in flags}
    explicit = {name: getattr(args, name) for name in COMPARE_OPTIONS}
    explicit.update(target=args.target, compare=args.other, headers=args.headers)
    options = build_options(explicit, os.environ, load_config(args.config, names))
    check_report_dir(options.report_dir)
    redactor = compare_redactor(options)
    result = compare_with(options, redactor, progress=lambda line: print(redactor.text(line), flush=True))
    paths = write_standalone(result, options, redactor)
    for line in summary_lines(result):
        print(redactor.text(line))
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    return result.exit_code
