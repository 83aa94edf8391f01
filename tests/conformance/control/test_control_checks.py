"""Read-only control, task, embeddings and rerank checks: pass on the correct fake, fail on each broken one.

Every check is run over real HTTP against the fake gateway (control_fake_app); each fault breaks
exactly one rule, and the test asserts the check reports that requirement as failed, with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from llmgw_conformance.checks import control, embeddings, rerank, tasks
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import RunCheck, outcomes

CHECKS: list[tuple[Callable[[Any], None], list[str]]] = [
    (control.health_live, ["HEALTH-LIVE"]),
    (control.capabilities_honest, ["CAP-SHAPE", "CAP-PROFILES-HONEST", "CAP-SYNTHETIC-HONEST"]),
    (control.capacity_consistent, ["CAP-CAPACITY-CONSISTENT"]),
    (control.pagination, ["PAGE-CURSOR", "PAGE-LIMIT"]),
    (tasks.task_admission, ["TASK-ADMISSION"]),
    (tasks.task_errors_before_stream, ["TASK-ERRORS-BEFORE-STREAM"]),
    (tasks.task_duplicate_id, ["TASK-DUPLICATE-ID"]),
    (tasks.task_unknown_model, ["TASK-UNKNOWN-MODEL"]),
    (embeddings.embeddings, ["EMB-ONE-PER-INPUT", "EMB-USAGE", "EMB-BASE64"]),
    (embeddings.task_embed_result, ["TASK-EMBED-RESULT"]),
    (rerank.rerank_order, ["RERANK-ORDER"]),
    (rerank.task_rerank_result, ["TASK-RERANK-RESULT"]),
]

BROKEN: list[tuple[Callable[[Any], None], str, str]] = [
    (control.health_live, "health-wrong", "HEALTH-LIVE"),
    (control.capabilities_honest, "bad-caps", "CAP-SHAPE"),
    (control.capabilities_honest, "generate-missing", "CAP-PROFILES-HONEST"),
    (control.capabilities_honest, "synthetic-lie", "CAP-SYNTHETIC-HONEST"),
    (control.capacity_consistent, "capacity-off", "CAP-CAPACITY-CONSISTENT"),
    (control.pagination, "page-overlap", "PAGE-CURSOR"),
    (control.pagination, "limit-ignored", "PAGE-LIMIT"),
    (tasks.task_admission, "no-location", "TASK-ADMISSION"),
    (tasks.task_admission, "wrong-task-id", "TASK-ADMISSION"),
    (tasks.task_errors_before_stream, "accept-invalid", "TASK-ERRORS-BEFORE-STREAM"),
    (tasks.task_duplicate_id, "duplicate-accepted", "TASK-DUPLICATE-ID"),
    (tasks.task_unknown_model, "wrong-status", "TASK-UNKNOWN-MODEL"),
    (embeddings.embeddings, "emb-reversed", "EMB-ONE-PER-INPUT"),
    (embeddings.embeddings, "emb-usage", "EMB-USAGE"),
    (embeddings.embeddings, "emb-base64-wrong", "EMB-BASE64"),
    (embeddings.task_embed_result, "task-result-wrong", "TASK-EMBED-RESULT"),
    (rerank.rerank_order, "rerank-unsorted", "RERANK-ORDER"),
    (rerank.task_rerank_result, "task-result-wrong", "TASK-RERANK-RESULT"),
]


@pytest.mark.parametrize(("function", "requirements"), CHECKS, ids=[f.__name__ for f, _ in CHECKS])
def test_check_passes_on_a_correct_gateway(
    run_check: RunCheck, function: Any, requirements: list[str]
) -> None:
    verdicts = outcomes(run_check(function))
    assert verdicts == {req: Outcome.PASSED for req in requirements}


@pytest.mark.parametrize(("function", "fault", "requirement"), BROKEN, ids=[f"{f}-{r}" for _, f, r in BROKEN])
def test_check_fails_on_a_broken_gateway(
    run_check: RunCheck, function: Any, fault: str, requirement: str
) -> None:
    findings = run_check(function, faults={fault})
    assert outcomes(findings)[requirement] == Outcome.FAILED
    failed = [f for f in findings if f.requirement_id == requirement and f.outcome == Outcome.FAILED]
    assert all(f.message and f.check == function.__name__ for f in failed)


def test_capabilities_failure_names_the_unserved_operation(run_check: RunCheck) -> None:
    findings = run_check(control.capabilities_honest, faults={"generate-missing"})
    failed = [
        f for f in findings if f.requirement_id == "CAP-PROFILES-HONEST" and f.outcome == Outcome.FAILED
    ]
    assert any("generate" in f.message and f.exchanges for f in failed)
