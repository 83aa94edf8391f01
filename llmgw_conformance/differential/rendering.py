"""The differential section in junit.xml and report.html (its own template, beside the report's).

Why separate from :mod:`llmgw_conformance.report`: the section is rendered from its own document
(:meth:`~llmgw_conformance.differential.result.DifferentialResult.doc`) and only appended to the
report's files, so the conformance report's templates stay as they are and a ``compare`` run without
a conformance run renders the same section on its own page.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jinja2

_TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The junit ``classname`` of every differential testcase.
CLASSNAME = "differential"


def _failure_text(request: dict[str, Any]) -> str:
    lines = [f"{request['name']}: differs in {', '.join(request['differing'])}"]
    first = request["first_difference"]
    if first is not None:
        lines.append(
            f"first differing {first['unit']} #{first['index']}: {first['target']!r} vs {first['other']!r}"
        )
    for side in ("target", "other"):
        doc = request[side]
        lines.append(
            f"{side}: status {doc['status']}, finish {doc['finish_reason']}, tokens {doc['token_count']}, "
            f"usage {json.dumps(doc['usage'])}, shape {doc['stream_shape']}"
            + (f", problem: {doc['problem']}" if doc["problem"] else "")
        )
        if doc["curl"]:
            lines.append(f"  curl: {doc['curl']}")
    return "\n".join(lines)


def junit_suite(section: dict[str, Any]) -> ET.Element:
    """One ``<testsuite name="differential">``: a testcase per request (failure when the rule fails it;
    a difference the rule lets pass is in ``system-out``), or one error when nothing was compared."""
    requests = section["requests"]
    suite = ET.Element(
        "testsuite",
        name="differential",
        tests=str(max(1, len(requests))),
        failures=str(sum(1 for r in requests if r["fails"])),
        errors="1" if section["verdict"] == "unusable" else "0",
        skipped="0",
        time=f"{section['duration_s']:.3f}",
    )
    if section["verdict"] == "unusable":
        case = ET.SubElement(suite, "testcase", classname=CLASSNAME, name="comparison", time="0")
        ET.SubElement(case, "error", message=section["unusable"][:500]).text = section["unusable"]
        return suite
    for request in requests:
        case = ET.SubElement(suite, "testcase", classname=CLASSNAME, name=request["name"], time="0")
        if request["fails"]:
            message = f"differs in {', '.join(request['differing'])} (--compare-fail-on {section['fail_on']})"
            ET.SubElement(case, "failure", message=message).text = _failure_text(request)
        elif request["differing"]:
            ET.SubElement(case, "system-out").text = _failure_text(request)
    return suite


def with_junit_suite(junit_text: str, section: dict[str, Any]) -> str:
    """The report's junit.xml with the differential testsuite added to its ``<testsuites>``."""
    root = ET.fromstring(junit_text)
    root.append(junit_suite(section))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def junit_document(section: dict[str, Any]) -> str:
    """junit.xml of a ``compare`` run on its own."""
    root = ET.Element("testsuites", name="differential")
    root.append(junit_suite(section))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html_section(section: dict[str, Any]) -> str:
    """The ``<section id="differential">`` of the HTML report."""
    return _environment().get_template("differential_section.html.j2").render(d=section)


def with_html_section(html_text: str, section: dict[str, Any]) -> str:
    """The report's HTML with the differential section before ``</body>`` (appended if none)."""
    block = html_section(section)
    marker = html_text.rfind("</body>")
    return html_text + block if marker < 0 else html_text[:marker] + block + html_text[marker:]


def html_document(section: dict[str, Any]) -> str:
    """report.html of a ``compare`` run on its own."""
    return _environment().get_template("differential_page.html.j2").render(d=section)
