"""Provoke every error that can be provoked from outside, read-only, and judge each against the tables.

Why: error answers are where gateways drift most (flat envelopes, wrong statuses, ``Retry-After``
missing or disagreeing with ``retry_after_ms``, stack traces in messages). Each probe here is
harmless: it is refused before anything runs. State-changing probes (retired model, unknown pool
pin) live in the control-admin checks; backpressure errors in backpressure.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.probes.error_rules import (
    NATIVE_ERROR_REQUIREMENTS,
    ErrorExpectation,
    judge_leaks,
    judge_native_error,
)
from llmgw_conformance.probes.target_claims import claims, limit, new_uuid
from llmgw_conformance.probes.task_requests import task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check


@dataclass(frozen=True)
class ErrorProbe:
    """One harmless request that must be refused, the profile it needs, and what it must get."""

    name: str
    profile: str
    send: Callable[[CheckContext], Response]
    expectation: ErrorExpectation
    #: False on the OpenAI surface: only RESP-NO-TRACEBACK is judged here (the shape is OAI-ERROR-SHAPE's).
    native: bool = True


def _probes(ctx: CheckContext) -> list[ErrorProbe]:
    unknown = f"conf-no-such-{new_uuid()[:8]}"
    model = ctx.target.model
    out = [
        ErrorProbe(
            "unknown catalog model",
            "control",
            lambda c: c.request("GET", f"/v1/catalog/models/{unknown}"),
            ErrorExpectation(status=404, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "page limit 0",
            "control",
            lambda c: c.request("GET", "/v1/catalog/models", params={"limit": 0}),
            ErrorExpectation(status=400, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "unknown cursor",
            "control",
            lambda c: c.request("GET", "/v1/pools", params={"cursor": f"conf-bogus-{unknown}"}),
            ErrorExpectation(status=400, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "POST on /healthz",
            "control",
            lambda c: c.request("POST", "/healthz", json={}, api_key=False),
            ErrorExpectation(status=405, code="INVALID_PARAMS", reason="METHOD_NOT_ALLOWED"),
        ),
        ErrorProbe(
            "no API key",
            "control",
            lambda c: c.request("GET", "/v1/capabilities", api_key=False),
            ErrorExpectation(status=401, code="INVALID_PARAMS", reason="UNAUTHENTICATED"),
        ),
        ErrorProbe(
            "unknown task",
            "tasks",
            lambda c: c.request("GET", f"/v1/tasks/{new_uuid()}"),
            ErrorExpectation(status=404, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "task with an unknown field",
            "tasks",
            lambda c: c.request("POST", "/v1/tasks", json=task_body(c, conformance_unknown_field=1)),
            ErrorExpectation(status=400, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "task body as text/plain",
            "tasks",
            lambda c: c.request(
                "POST", "/v1/tasks", content=b"hello", headers={"Content-Type": "text/plain"}
            ),
            ErrorExpectation(status=415, code="INVALID_PARAMS", reason="UNSUPPORTED_MEDIA_TYPE"),
        ),
        ErrorProbe(
            "task body not JSON",
            "tasks",
            lambda c: c.request(
                "POST", "/v1/tasks", content=b"{not json", headers={"Content-Type": "application/json"}
            ),
            ErrorExpectation(status=400, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "generate with an unknown field",
            "generate",
            lambda c: c.request(
                "POST",
                f"/v1/generate/{model}",
                json={"prompt": "hi", "max_new_tokens": 1, "conformance_unknown_field": 1},
            ),
            ErrorExpectation(status=400, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "generate on an unknown model",
            "generate",
            lambda c: c.request(
                "POST", f"/v1/generate/{unknown}", json={"prompt": "hi", "max_new_tokens": 1}
            ),
            ErrorExpectation(status=404, code="INVALID_PARAMS"),
        ),
        ErrorProbe(
            "generate with max_new_tokens 0",
            "generate",
            lambda c: c.request("POST", f"/v1/generate/{model}", json={"prompt": "hi", "max_new_tokens": 0}),
            ErrorExpectation(status=400, code="INVALID_PARAMS"),
        ),
    ]
    chat = {"model": model, "messages": [{"role": "user", "content": "hi"}], "conformance_unknown_field": 1}
    out.append(
        ErrorProbe(
            "chat with an unknown field",
            "openai-chat",
            lambda c: c.request("POST", "/v1/chat/completions", json=chat),
            ErrorExpectation(status=400),
            native=False,
        )
    )
    out.append(
        ErrorProbe(
            "chat body not JSON",
            "openai-chat",
            lambda c: c.request(
                "POST",
                "/v1/chat/completions",
                content=b"{not json",
                headers={"Content-Type": "application/json"},
            ),
            ErrorExpectation(status=400),
            native=False,
        )
    )
    max_body = limit(ctx, "max_body_bytes")
    if max_body is not None and max_body <= 4 * 1024 * 1024:
        padding = "x" * (max_body + 1)
        out.append(
            ErrorProbe(
                "body above max_body_bytes",
                "tasks",
                lambda c: c.request("POST", "/v1/tasks", json=task_body(c, prompt=padding)),
                ErrorExpectation(status=413, code="INVALID_PARAMS", reason="PAYLOAD_TOO_LARGE"),
            )
        )
    return out


@check(
    "error-envelopes",
    requirements=[
        "ERR-ENVELOPE",
        "ERR-STATUS-MATCHES-CODE",
        "ERR-RETRIABLE",
        "ERR-RETRY-AFTER",
        "RESP-NO-TRACEBACK",
    ],
    profiles=["control", "tasks", "generate"],
)
def error_envelopes(ctx: CheckContext) -> None:
    """Harmless invalid requests get one ErrorEnvelope each, status/retriable/Retry-After per the tables."""
    with Verdicts(ctx, [r for r in NATIVE_ERROR_REQUIREMENTS if r != "ERR-POLICY-LABEL"]) as verdicts:
        sent = 0
        for probe in _probes(ctx):
            if not claims(ctx, probe.profile):
                continue
            response = probe.send(ctx)
            sent += 1 if probe.native else 0
            if not probe.native:
                judge_leaks(ctx, verdicts, response, probe.name)
                continue
            if 200 <= response.status < 300:
                verdicts.fail(
                    "ERR-STATUS-MATCHES-CODE",
                    f"{probe.name}: accepted with {response.status}, although the request must be refused",
                    expected=f"refused with {probe.expectation.status}",
                    received=f"{response.status}: {(response.text or '')[:200]}",
                    exchanges=[response.exchange],
                )
                continue
            if response.status != probe.expectation.status:
                verdicts.fail(
                    "ERR-STATUS-MATCHES-CODE",
                    f"{probe.name}: refused with {response.status} instead of {probe.expectation.status}"
                    f" (the status x-error-policy gives this refusal)",
                    expected=f"status {probe.expectation.status}",
                    received=f"status {response.status}: {(response.text or '')[:200]}",
                    exchanges=[response.exchange],
                )
            judge_native_error(ctx, verdicts, response)
        if not sent:  # an OpenAI-only target: the native error rules do not apply to it
            for req in NATIVE_ERROR_REQUIREMENTS:
                verdicts.not_supported(req, "the target claims none of the profiles control, tasks, generate")
