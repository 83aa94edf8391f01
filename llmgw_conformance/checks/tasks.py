"""Native task admission: 202 with the task's id and Location, and everything wrong refused before a stream.

Why these rules matter: a gateway that admits an invalid task and then reports the problem inside
the stream (or, worse, as generated text) makes every client write two error paths; a gateway that
accepts a duplicate ``task_id`` breaks the client's idempotent retry of a submission.
"""

from __future__ import annotations

from llmgw_conformance.context import CheckContext
from llmgw_conformance.probes.answer_problems import judge_problems, ok_object
from llmgw_conformance.probes.error_rules import ErrorExpectation, judge_native_error, parse_json_object
from llmgw_conformance.probes.target_claims import engine_ctx_max, new_uuid
from llmgw_conformance.probes.task_requests import events_of, submit, task_body
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check


@check("task-admission", requirements=["TASK-ADMISSION"], profiles=["tasks"])
def task_admission(ctx: CheckContext) -> None:
    """A valid completion task is answered 202 with its task_id and a Location naming it."""
    with Verdicts(ctx, ["TASK-ADMISSION"]) as verdicts:
        body = task_body(ctx, max_tokens=min(4, ctx.options.max_tokens))
        response = submit(ctx, body)
        admission = ok_object(
            verdicts,
            "TASK-ADMISSION",
            response,
            "a valid task",
            expected="202 with a JSON object",
            status=202,
        )
        if admission is None:
            return
        location = next((v for k, v in response.headers.items() if k.lower() == "location"), None)
        problems = ctx.contract.schema_errors("AdmissionResponse", admission)
        if admission.get("task_id") != body["task_id"]:
            problems.append(f"task_id is {admission.get('task_id')!r}, not the request's {body['task_id']!r}")
        if location is None or not location.rstrip("/").endswith(f"/v1/tasks/{body['task_id']}"):
            problems.append(f"Location is {location!r}, not the task's path /v1/tasks/{body['task_id']}")
        judge_problems(
            verdicts, "TASK-ADMISSION", response, problems, expected="AdmissionResponse + Location"
        )
        # Drain the stream so the admitted task does not hold a slot until its attach timeout.
        events_of(ctx, body["task_id"])


@check(
    "task-errors-before-stream",
    requirements=["TASK-ERRORS-BEFORE-STREAM"],
    profiles=["tasks"],
)
def task_errors_before_stream(ctx: CheckContext) -> None:
    """Invalid tasks (unknown field, ctx above ctx_max, unknown model) are refused and never admitted."""
    req = "TASK-ERRORS-BEFORE-STREAM"
    with Verdicts(ctx, [req]) as verdicts:
        probes: list[tuple[str, dict[str, object]]] = [
            ("an unknown field", task_body(ctx, conformance_unknown_field=True)),
            ("an unknown model", task_body(ctx, model_ref=f"conf-no-such-model-{new_uuid()[:8]}")),
            ("max_tokens 0", task_body(ctx, max_tokens=1) | {"max_tokens": 0}),
        ]
        ctx_max = engine_ctx_max(ctx)
        if ctx_max is not None:
            probes.append(("ctx above ctx_max", task_body(ctx, context_tokens=ctx_max + 1)))
        else:
            verdicts.skip(req, "no engine ctx_max in capabilities: the ctx probe was not sent")
        for what, body in probes:
            response = submit(ctx, body)
            ex = response.exchange
            if 200 <= response.status < 300:
                verdicts.fail(
                    req,
                    f"a task with {what} was admitted ({response.status})",
                    expected="a non-2xx ErrorEnvelope",
                    received=f"{response.status}: {(response.text or '')[:300]}",
                    exchanges=[ex],
                )
                events_of(ctx, str(body["task_id"]))
                continue
            envelope = parse_json_object(response.text or "")
            if envelope is None or ctx.contract.schema_errors("ErrorEnvelope", envelope):
                verdicts.fail(
                    req,
                    f"the refusal of a task with {what} is not an ErrorEnvelope",
                    received=(response.text or "")[:300],
                    exchanges=[ex],
                )
                continue
            stream = events_of(ctx, str(body["task_id"]))
            verdicts.expect(
                req,
                stream.status != 200 or not stream.transcript.events,
                f"a refused task with {what} still has an event stream",
                expected="no stream for a task that was not admitted (404)",
                received=f"{stream.status} with {len(stream.transcript.events)} events",
                exchanges=[stream.exchange, ex],
            )


@check("task-duplicate-id", requirements=["TASK-DUPLICATE-ID"], profiles=["tasks"])
def task_duplicate_id(ctx: CheckContext) -> None:
    """A second task with a task_id already used is refused with 409."""
    req = "TASK-DUPLICATE-ID"
    with Verdicts(ctx, [req]) as verdicts:
        body = task_body(ctx, max_tokens=min(4, ctx.options.max_tokens))
        first = submit(ctx, body)
        if first.status != 202:
            verdicts.skip(
                req, f"the first task was not admitted ({first.status}); a duplicate cannot be sent"
            )
            return
        second = submit(ctx, dict(body))
        judge_native_error(
            ctx, verdicts, second, ErrorExpectation(status=409, code="INVALID_PARAMS", requirement=req)
        )
        events_of(ctx, str(body["task_id"]))


@check("task-unknown-model", requirements=["TASK-UNKNOWN-MODEL"], profiles=["tasks"])
def task_unknown_model(ctx: CheckContext) -> None:
    """A task naming a model not in the catalog is refused with 404 INVALID_PARAMS / UNKNOWN_MODEL."""
    req = "TASK-UNKNOWN-MODEL"
    with Verdicts(ctx, [req]) as verdicts:
        body = task_body(ctx, model_ref=f"conf-no-such-model-{new_uuid()[:8]}")
        response = submit(ctx, body)
        expectation = ErrorExpectation(
            status=404, code="INVALID_PARAMS", reason="UNKNOWN_MODEL", requirement=req
        )
        judge_native_error(ctx, verdicts, response, expectation)
