"""Writes ``report.json``, ``junit.xml`` and ``report.html`` into the report folder, redacted.

Why redaction happens again here, on the final text: evidence is redacted when it is recorded, but
a finding message, a traceback or a target's self-description could still carry a key; scrubbing
the rendered files is the last line that guarantees no secret reaches disk.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.report.document import build_document
from llmgw_conformance.report.junit import render_junit
from llmgw_conformance.results import RunResult
from llmgw_conformance.verify.digest import with_digest

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The file each kind of report is written to in the report folder.
REPORT_FILES: dict[str, str] = {"json": "report.json", "junit": "junit.xml", "html": "report.html"}


def render_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def render_html(doc: dict[str, Any]) -> str:
    """The HTML report: a summary with a contents list linking each failure, then the failures with
    their evidence (exchanges and transcripts collapsed until opened), then every requirement."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    failed = [r for r in doc["requirements"] if r["outcome"] == "failed"]
    failed.sort(key=lambda r: (r["level"] != "MUST", r["id"]))
    by_id = {r["id"]: r for r in doc["requirements"]}
    return env.get_template("report.html.j2").render(
        doc=doc, failed=failed, by_id=by_id, outcomes=[o.value for o in Outcome]
    )


def write_reports(
    run: RunResult, report_dir: Path, redactor: Redactor, sections: Mapping[str, Any] | None = None
) -> dict[str, Path]:
    """Write the three files (creating ``report_dir``); return their paths by kind.

    ``sections`` are extra top-level sections of report.json (``differential``: a differential run
    beside this one, shown in junit and HTML by llmgw_conformance.differential.rendering)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    # Sealed after redaction, as plain JSON values: the digest covers exactly what the file holds.
    document = {**build_document(run), **(sections or {})}
    doc = with_digest(json.loads(redactor.text(render_json(redactor.deep(document)))))
    texts = rendered_reports(doc)
    if "differential" in doc:
        from llmgw_conformance.differential.rendering import with_html_section, with_junit_suite

        texts["junit"] = with_junit_suite(texts["junit"], doc["differential"])
        texts["html"] = with_html_section(texts["html"], doc["differential"])
    return write_report_files(texts, report_dir, redactor)


def rendered_reports(doc: dict[str, Any]) -> dict[str, str]:
    """The text of each kind of report (:data:`REPORT_FILES`) of one report document."""
    return {"json": render_json(doc), "junit": render_junit(doc), "html": render_html(doc)}


def write_report_files(texts: Mapping[str, str], report_dir: Path, redactor: Redactor) -> dict[str, Path]:
    """Write each kind's text to its file in ``report_dir``, scrubbed once more; return the paths by kind.

    Shared by the normal run and the load run, so both write the same files the same way."""
    paths: dict[str, Path] = {}
    for kind, text in texts.items():
        path = report_dir / REPORT_FILES[kind]
        path.write_text(redactor.text(text), encoding="utf-8")
        paths[kind] = path
    return paths
