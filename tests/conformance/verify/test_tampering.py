"""Each kind of tampering is caught and named: edited verdicts, removed or changed evidence, a profile
claimed without its MUSTs, a digest that does not match, a contract the suite does not know."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llmgw_conformance.cli import main
from llmgw_conformance.contract import load_contract
from llmgw_conformance.sse import escape_bytes
from llmgw_conformance.verify.command import verify_document
from llmgw_conformance.verify.digest import with_digest
from llmgw_conformance.verify.evidence import recorded_stream

from .conftest import FAULT_BREAKS
from .tampering import load, recount, requirement, save


def discrepancies(doc: dict[str, Any]) -> list[str]:
    return [d.line() for d in verify_document(doc, load_contract()).discrepancies]


def test_failed_verdict_edited_to_passed_is_caught(fault_report: Path) -> None:
    doc = load(fault_report)
    requirement(doc, FAULT_BREAKS)["outcome"] = "passed"
    found = discrepancies(with_digest(doc))
    assert any(f"[verdict] requirements[{FAULT_BREAKS}]: outcome is 'passed'" in d for d in found)
    assert all(d.startswith("[verdict]") for d in found)


def test_failed_verdict_turned_into_passed_and_recounted_is_caught_by_its_evidence(
    fault_report: Path,
) -> None:
    doc = load(fault_report)
    for finding in requirement(doc, FAULT_BREAKS)["findings"]:
        finding["outcome"] = "passed"
    doc = recount(doc)
    assert requirement(doc, FAULT_BREAKS)["outcome"] == "passed"
    found = discrepancies(doc)
    assert any(
        d.startswith(f"[verdict] requirements[{FAULT_BREAKS}].findings[0].exchanges[0]")
        and "terminal_exactly_once" in d
        for d in found
    ), found
    assert not any(d.startswith("[counts]") or d.startswith("[digest]") for d in found)


def test_passed_verdict_turned_into_failed_is_caught(fresh_report: Path) -> None:
    doc = load(fresh_report)
    for finding in requirement(doc, "NAT-TOKEN-INDEX")["findings"]:
        # Made to look like a judge's failure (its headline), as a forger would write it.
        finding.update(outcome="failed", message="native task: event #3: [sequences:token.i] `token.i` is 5")
    found = discrepancies(recount(doc))
    assert any("failed, but none of its recorded streams breaks NAT-TOKEN-INDEX" in d for d in found), found


def test_removed_evidence_is_caught(fresh_report: Path) -> None:
    doc = load(fresh_report)
    for finding in requirement(doc, "NAT-TERMINAL-ONCE")["findings"]:
        finding["exchanges"] = []
    found = discrepancies(with_digest(doc))
    assert any("[evidence] requirements[NAT-TERMINAL-ONCE].findings[0]" in d for d in found), found
    for finding in requirement(doc, "NAT-TERMINAL-ONCE")["findings"]:
        finding["exchanges_kept"] = 0
    found = discrepancies(with_digest(doc))
    assert found == [
        "[evidence] requirements[NAT-TERMINAL-ONCE]: "
        "passed, but no recorded stream is left to judge it again from"
    ]


def test_transcript_edited_to_break_terminal_once_is_caught(fresh_report: Path) -> None:
    doc = load(fresh_report)
    transcript = requirement(doc, "NAT-TERMINAL-ONCE")["findings"][0]["exchanges"][0]["transcript"]
    raw = recorded_stream(transcript)
    assert raw is not None
    transcript["stream"] = escape_bytes(raw + raw[raw.rindex(b"event: end") :])
    found = discrepancies(with_digest(doc))
    assert len(found) == 1
    assert "[verdict] requirements[NAT-TERMINAL-ONCE].findings[0].exchanges[0]: passed, but" in found[0]
    assert "a second terminal event" in found[0]


def test_profile_claimed_without_its_must_requirements_is_caught(fresh_report: Path) -> None:
    doc = load(fresh_report)
    # Leave out a passed MUST and every one that did not pass, so the recounted profile reads "success".
    dropped = {
        r["id"]
        for r in doc["requirements"]
        if r["owner"] == "tasks" and r["level"] == "MUST" and r["outcome"] != "passed"
    } | {"NAT-MAX-TOKENS"}
    doc["requirements"] = [r for r in doc["requirements"] if r["id"] not in dropped]
    doc = recount(doc)
    assert next(p for p in doc["profiles"] if p["name"] == "tasks")["result"] == "success"
    found = discrepancies(doc)
    assert sorted(found) == sorted(
        f"[profile] profiles[tasks]: success, but its MUST requirement {rid} is not in the report"
        for rid in dropped
    )


def test_partial_profile_claimed_as_success_is_caught(rerun_report: Path) -> None:
    doc = load(rerun_report)
    tasks = next(p for p in doc["profiles"] if p["name"] == "tasks")
    tasks["result"] = "success"
    found = discrepancies(with_digest(doc))
    assert any(
        "[profile] profiles[tasks]: result is 'success' but its requirements give 'partial'" in d
        for d in found
    )
    doc["verdict"] = "pass"
    assert any(d.startswith("[verdict] verdict: is 'pass'") for d in discrepancies(with_digest(doc)))


def test_content_or_digest_edited_is_caught(fresh_report: Path, tmp_path: Path) -> None:
    doc = load(fresh_report)
    doc["date"] = "2020-01-01T00:00:00+00:00"
    assert discrepancies(doc) == [
        "[digest] digest: does not match the content: the report was changed after it was written"
    ]
    doc = load(fresh_report)
    doc["digest"]["value"] = "sha256:" + "0" * 64
    assert any(d.startswith("[digest]") for d in discrepancies(doc))
    del doc["digest"]
    assert discrepancies(doc) == ["[digest] digest: the report carries no digest"]
    assert main(["verify", str(save(doc, tmp_path))]) == 1


def test_seed_edited_apart_from_the_options_is_caught(fresh_report: Path) -> None:
    doc = load(fresh_report)
    doc["seed"] = doc["options"]["seed"] + 1
    assert discrepancies(with_digest(doc)) == [
        f"[verdict] seed: is {doc['seed']} but the options say {doc['options']['seed']}"
    ]


def test_unknown_contract_is_caught(fresh_report: Path) -> None:
    doc = load(fresh_report)
    doc["contract"] = {"version": "9.9.9", "hash": "sha256:" + "a" * 64}
    found = discrepancies(with_digest(doc))
    assert len(found) == 1 and found[0].startswith("[contract] contract: names contract 9.9.9")
