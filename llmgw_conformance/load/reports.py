"""Writing a load run's report.json, junit.xml and report.html with the normal report writers.

Why not a writer of its own: the three files must be those of a normal run (same schema, same
JUnit, same HTML) so every gate that reads them works; the load run only adds ``load`` to the JSON
document and its section (:mod:`.html_section`) to the HTML, after the redactor ran on both.
"""

from __future__ import annotations

from pathlib import Path

from llmgw_conformance.load.figures import load_document
from llmgw_conformance.load.html_section import render_section
from llmgw_conformance.load.session import LoadRun
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.report import build_document
from llmgw_conformance.report.writer import rendered_reports, write_report_files
from llmgw_conformance.results import RunResult


def write_load_reports(
    result: RunResult, run: LoadRun, report_dir: Path, redactor: Redactor
) -> dict[str, Path]:
    report_dir.mkdir(parents=True, exist_ok=True)
    doc = redactor.deep(build_document(result))
    doc["load"] = redactor.deep(load_document(run))
    texts = rendered_reports(doc)
    html, section = texts["html"], render_section(doc["load"])
    texts["html"] = html.replace("</body>", section + "\n</body>", 1) if "</body>" in html else html + section
    return write_report_files(texts, report_dir, redactor)
