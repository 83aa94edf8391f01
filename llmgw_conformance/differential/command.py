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

import datetime as dt
import json
from pathlib import Path
from typing import Any

from llmgw_conformance import __version__
from llmgw_conformance.differential.rendering import html_document, junit_document
from llmgw_conformance.differential.result import DifferentialResult
from llmgw_conformance.differential.runner import Progress, run_differential
from llmgw_conformance.options import SuiteOptions
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
