"""Schema-driven testing: schemathesis cases for every operation of the selected profiles, shrunk failures.

Why: hand-written probes only find the bugs someone thought of; generated positive and negative
requests find the 500 on a NaN, the undocumented 422, the answer missing a required field. Each
operation gets ``options.examples`` positive and as many negative cases (hypothesis, seeded from
``options.seed``, a time budget per operation), state-changing operations only when control-admin
is selected. Every distinct failure is reported (a failing case never stops generation, as with
schemathesis' ``continue-on-failure``), each with the smallest request that showed it and a curl
command that replays it. Schemathesis check -> requirement:

* ``not_a_server_error`` -> RESP-NO-5XX-ON-BAD-INPUT (any 5xx)
* ``negative_data_rejection`` -> RESP-NO-5XX-ON-BAD-INPUT (an invalid request accepted with 2xx)
* ``status_code_conformance`` -> RESP-STATUS-DOCUMENTED
* ``content_type_conformance`` -> RESP-CONTENT-TYPE
* ``response_schema_conformance`` -> RESP-SCHEMA on 2xx answers and stream events, ERR-ENVELOPE on
  native error answers (OpenAI error shapes are judged by the openai checks)
* every answer, streams included, is also scanned for leaks (decoded JSON strings) -> RESP-NO-TRACEBACK
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from llmgw_conformance.context import CheckContext
from llmgw_conformance.leaks import find_leaks
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes import schemathesis_bridge as bridge
from llmgw_conformance.probes.error_rules import field_map, parse_json_object
from llmgw_conformance.probes.operation_index import operation_label
from llmgw_conformance.probes.target_claims import claimed_profiles, selected_profiles
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

REQUIREMENTS = [
    "RESP-SCHEMA",
    "RESP-STATUS-DOCUMENTED",
    "RESP-NO-5XX-ON-BAD-INPUT",
    "RESP-CONTENT-TYPE",
    "ERR-ENVELOPE",
    "RESP-NO-TRACEBACK",
]
#: schemathesis check name -> (function, requirement).
CHECKS: dict[str, tuple[Callable[..., Any], str]] = {
    "not_a_server_error": (not_a_server_error, "RESP-NO-5XX-ON-BAD-INPUT"),
    "negative_data_rejection": (negative_data_rejection, "RESP-NO-5XX-ON-BAD-INPUT"),
    "status_code_conformance": (status_code_conformance, "RESP-STATUS-DOCUMENTED"),
    "content_type_conformance": (content_type_conformance, "RESP-CONTENT-TYPE"),
    "response_schema_conformance": (response_schema_conformance, "RESP-SCHEMA"),
}
#: Longest one operation may take (generation and sending together).
OPERATION_BUDGET_S = 20.0
#: Calls per operation and mode beyond which sending stops (hypothesis' explicit examples come on top).
CALLS_PER_EXAMPLE = 6


@dataclass
class _Seen:
    requirement: str
    message: str
    request: str
    curl: str
    exchange: Exchange | None
    calls: int


def _operations(ctx: CheckContext, schemas: list[Any]) -> list[Any]:
    selected = selected_profiles(ctx)
    # Only the profiles this check is registered for: the accounts and images profiles (contract
    # 1.2) have their own checks, and fuzzing them too would split the same budget more ways.
    active = selected & claimed_profiles(ctx) & set(SCHEMA_DRIVEN_PROFILES)
    admin = "control-admin" in selected
    out = []
    for schema in schemas:
        for result in schema.get_all_operations():
            operation = result.ok()
            raw = operation.definition.raw
            if not set(raw.get("x-profiles", ())) & active:
                continue
            if raw.get("x-state-changing") and not admin:
                continue
            out.append(operation)
    return out


SCHEMA_DRIVEN_PROFILES = [
    "control", "control-admin", "tasks", "openai-chat", "generate", "embeddings", "rerank",
]  # fmt: skip


@check("schema-driven", requirements=REQUIREMENTS, profiles=SCHEMA_DRIVEN_PROFILES)
def schema_driven(ctx: CheckContext) -> None:
    """Generated positive and negative requests per operation; answers judged by schemathesis' checks."""
    with Verdicts(ctx, REQUIREMENTS) as verdicts:
        config = bridge.suite_config(ctx, ctx.options.read_timeout_s)
        schemas = bridge.load_schemas(ctx, config)
        created = bridge.CreatedResources()
        for schema in schemas:
            bridge.install_hooks(ctx, schema, created)
        operations = _operations(ctx, schemas)
        if not operations:
            for req in REQUIREMENTS:
                verdicts.skip(req, "no operation of a profile both selected and claimed by the target")
        if not any("openai" not in op.definition.raw.get("tags", ()) for op in operations):
            verdicts.not_supported(
                "ERR-ENVELOPE", "no native operation is claimed: ErrorEnvelope does not apply"
            )
        budget = min(OPERATION_BUDGET_S, max(2.0, ctx.options.check_budget_s / max(len(operations), 1)))
        try:
            for operation in operations:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    _run_operation(ctx, verdicts, operation, mode, budget / 2)
        finally:
            bridge.clean_up(ctx, created)


def _run_operation(
    ctx: CheckContext, verdicts: Verdicts, operation: Any, mode: GenerationMode, budget: float
) -> None:
    """All generated cases of one operation and mode, every distinct failure kept (none stops the run).

    Like schemathesis' own ``continue-on-failure``: a failing case is recorded, not raised, so
    hypothesis keeps generating and a bad-JSON 500 never hides an accepted invalid body. Failures
    are distinct by (check, failure title, status); each keeps its smallest request and a count.
    """
    run = _OperationRun(ctx, verdicts, operation, mode, budget)
    runner = seed(ctx.options.seed)(
        settings(
            max_examples=ctx.options.examples,
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],
        )(given(case=operation.as_strategy(generation_mode=mode))(run.exercise))
    )
    try:
        runner()
    except Exception as exc:  # generation itself failed (unsatisfiable schema, hypothesis error)
        if not any(s.requirement for s in run.seen.values()):
            stopped = f"{run.label} [{mode.value}]: generation stopped: {type(exc).__name__}"
            verdicts.skip("RESP-SCHEMA", stopped)
    run.report()


class _OperationRun:
    """The generated cases of one operation and mode: sent within a budget, judged, failures kept."""

    def __init__(
        self, ctx: CheckContext, verdicts: Verdicts, operation: Any, mode: GenerationMode, budget: float
    ) -> None:
        self.ctx, self.verdicts, self.operation = ctx, verdicts, operation
        self.mode, self.budget = mode, budget
        self.base_url = ctx.target.base_url
        raw = operation.definition.raw
        method = operation.method.upper()
        self.label = operation_label(
            {"operationId": raw.get("operationId"), "method": method, "path": operation.path}
        )
        self.native = "openai" not in raw.get("tags", ())
        self.seen: dict[tuple[str, str, int], _Seen] = {}
        self.calls = 0
        self.started = time.monotonic()
        self.max_calls = ctx.options.examples * CALLS_PER_EXAMPLE

    def record(self, key: tuple[str, str, int], found: _Seen) -> None:
        """Keep the smallest request per distinct failure, counting the others."""
        known = self.seen.get(key)
        if known is None or len(found.request) < len(known.request):
            found.calls = (known.calls if known else 0) + 1
            self.seen[key] = found
        else:
            known.calls += 1

    def exercise(self, case: Any) -> None:
        """Send one generated case (within the budget) and judge its answer."""
        if time.monotonic() - self.started > self.budget or self.calls >= self.max_calls:
            return  # out of budget: stop sending (hypothesis then ends generation)
        self.calls += 1
        parts = bridge.request_parts(case, self.base_url)
        response, exchange = _send(self.ctx, parts, bridge.is_stream_case(case))

        def found(requirement: str, message: str) -> _Seen:
            text = bridge.shrunk_text(parts)
            return _Seen(requirement, message, text, bridge.curl_for(case, self.base_url), exchange, 0)

        status = int(response.status_code)
        if status == 0:
            message = f"{self.label} [{self.mode.value}]: no answer (connection dropped or timed out)"
            self.record(("no_answer", "", 0), found("RESP-NO-5XX-ON-BAD-INPUT", message))
            return
        self._judge_checks(case, response, exchange, found)
        self._judge_leaks(response, exchange, found)

    def _judge_checks(
        self, case: Any, response: Any, exchange: Exchange, found: Callable[[str, str], _Seen]
    ) -> None:
        """schemathesis' checks of this mode, each on the requirement it speaks for."""
        status = int(response.status_code)
        for name, (function, requirement) in bridge_checks(self.mode).items():
            req = _requirement_for(name, requirement, status, self.native)
            if req is None:
                continue
            try:
                case.validate_response(response, checks=[function])
            except FailureGroup as group:
                if _excused(self.ctx, self.operation, name, response):
                    self.verdicts.observed(req, exchange)
                    continue
                for failure in group.exceptions:
                    where = f"{self.label} [{self.mode.value}, schemathesis {name}]"
                    message = f"{where}: {failure.title}: {failure.message}"
                    self.record((name, str(failure.title), status), found(req, message[:1500]))
            except Exception as exc:  # schemathesis could not judge this answer; not the target's fault
                self.record(
                    (f"error:{name}", "", 0),
                    _Seen("", f"{name}: {type(exc).__name__}: {exc}", "", "", None, 0),
                )
            else:
                self.verdicts.observed(req, exchange)

    def _judge_leaks(self, response: Any, exchange: Exchange, found: Callable[[str, str], _Seen]) -> None:
        """RESP-NO-TRACEBACK on the answer (internal wording is the corpus check's RESP-NO-INTERNAL-TEXT)."""
        status = int(response.status_code)
        leaks = [
            leak
            for leak in find_leaks(
                response.content.decode("utf-8", "replace"), error_answer=not 200 <= status < 300
            )
            if not leak.secret and not leak.internal
        ]
        if leaks:
            shown = "; ".join(f"{leak.kind}: {leak.excerpt!r}" for leak in leaks)
            message = f"{self.label} [{self.mode.value}]: the answer shows {shown}"
            self.record(("traceback", leaks[0].kind, status), found("RESP-NO-TRACEBACK", message[:1500]))
        else:
            self.verdicts.observed("RESP-NO-TRACEBACK", exchange)

    def report(self) -> None:
        """One failure per distinct failure kept (its smallest request, the count of the others)."""
        for key, item in self.seen.items():
            if not item.requirement:
                continue
            count = (
                f" ({item.calls} generated cases failed this way; the smallest is shown)"
                if item.calls > 1
                else ""
            )
            self.verdicts.fail(
                item.requirement,
                item.message + count + (f"\nReproduce with: {item.curl}" if item.curl else ""),
                expected=_expected(key[0]),
                received=bridge.exchange_note(item.exchange),
                exchanges=[item.exchange] if item.exchange else [],
                shrunk_request=item.request,
            )


def _requirement_for(name: str, requirement: str, status: int, native: bool) -> str | None:
    """The requirement a check's verdict on this answer goes to (None: not judged here)."""
    if name == "response_schema_conformance" and not 200 <= status < 300:
        # Error bodies: ErrorEnvelope on native operations; OpenAI error shapes are the openai checks' job.
        return "ERR-ENVELOPE" if native else None
    return requirement


def _excused(ctx: CheckContext, operation: Any, name: str, response: Any) -> bool:
    """Failures schemathesis reports that the contract allows.

    * ``not_a_server_error`` on a 502/503/504 the operation documents, carrying an error code the
      contract allows with that status (DEADLINE_UNMET 504, POOL_UNREADY 503, ...): the contract's
      own signal, not a crash. A 500 is never excused.
    * ``negative_data_rejection`` on any 4xx (413 for an oversized body is a rejection too).
    """
    status = int(response.status_code)
    if name == "negative_data_rejection":
        return 400 <= status < 500
    if name != "not_a_server_error" or status == 500:
        return False
    if str(status) not in operation.definition.raw.get("responses", {}):
        return False
    body = parse_json_object(response.content.decode("utf-8", "replace")) or {}
    error = field_map(body, "error") or body
    code = error.get("kind") or error.get("code")
    policy = ctx.contract.error_policy.get(str(code).upper(), {})
    return status in list(policy.get("statuses", []))


def bridge_checks(mode: GenerationMode) -> dict[str, tuple[Callable[..., Any], str]]:
    """The checks that apply to a mode (negative data rejection only on negative cases)."""
    if mode == GenerationMode.NEGATIVE:
        return CHECKS
    return {k: v for k, v in CHECKS.items() if k != "negative_data_rejection"}


def _expected(name: str) -> str:
    return {
        "not_a_server_error": "no 5xx answer",
        "negative_data_rejection": "a 4xx answer to a request that breaks the request schema",
        "status_code_conformance": "a status documented for the operation",
        "content_type_conformance": "a documented Content-Type",
        "response_schema_conformance": "a body (or each stream event) matching the documented schema",
        "traceback": "no stack trace or exception dump in any answer",
    }.get(name, name)


def _send(ctx: CheckContext, parts: Mapping[str, Any], stream: bool) -> tuple[Any, Exchange]:
    base_url = ctx.target.base_url
    kwargs: dict[str, Any] = {"headers": parts["headers"]}
    if "json" in parts:
        kwargs["json"] = parts["json"]
    if stream:
        limit = min(bridge.MAX_STREAM_EVENTS, ctx.options.max_events)
        count = {"n": 0}

        def enough(_event: Any) -> bool:
            count["n"] += 1
            return count["n"] >= limit

        path = parts["path"] + _query(parts.get("params"))
        result = ctx.stream(parts["method"], path, stop_when=enough, **kwargs)
        content = bytes(result.transcript.stream)
        if not content and result.body:
            content = result.body.encode()
        cut = result.termination != "eof"
        response = bridge.to_schemathesis_response(
            base_url, parts, result.status, result.headers, content, result.headers_after_s, cut
        )
        return response, result.exchange
    if "content" in parts:
        kwargs["content"] = parts["content"]
    answer = ctx.request(parts["method"], parts["path"], params=parts.get("params"), **kwargs)
    content = answer.content or (answer.text or "").encode()
    elapsed = answer.elapsed_s
    response = bridge.to_schemathesis_response(
        base_url, parts, answer.status, answer.headers, content, elapsed, False
    )
    return response, answer.exchange


def _query(params: Mapping[str, Any] | None) -> str:
    if not params:
        return ""
    from urllib.parse import urlencode

    return "?" + urlencode(params, doseq=True)
