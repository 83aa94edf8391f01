"""Report formats: JSON shape, JUnit that parses, HTML a person can read, and no secret anywhere."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from llmgw_conformance.redaction import Redactor
from llmgw_conformance.report import API_VERSION, KIND, write_reports

from .framework_servers import ServeApp, gateway_app
from .report_run import KEY, RESTRICTED, small_run


@pytest.fixture
def reports(serve_app: ServeApp, tmp_path: Path) -> dict[str, Path]:
    url = serve_app(gateway_app(echo_key=True))
    result = small_run(url)
    return write_reports(result, tmp_path / "out", Redactor.for_keys(KEY, RESTRICTED))


def test_json_report_shape(reports: dict[str, Path]) -> None:
    doc = json.loads(reports["json"].read_text())
    assert doc["apiVersion"] == API_VERSION and doc["kind"] == KIND
    assert doc["contract"]["hash"].startswith("sha256:") and doc["seed"] == 42
    assert doc["suite"]["version"] and doc["date"]
    assert doc["target"]["says"]["server"] == "uvicorn"
    assert doc["options"]["api_key"] == "[redacted]" and doc["options"]["max_tokens"] == 16
    assert doc["verdict"] == "fail" and doc["exit_code"] == 1
    (profile,) = doc["profiles"]
    assert profile["name"] == "openai-chat" and profile["result"] == "failure"
    assert profile["counts"]["MUST"]["failed"] == 2 and profile["counts"]["MUST"]["error"] == 1
    reqs = {r["id"]: r for r in doc["requirements"]}
    failed = reqs["CHAT-DONE-SENTINEL"]
    assert failed["outcome"] == "failed" and failed["level"] == "MUST" and failed["text"]
    finding = failed["findings"][0]
    assert finding["expected"] == "one data: [DONE] event"
    exchange = finding["exchanges"][0]
    assert exchange["transcript"]["events"] and '"max_tokens":16' in exchange["request_body"]
    assert failed["reproduction"]["curl"].startswith("curl -sS -N -X POST")
    assert failed["reproduction"]["command"].endswith("--check chat-stream --profile openai-chat --seed 42")
    assert reqs["OAI-MODELS-LIST"]["outcome"] == "error"
    assert doc["suite_errors"][0]["check"] == "crash" and "ValueError" in doc["suite_errors"][0]["traceback"]
    assert "RESP-SCHEMA" in doc["requirements_without_check"] or doc["requirements_without_check"] == []


def test_junit_parses_with_one_testcase_per_requirement(reports: dict[str, Path]) -> None:
    root = ET.parse(reports["junit"]).getroot()
    doc = json.loads(reports["json"].read_text())
    cases = root.findall(".//testcase")
    assert len(cases) == len(doc["requirements"])
    by_name = {c.get("name", "").split(" ")[0]: c for c in cases}
    failure = by_name["CHAT-DONE-SENTINEL"].find("failure")
    assert failure is not None and "reproduce: llm-gateway-conformance run" in (failure.text or "")
    assert by_name["CHAT-DONE-SENTINEL"].get("classname") == "openai-chat"
    assert by_name["OAI-MODELS-LIST"].find("error") is not None
    assert by_name["CHAT-ROLE-FIRST"].find("skipped") is not None
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "2"


def test_no_secret_in_any_report(reports: dict[str, Path]) -> None:
    for path in reports.values():
        text = path.read_text()
        assert KEY not in text and RESTRICTED not in text, path.name
    assert "[redacted]" in reports["json"].read_text()


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "headless_shell"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_html_shows_summary_then_failures_with_curl(reports: dict[str, Path]) -> None:
    browser = _chromium()
    assert browser is not None, "headless Chromium is needed: `make browser` installs it"
    # What a reader sees: the DOM after the browser parsed the page.
    html = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", reports["html"].as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert html.index('id="summary"') < html.index('id="failures"') < html.index('id="all"')
    assert "Verdict: FAIL" in html
    assert "CHAT-DONE-SENTINEL" in html and "curl -sS -N -X POST" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "reproduce" in html.lower()


def test_json_report_matches_its_published_schema(reports: dict[str, Path]) -> None:
    import yaml
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    from llmgw_conformance.report.document import REPORT_SCHEMA

    schema = yaml.safe_load(REPORT_SCHEMA.read_text())
    Draft202012Validator.check_schema(schema)
    doc = json.loads(reports["json"].read_text())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(schema).iter_errors(doc)]
    assert errors == []
    # The schema can fail: a report with the key in a header is rejected.
    doc["requirements"][0]["findings"] = [
        {
            "check": "x",
            "outcome": "failed",
            "message": "",
            "expected": None,
            "received": None,
            "shrunk_request": None,
            "exchanges": [
                {
                    "method": "GET",
                    "url": "u",
                    "request_headers": {"authorization": "Bearer sk-live"},
                    "request_body": None,
                    "status": 200,
                    "response_headers": {},
                    "response_body": None,
                    "elapsed_s": 0.1,
                    "curl": "curl -sS",
                }
            ],
        }
    ]
    assert not Draft202012Validator(schema).is_valid(doc)
