"""The HTML report of a run with ten failures, as a reader's browser shows it (headless Chromium).

What a reader needs from a long report: it opens on the summary with a contents list that links each
failure; every in-page link lands somewhere; evidence (exchanges, stream transcripts) is collapsed
until opened, so ten failures do not bury each other; each failure leads back to the contents.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from llmgw_conformance.context import CheckContext
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.registry import CheckSpec
from llmgw_conformance.report import write_reports
from llmgw_conformance.report.document import REPORT_SCHEMA, REPORT_SCHEMA_ID
from llmgw_conformance.runner import run_suite
from llmgw_contracts import contracts_dir
from tests.conformance.framework.framework_servers import ServeApp, gateway_app

KEY = "sk-report-nav-0123456789"
FAILING = [
    "SSE-CONTENT-TYPE", "SSE-FRAMING-VALID", "SSE-DATA-JSON", "SSE-NO-UNKNOWN-FIELDS", "SSE-STREAM-ENDS",
    "RESP-SCHEMA", "OAI-ERROR-SHAPE", "CHAT-DONE-SENTINEL", "CHAT-ROLE-FIRST", "CHAT-FINISH-VALUE",
]  # fmt: skip


def _failing_check(req_id: str, number: int) -> CheckSpec:
    message = f"deliberate failure #{number}"
    if number == len(FAILING):  # a long report of many cases, as the invalid-request check writes
        message += ": 200 cases\n" + "\n".join(f"case {i}: broke" for i in range(200))

    def check(ctx: CheckContext) -> None:
        result = ctx.stream("POST", "/v1/chat/completions", json={"model": "tiny", "stream": True})
        ctx.failed(req_id, message, expected="e", received="r", exchanges=[result.exchange])

    return CheckSpec(f"fail-{number:02d}", (req_id,), ("openai-chat",), (), check, "")


def _passing_check(ctx: CheckContext) -> None:
    ctx.passed("OAI-MODELS-LIST", "listed")


REGISTRY = {s.name: s for s in [_failing_check(r, i) for i, r in enumerate(FAILING, start=1)]}
REGISTRY["pass"] = CheckSpec("pass", ("OAI-MODELS-LIST",), ("openai-chat",), (), _passing_check, "")


class _Page(HTMLParser):
    """Ids, in-page links, open <details>, and where the contents list links, from a parsed DOM."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.contents_links: list[str] = []
        self.open_details = 0
        self.transcripts = 0
        self._in_nav = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "nav" and found.get("id") == "contents":
            self._in_nav = True
        href = found.get("href") or ""
        if tag == "a" and href.startswith("#"):
            self.links.append(href[1:])
            if self._in_nav:
                self.contents_links.append(href[1:])
        if tag == "details" and "open" in found:
            self.open_details += 1
        if tag == "pre" and "transcript" in (found.get("class") or ""):
            self.transcripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._in_nav = False


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "headless_shell"):
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError("headless Chromium is needed: `make browser` installs it")


def _browser(*args: str) -> subprocess.CompletedProcess[str]:
    base = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    return subprocess.run([*base, *args], capture_output=True, text=True, timeout=90, check=True)


@pytest.fixture
def report(serve_app: ServeApp, tmp_path: Path) -> dict[str, Path]:
    options = SuiteOptions(target=serve_app(gateway_app()), api_key=KEY, profiles=("openai-chat",))
    result = run_suite(options, registry=REGISTRY)
    return write_reports(result, tmp_path / "out", Redactor.for_keys(KEY))


def test_ten_failures_are_linked_from_the_contents_and_collapsed(report: dict[str, Path]) -> None:
    dom = _browser("--dump-dom", report["html"].as_uri()).stdout
    page = _Page()
    page.feed(dom)
    assert dom.index('id="summary"') < dom.index('id="contents"') < dom.index('id="failures"')
    failure_links = [link for link in page.contents_links if link.startswith("req-")]
    assert failure_links == [f"req-{r}" for r in sorted(FAILING)]
    unresolved = sorted(set(page.links) - set(page.ids))
    assert unresolved == [] and len(page.ids) == len(set(page.ids))
    # Every failure leads back to the contents; evidence stays folded until the reader opens it.
    assert page.links.count("contents") == len(FAILING)
    assert page.open_details == 0 and page.transcripts == len(FAILING)
    assert "10 MUST failed" in dom and "deliberate failure #10" in dom and KEY not in dom
    # A long message: one line in the contents and the list, the whole of it once, collapsed.
    contents = dom[dom.index('id="contents"') : dom.index("</nav>")]
    assert "deliberate failure #10: 200 cases" in contents and "case 0: broke" not in contents
    assert dom.count("case 199: broke") == 1


def test_the_first_screen_is_the_summary_not_a_blank_page(report: dict[str, Path], tmp_path: Path) -> None:
    # A screenshot is what was looked at by hand; here it must at least not be blank: a blank page's
    # screenshot, taken the same way, is the baseline. (Headless screenshots of a URL with a #fragment
    # come out blank in this Chromium, so landing on an anchor is proven by the DOM test above.)
    shot, blank = tmp_path / "report.png", tmp_path / "blank.png"
    (tmp_path / "blank.html").write_text("<!DOCTYPE html><html><body></body></html>")
    _browser(f"--screenshot={shot}", "--window-size=1280,900", report["html"].as_uri())
    _browser(f"--screenshot={blank}", "--window-size=1280,900", (tmp_path / "blank.html").as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 5 * blank.stat().st_size


def test_report_json_names_its_shipped_schema_and_junit_cases_carry_time(report: dict[str, Path]) -> None:
    import xml.etree.ElementTree as ET

    import yaml

    doc = json.loads(report["json"].read_text())
    schema = yaml.safe_load(REPORT_SCHEMA.read_text())
    assert doc["$schema"] == REPORT_SCHEMA_ID == schema["$id"]
    # The schema ships with the contract files, read through their one loader (installed or checkout).
    assert contracts_dir() / "report.schema.yaml" == REPORT_SCHEMA and REPORT_SCHEMA.is_file()
    times = {
        c.get("name", "").split(" ")[0]: float(c.get("time", "-1"))
        for c in ET.parse(report["junit"]).iter("testcase")
    }
    assert all(t >= 0 for t in times.values()) and len(times) == len(doc["requirements"])
    checks = {c["name"]: c["duration_s"] for c in doc["checks"]}
    # One check per failing requirement: its testcase carries that check's time.
    assert times["SSE-CONTENT-TYPE"] == pytest.approx(checks["fail-01"], abs=0.001) and checks["fail-01"] > 0
    assert sum(times.values()) == pytest.approx(sum(checks.values()), abs=0.01)


def test_caused_by_links_how_decided_and_an_early_stop_are_shown(
    report: dict[str, Path], tmp_path: Path
) -> None:
    from llmgw_conformance.report.writer import render_html

    doc = json.loads(report["json"].read_text())
    by_id = {r["id"]: r for r in doc["requirements"]}
    consequence = by_id["RESP-SCHEMA"]["findings"][0]
    consequence["caused_by"] = {
        "requirement_id": "CHAT-FINISH-VALUE",
        "check": "fail-10",
        "message": "no key",
    }
    doc["profiles"][0]["decided"] = {"how": "probed", "supported": True, "evidence": "POST /v1/chat 200"}
    doc["stopped"] = {"reason": "target_unusable", "message": "target unusable: 3 exchanges unanswered"}
    page_path = tmp_path / "caused.html"
    page_path.write_text(render_html(doc))
    dom = _browser("--dump-dom", page_path.as_uri()).stdout
    page = _Page()
    page.feed(dom)
    assert sorted(set(page.links) - set(page.ids)) == []
    assert page.links.count("req-CHAT-FINISH-VALUE") >= 3  # contents, the failure's cause, the list
    assert "Caused by" in dom and "probed; supported: True; evidence: POST /v1/chat 200" in dom
    assert "The run stopped early" in dom and "3 exchanges unanswered" in dom
