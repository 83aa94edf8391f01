"""The schemathesis-driven check: clean on the correct fake, each RESP-* rule failing on its fault.

Also the pieces that make its reports usable: token fields capped, ``max_tokens`` shown but the
key filtered in the curl reproduction, and the shrunk request attached to every failure.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from llmgw_conformance.checks import schema_driven
from llmgw_conformance.contract import DEFAULT_CONTRACTS_DIR
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.probes import schemathesis_bridge as bridge
from tests.conformance.control.control_fake_app import make_app
from tests.conformance.control.control_fake_server import RunCheck, outcomes, start_server
from tests.conformance.control.control_fake_state import API_KEY, MODEL

FAST = {"examples": 3}


def test_clean_on_a_correct_gateway(run_check: RunCheck) -> None:
    findings = run_check(schema_driven.schema_driven, profiles=("control", "generate"), **FAST)
    verdicts = outcomes(findings)
    assert verdicts == {req: Outcome.PASSED for req in schema_driven.REQUIREMENTS}, [
        f.message for f in findings if f.outcome != Outcome.PASSED
    ]


@pytest.mark.parametrize(
    ("fault", "profiles", "requirement"),
    [
        ("schema-bad", ("generate",), "RESP-SCHEMA"),
        ("content-type-text", ("generate",), "RESP-CONTENT-TYPE"),
        ("undocumented-status", ("control",), "RESP-STATUS-DOCUMENTED"),
        ("server-error", ("control",), "RESP-NO-5XX-ON-BAD-INPUT"),
        ("accept-invalid", ("generate",), "RESP-NO-5XX-ON-BAD-INPUT"),
        ("traceback", ("control",), "RESP-NO-TRACEBACK"),
    ],
)
def test_fails_on_a_broken_gateway(
    run_check: RunCheck, fault: str, profiles: tuple[str, ...], requirement: str
) -> None:
    findings = run_check(schema_driven.schema_driven, faults={fault}, profiles=profiles, **FAST)
    assert outcomes(findings)[requirement] == Outcome.FAILED
    failed = [f for f in findings if f.requirement_id == requirement and f.outcome == Outcome.FAILED]
    assert all(f.shrunk_request and "Reproduce with: curl" in f.message and f.exchanges for f in failed)
    assert all("sk-test" not in f.message for f in failed)


def test_token_fields_are_capped_and_others_left_alone() -> None:
    body = {"max_tokens": 10_000, "max_new_tokens": 3, "max_completion_tokens": True, "temperature": 99}
    bridge.cap_tokens(body, 16)
    assert body == {"max_tokens": 16, "max_new_tokens": 3, "max_completion_tokens": True, "temperature": 99}


def test_curl_reproduction_shows_max_tokens_and_filters_the_key() -> None:
    ctx = SimpleNamespace(options=SuiteOptions(), contract=SimpleNamespace(directory=DEFAULT_CONTRACTS_DIR))
    config = bridge.suite_config(ctx, 5.0)
    data = bridge.load_schemas(ctx, config)[1]
    operation = data["/v1/generate/{model}"]["POST"]
    case = operation.Case(
        body={"prompt": "hi", "max_new_tokens": 7},
        path_parameters={"model": "m"},
        media_type="application/json",
    )
    curl = bridge.curl_for(case, "http://127.0.0.1:9")
    assert '"max_new_tokens": 7' in curl
    assert "[Filtered]" in curl and "$API_KEY" not in curl


def test_generated_resources_are_suite_owned_and_cleaned_up() -> None:
    app = make_app()
    server, thread, url = start_server(app)
    try:
        options = SuiteOptions(examples=4, seed=5, profiles=("control-admin",))
        ctx, findings = make_context(url, API_KEY, "schema-driven", options)
        schema_driven.schema_driven(ctx)
        gateway = app.state.gateway
        pools_made = [i for i in gateway.created if i not in gateway.models]
        assert pools_made and all(i.startswith("conf-5-sd-pool-") for i in pools_made)
        assert findings
        assert gateway.pools == {} and gateway.sessions == {}
        made = {k: m for k, m in gateway.models.items() if k not in (MODEL, "zz-second-model")}
        assert all(k.startswith("conf-5-sd-model-") and m["state"] == "Retired" for k, m in made.items())
    finally:
        server.should_exit = True
        thread.join(timeout=5)
