"""Report writers: ``report.json`` (the submittable record), ``junit.xml`` (CI) and ``report.html`` (people).

All three are rendered from one JSON-ready document (:func:`llmgw_conformance.report.document.build_document`)
so they can never disagree, and each file's text passes through the run's redactor before it is
written: a key the target echoed, or a check put in a message, never reaches a file.
"""

from __future__ import annotations

from llmgw_conformance.report.document import API_VERSION, KIND, build_document
from llmgw_conformance.report.writer import write_reports

__all__ = ["API_VERSION", "KIND", "build_document", "write_reports"]
