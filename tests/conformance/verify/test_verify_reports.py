"""Reports as the suite writes them verify: a passing run, a run against a fault mode (its failures
kept and re-judged), and a ``--check`` rerun; usage errors exit 2; the CLI says what it checked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from llmgw_conformance.cli import main
from llmgw_conformance.contract import load_contract
from llmgw_conformance.verify.command import verify_document
from llmgw_conformance.verify.digest import content_digest
from llmgw_conformance.verify.outcome import CONSISTENCY, REJUDGED

from .conftest import FAULT_BREAKS
from .tampering import load, requirement


def test_fresh_report_is_sealed_and_verifies(fresh_report: Path) -> None:
    doc = load(fresh_report)
    assert doc["digest"]["value"] == content_digest(doc)
    stream = requirement(doc, "NAT-TERMINAL-ONCE")["findings"][0]["exchanges"][0]["transcript"]
    assert stream["stream_truncated"] is False and "event: end" in stream["stream"]
    out = verify_document(doc, load_contract())
    assert out.discrepancies == []
    assert out.checked["NAT-TERMINAL-ONCE"][0] == REJUDGED
    assert out.checked["SSE-FRAMING-VALID"][0] == REJUDGED
    # Timing rules cannot be proven from bytes: said so, not silently accepted.
    assert out.checked["SSE-NO-STALL"][0] == CONSISTENCY


def test_fault_report_verifies_with_its_failures(fault_report: Path) -> None:
    doc = load(fault_report)
    assert doc["verdict"] == "fail" and FAULT_BREAKS in doc["summary"]["must_failed"]
    out = verify_document(doc, load_contract())
    assert out.discrepancies == []
    assert out.checked[FAULT_BREAKS][0] == REJUDGED


def test_failures_reported_by_checks_that_do_not_declare_them_verify(undeclared_fault_report: Path) -> None:
    doc = load(undeclared_fault_report)
    error_event = requirement(doc, "CHAT-ERROR-EVENT")
    assert error_event["outcome"] == "failed"
    declared = {c["name"]: c["requirements"] for c in doc["checks"]}
    reporters = {f["check"] for f in error_event["findings"] if f["outcome"] == "failed"}
    assert any("CHAT-ERROR-EVENT" not in declared[name] for name in reporters), reporters
    out = verify_document(doc, load_contract())
    assert out.discrepancies == []
    # Its recorded streams were judged again (CHAT-ERROR-EVENT is no grammar rule verify re-derives).
    assert out.checked["CHAT-ERROR-EVENT"][0] == CONSISTENCY


def test_rerun_report_verifies(rerun_report: Path) -> None:
    doc = load(rerun_report)
    tasks = next(p for p in doc["profiles"] if p["name"] == "tasks")
    assert tasks["result"] == "partial"
    assert verify_document(doc, load_contract()).discrepancies == []


def test_cli_verify_exit_codes_and_output(fresh_report: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "llmgw_conformance", "verify", str(fresh_report), "--details"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert ": VERIFIED" in done.stdout
    assert "NAT-TERMINAL-ONCE" in done.stdout and "re-judged" in done.stdout
    edited = json.loads(fresh_report.read_text(encoding="utf-8"))
    edited["target"]["url"] = "http://elsewhere.invalid"
    path = tmp_path / "report.json"
    path.write_text(json.dumps(edited), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "llmgw_conformance", "verify", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "NOT VERIFIED" in done.stdout and "[digest]" in done.stdout


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (None, "report path"),
        ("{not json", "JSON"),
        (json.dumps({"apiVersion": "v9", "kind": "Something"}), "ConformanceReport"),
        (json.dumps([1, 2]), "ConformanceReport"),
    ],
    ids=["missing", "not-json", "not-a-report", "not-an-object"],
)
def test_usage_errors_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, says: str
) -> None:
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert "usage error" in err and says in err
