"""Error-envelope and auth checks over real HTTP, plus the pure error-table logic they share."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from llmgw_conformance.checks import auth, errors
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.probes.error_rules import find_traceback
from tests.conformance.control.control_fake_server import RunCheck, outcomes

BROKEN: list[tuple[Callable[[Any], None], str, str]] = [
    (errors.error_envelopes, "flat-errors", "ERR-ENVELOPE"),
    (errors.error_envelopes, "traceback", "RESP-NO-TRACEBACK"),
    (errors.error_envelopes, "openai-traceback", "RESP-NO-TRACEBACK"),
    (errors.error_envelopes, "wrong-status", "ERR-STATUS-MATCHES-CODE"),
    (errors.error_envelopes, "crash-on-bad-input", "ERR-ENVELOPE"),
    (auth.auth_required, "no-www-authenticate", "AUTH-REQUIRED"),
    (auth.auth_required, "no-auth", "AUTH-REQUIRED"),
    (auth.auth_required, "no-auth", "AUTH-INVALID-KEY"),
    (auth.auth_required, "echo-key", "AUTH-NO-SECRET-ECHO"),
    (auth.auth_scope, "scope-ignored", "AUTH-SCOPE"),
]


def test_error_envelopes_pass_on_a_correct_gateway(run_check: RunCheck) -> None:
    verdicts = outcomes(run_check(errors.error_envelopes))
    assert verdicts == {
        r: Outcome.PASSED
        for r in (
            "ERR-ENVELOPE",
            "ERR-STATUS-MATCHES-CODE",
            "ERR-RETRIABLE",
            "ERR-RETRY-AFTER",
            "RESP-NO-TRACEBACK",
        )
    }


def test_auth_checks_pass_on_a_correct_gateway(run_check: RunCheck) -> None:
    assert outcomes(run_check(auth.auth_required)) == {
        "AUTH-REQUIRED": Outcome.PASSED,
        "AUTH-INVALID-KEY": Outcome.PASSED,
        "AUTH-NO-SECRET-ECHO": Outcome.PASSED,
    }
    assert outcomes(run_check(auth.auth_scope)) == {"AUTH-SCOPE": Outcome.PASSED}


def test_auth_scope_without_a_restricted_key_is_not_supported(run_check: RunCheck) -> None:
    assert outcomes(run_check(auth.auth_scope, restricted=False)) == {"AUTH-SCOPE": Outcome.NOT_SUPPORTED}


@pytest.mark.parametrize(("function", "fault", "requirement"), BROKEN, ids=[f"{f}-{r}" for _, f, r in BROKEN])
def test_check_fails_on_a_broken_gateway(
    run_check: RunCheck, function: Any, fault: str, requirement: str
) -> None:
    findings = run_check(function, faults={fault})
    assert outcomes(findings)[requirement] == Outcome.FAILED
    failed = [f for f in findings if f.requirement_id == requirement and f.outcome == Outcome.FAILED]
    assert all(f.message and f.exchanges for f in failed if requirement != "AUTH-SCOPE")


def test_no_finding_or_evidence_holds_the_keys(run_check: RunCheck) -> None:
    findings = run_check(auth.auth_required, faults={"echo-key"})
    text = repr(findings)
    assert "sk-test-full" not in text and "sk-test-read" not in text


@pytest.mark.parametrize(
    "text",
    [
        'Traceback (most recent call last):\n  File "/srv/app.py", line 12, in handler',
        "panic: boom\n\ngoroutine 1 [running]:\nmain.main()",
        "java.lang.NullPointerException\n\tat com.acme.Gateway.route(Gateway.java:42)",
        "TypeError: x is undefined\n    at handle (/srv/index.js:10:5)",
    ],
)
def test_find_traceback_spots_stack_traces(text: str) -> None:
    assert find_traceback(text) is not None


@pytest.mark.parametrize("text", ["model not found", "File not found: the artifact at data: is empty", ""])
def test_find_traceback_leaves_plain_messages(text: str) -> None:
    assert find_traceback(text) is None


def test_native_error_rules_are_not_supported_on_an_openai_only_server() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from llmgw_conformance.live import make_context
    from llmgw_conformance.options import SuiteOptions
    from tests.conformance.control.control_fake_server import start_server

    async def models(request: Request) -> JSONResponse:
        return JSONResponse(
            {"object": "list", "data": [{"id": "m", "object": "model", "created": 1, "owned_by": "x"}]}
        )

    async def chat(request: Request) -> JSONResponse:
        # A valid minimal request is answered (the suite infers openai-chat only from a 2xx);
        # the error probes (bad JSON, an unknown field) are refused with OpenAI's error body.
        try:
            body = json.loads(await request.body())
        except ValueError:
            body = None
        if isinstance(body, dict) and set(body) <= {"model", "messages", "max_tokens", "stream"}:
            message = {"role": "assistant", "content": "hi", "refusal": None}
            choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
            usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
            return JSONResponse(
                {
                    "id": "c",
                    "object": "chat.completion",
                    "created": 1,
                    "model": "m",
                    "choices": [choice],
                    "usage": usage,
                }
            )
        error = {"message": "bad request", "type": "invalid_request_error", "param": None, "code": None}
        return JSONResponse({"error": error}, status_code=400)

    app = Starlette(
        routes=[Route("/v1/models", models), Route("/v1/chat/completions", chat, methods=["POST"])]
    )
    server, thread, url = start_server(app)
    try:
        ctx, findings = make_context(url, "sk-x", "error-envelopes", SuiteOptions())
        errors.error_envelopes(ctx)
    finally:
        server.should_exit = True
        thread.join(timeout=5)
    verdicts = outcomes(findings)
    assert verdicts["ERR-ENVELOPE"] == Outcome.NOT_SUPPORTED
    assert verdicts["RESP-NO-TRACEBACK"] == Outcome.PASSED


def test_auth_required_sees_that_an_unauthenticated_put_changed_state(run_check: RunCheck) -> None:
    findings = run_check(auth.auth_required, faults={"no-auth"}, profiles=("auth", "control-admin"))
    failed = [f for f in findings if f.requirement_id == "AUTH-REQUIRED" and f.outcome == Outcome.FAILED]
    assert any("created the pool" in f.message for f in failed)
    read_only = run_check(auth.auth_required, faults={"no-auth"}, profiles=("auth",))
    assert not any("created the pool" in f.message for f in read_only)
