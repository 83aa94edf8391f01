"""Every control-plane and error check against the real reference (a subprocess over HTTP): all pass.

Why: the fake proves each check can fail; this proves the checks agree with the reference
implementation of the contract, so a failure on a vendor's gateway is the gateway's, not the
suite's. One reference serves the whole file (module scope); checks clean up what they create.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from llmgw_conformance.checks import (
    auth,
    backpressure,
    catalog,
    control,
    embeddings,
    errors,
    flows,
    pools,
    rerank,
    schema_driven,
    sessions,
    tasks,
)
from llmgw_conformance.embedded import EmbeddedReference
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from tests.conformance.control.control_fake_server import outcomes

ALL_PROFILES = (
    "control",
    "auth",
    "control-admin",
    "tasks",
    "openai-chat",
    "generate",
    "embeddings",
    "rerank",
    "backpressure",
)


@pytest.fixture(scope="module")
def reference() -> Iterator[EmbeddedReference]:
    server = EmbeddedReference()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def run_all(reference: EmbeddedReference, functions: list[Callable[[Any], None]]) -> dict[str, Outcome]:
    merged: dict[str, Outcome] = {}
    messages: list[str] = []
    for function in functions:
        options = SuiteOptions(examples=4, profiles=ALL_PROFILES, read_timeout_s=15.0, stream_budget_s=30.0)
        ctx, findings = make_context(
            reference.base_url,
            reference.api_key,
            function.__name__,
            options,
            restricted_api_key=reference.restricted_api_key,
        )
        try:
            function(ctx)
        finally:
            ctx.close()
        merged.update(outcomes(findings))
        messages += [
            f"{f.requirement_id}: {f.message[:300]}" for f in findings if f.outcome != Outcome.PASSED
        ]
    assert not messages, messages
    return merged


AREAS: dict[str, list[Callable[[Any], None]]] = {
    "control": [
        control.health_live,
        control.capabilities_honest,
        control.capacity_consistent,
        control.pagination,
    ],
    "errors-and-auth": [errors.error_envelopes, auth.auth_required, auth.auth_scope],
    "tasks": [
        tasks.task_admission,
        tasks.task_errors_before_stream,
        tasks.task_duplicate_id,
        tasks.task_unknown_model,
    ],
    "embeddings-rerank": [
        embeddings.embeddings,
        embeddings.task_embed_result,
        rerank.rerank_order,
        rerank.task_rerank_result,
    ],
    "catalog": [catalog.catalog_register, catalog.catalog_lifecycle, catalog.provisioning],
    "pools-sessions": [pools.pools, sessions.sessions, sessions.session_kv_warmth],
    "flows": [flows.flow_catalog, flows.flow_pools, flows.flow_sessions],
    "schema-driven": [schema_driven.schema_driven],
    "backpressure": [
        backpressure.backpressure_burst,
        backpressure.task_priority,
        backpressure.admission_estimates,
        backpressure.deadline_unmet,
    ],
}


@pytest.mark.parametrize("area", list(AREAS))
def test_area_passes_on_the_reference(reference: EmbeddedReference, area: str) -> None:
    verdicts = run_all(reference, AREAS[area])
    assert verdicts and all(v == Outcome.PASSED for v in verdicts.values())
