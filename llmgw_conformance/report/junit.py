"""``junit.xml``: one testcase per requirement, for CI systems that already read JUnit.

Why per requirement and not per check: the requirement is what a release gate decides on, and its
id is stable across suite versions, so CI history lines up. ``classname`` is the requirement's first
selected profile; failed requirements carry the message, expected/received and the replay commands,
skipped and not-supported ones are ``<skipped>``, errors are ``<error>`` (the suite's own fault).
Each testcase carries its ``time`` (see :func:`requirement_times`).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

# Characters XML 1.0 cannot hold (a hostile target's bytes end up in messages): shown escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with characters XML 1.0 forbids replaced by ``\\uXXXX`` escapes."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _failure_text(req: dict[str, Any]) -> str:
    lines = [f"{req['id']} ({req['level']}): {req['text']}"]
    for finding in req["findings"]:
        if finding["outcome"] != req["outcome"]:
            continue
        lines.append(f"[{finding['check']}] {finding['message']}")
        if finding["expected"] is not None:
            lines.append(f"  expected: {finding['expected']}")
        if finding["received"] is not None:
            lines.append(f"  received: {finding['received']}")
        for exchange in finding["exchanges"]:
            if exchange.get("curl"):
                lines.append(f"  curl: {exchange['curl']}")
    lines.append(f"reproduce: {req['reproduction']['command']}")
    return "\n".join(lines)


def requirement_times(doc: dict[str, Any]) -> dict[str, float]:
    """Seconds per requirement: each check's time shared evenly by the reported requirements it covers.

    Why shared and not the whole check time for each: a check judging three requirements runs once,
    and CI adds the testcase times up; shared, they add up to the time the checks really took.
    Requirements decided without running anything (not supported, no check) take 0 s.
    """
    reported = {r["id"] for r in doc["requirements"]}
    times = dict.fromkeys(reported, 0.0)
    for check in doc["checks"]:
        mine = [r for r in check.get("requirements", ()) if r in reported]
        for req_id in mine:
            times[req_id] += float(check.get("duration_s") or 0.0) / len(mine)
    return times


def render_junit(doc: dict[str, Any]) -> str:
    """The JUnit XML text of a report document."""
    selected = doc["summary"]["profiles"]
    reqs = doc["requirements"]
    suites = ET.Element("testsuites", name="conformance")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=xml_safe(f"conformance {doc['target']['url']}"),
        tests=str(len(reqs)),
        failures=str(sum(r["outcome"] == "failed" for r in reqs)),
        errors=str(sum(r["outcome"] == "error" for r in reqs)),
        skipped=str(sum(r["outcome"] in ("skipped", "not_supported") for r in reqs)),
        time=f"{doc['duration_s']:.3f}",
        timestamp=doc["date"],
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("contract_hash", doc["contract"]["hash"]),
        ("seed", str(doc["seed"])),
        ("suite_version", doc["suite"]["version"]),
        ("verdict", doc["verdict"]),
    ):
        ET.SubElement(props, "property", name=name, value=value)
    times = requirement_times(doc)
    for req in reqs:
        profile = next((p for p in req["profiles"] if p in selected), req["profiles"][0])
        case = ET.SubElement(
            suite,
            "testcase",
            classname=profile,
            name=f"{req['id']} ({req['level']})",
            time=f"{times[req['id']]:.3f}",
        )
        outcome = req["outcome"]
        if outcome == "failed":
            node = ET.SubElement(case, "failure", message=xml_safe(req["summary"]), type=req["level"])
            node.text = xml_safe(_failure_text(req))
        elif outcome == "error":
            node = ET.SubElement(case, "error", message=xml_safe(req["summary"]), type="suite_error")
            node.text = xml_safe(_failure_text(req))
        elif outcome in ("skipped", "not_supported"):
            ET.SubElement(case, "skipped", message=xml_safe(f"{outcome}: {req['summary']}"))
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
