"""The report as one JSON-ready document (``apiVersion: conformance.llm-gateway/v1``).

Why a versioned document: a vendor submits it (like the Gateway API conformance reports) and a
release gate diffs it, so its shape is stable and self-describing: what suite and contract (by
hash) judged what target (as it describes itself), with which options and seed, the verdict per
profile and per requirement, the evidence behind every verdict, and how to replay it.

Evidence is bounded: exchanges carry bodies already cut to 4 KiB and transcripts to the first 20
and last 5 events (see conformance.http_session); here at most a few exchanges per finding are kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from llmgw_conformance.outcomes import Exchange, Finding, Outcome
from llmgw_conformance.results import RequirementResult, RunResult
from llmgw_contracts import REPORT_SCHEMA_FILE, contract_files

API_VERSION = "conformance.llm-gateway/v1"
KIND = "ConformanceReport"
#: JSON Schema of the document (YAML, shipped with the contract files in llmgw_contracts); a
#: submitted report.json can be validated against it.
REPORT_SCHEMA = contract_files().path(REPORT_SCHEMA_FILE)
#: The schema's ``$id``, written as the report's ``$schema`` so a report names what it conforms to
#: (a test keeps the two equal).
REPORT_SCHEMA_ID = "https://llm-gateway.invalid/conformance/report.schema.json"
#: Exchanges kept per finding: all of a failure's first ones, fewer for passes.
EXCHANGES_PER_FAILURE = 5
EXCHANGES_PER_PASS = 1
#: The discovered target's fields the report shows under their own names, in the report's order.
TARGET_FIELDS_SHOWN = (
    "profiles_source",
    "features",
    "models",
    "model",
    "engine",
    "limits",
    "notes",
    "surface_models",
)


def exchange_doc(exchange: Exchange) -> dict[str, Any]:
    return dataclasses.asdict(exchange)


def finding_doc(finding: Finding) -> dict[str, Any]:
    keep = EXCHANGES_PER_PASS if finding.outcome == Outcome.PASSED else EXCHANGES_PER_FAILURE
    return {
        "check": finding.check,
        "outcome": finding.outcome.value,
        "message": finding.message,
        "expected": finding.expected,
        "received": finding.received,
        "shrunk_request": finding.shrunk_request,
        "details": finding.details,
        "exchanges": [exchange_doc(e) for e in finding.exchanges[:keep]],
        "exchanges_omitted": max(0, len(finding.exchanges) - keep),
        # How many were kept, so evidence removed from the list shows (see llmgw_conformance.verify).
        "exchanges_kept": min(keep, len(finding.exchanges)),
        "caused_by": (
            {
                "requirement": finding.caused_by.requirement_id,
                "check": finding.caused_by.check,
                "message": finding.caused_by.message,
            }
            if finding.caused_by is not None
            else None
        ),
        "not_run": finding.not_run,
    }


def requirement_doc(result: RequirementResult) -> dict[str, Any]:
    curl = next((e.curl for f in result.decisive() for e in f.exchanges if e.curl), None)
    return {
        "id": result.id,
        "level": result.level,
        "text": result.text,
        "profiles": list(result.profiles),
        "outcome": result.outcome.value,
        "owner": result.owner,
        "caused": result.caused,
        "not_run": result.not_run,
        "summary": result.summary(),
        "checks": list(result.checks),
        "findings": [finding_doc(f) for f in result.findings],
        "reproduction": {"command": result.reproduction, "curl": curl},
    }


def target_doc(run: RunResult) -> dict[str, Any]:
    target = run.target
    doc: dict[str, Any] = {"url": run.target_url, "embedded": run.embedded}
    if target is None:
        return doc
    doc.update(
        says=target.identity,
        capabilities=target.capabilities is not None,
        profiles_claimed=sorted(target.profiles),
    )
    doc.update({name: _json_value(getattr(target, name)) for name in TARGET_FIELDS_SHOWN})
    doc["decisions"] = [{"kind": d.kind, "name": d.name, **d.doc()} for d in target.decisions]
    return doc


def _json_value(value: Any) -> Any:
    """A discovered target's field as a JSON value: a set sorted, a sequence or mapping copied."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return value


def build_document(run: RunResult) -> dict[str, Any]:
    """Everything a report file shows, as plain JSON values (not yet redacted: the writer does it)."""
    stopped = {"stopped": {"reason": run.stopped, "message": run.stop_message}} if run.stopped else {}
    return {
        "$schema": REPORT_SCHEMA_ID,
        "apiVersion": API_VERSION,
        "kind": KIND,
        "suite": {"name": "llm-gateway-conformance", "version": run.suite_version},
        "contract": {"version": run.contract_version, "hash": run.contract_hash},
        "target": target_doc(run),
        "date": run.started_at,
        "duration_s": run.duration_s,
        "seed": run.options.get("seed"),
        "options": run.options,
        "verdict": run.verdict,
        "exit_code": run.exit_code,
        **stopped,
        "summary": {
            "profiles": list(run.selected_profiles),
            "counts": run.counts(),
            "must_failed": [r.id for r in run.must_failed],
            "must_defects": [r.id for r in run.must_defects],
        },
        "profiles": [dataclasses.asdict(p) for p in run.profiles.values()],
        "requirements": [requirement_doc(r) for r in run.requirements.values()],
        "suite_errors": [dataclasses.asdict(e) for e in run.suite_errors],
        "requirements_without_check": list(run.uncovered),
        "checks": [dataclasses.asdict(c) for c in run.checks],
        "evidence": evidence_policy(),
    }


def evidence_policy() -> dict[str, Any]:
    """What evidence the report keeps and where it is cut, so a verifier knows what it can re-judge."""
    from llmgw_conformance.http_session import TRANSCRIPT_HEAD, TRANSCRIPT_TAIL
    from llmgw_conformance.verify.evidence import STREAM_EVIDENCE_BYTES

    return {
        "exchanges_per_failure": EXCHANGES_PER_FAILURE,
        "exchanges_per_pass": EXCHANGES_PER_PASS,
        "stream_bytes": STREAM_EVIDENCE_BYTES,
        "transcript_events": {"first": TRANSCRIPT_HEAD, "last": TRANSCRIPT_TAIL},
        "note": "each stream keeps its bytes (transcript.stream, escaped) up to stream_bytes; a stream "
        "cut there is marked stream_truncated and the verdicts resting on it are not re-judgeable",
    }
