"""Send the invalid-request corpus to every operation with a request body, and judge each answer alone.

Why a check of its own beside schema-driven: generated negative cases find defects at random and,
per operation, end at the first; here every case of the corpus (invalid_corpus.py: each required
field missing, each wrong type, each enum value and numeric bound outside, malformed JSON, empty
body, a JSON array, a wrong Content-Type) is sent and judged on its own, so one bad-JSON 500 never
hides a required field accepted with 200. The report holds one finding per requirement that lists
every failing case with its request (each exchange carries its curl).

Judged per answer: a 4xx refusal (a 5xx, no answer or a 2xx breaks RESP-NO-5XX-ON-BAD-INPUT, or
OAI-RANGE-REJECT for a chat number out of range), a status the operation documents, the error body
by value (ErrorEnvelope rules on native operations, OpenAI's error object on the OpenAI surface),
Content-Type application/json, and no leak (stack frames, internal exception text, paths, secrets).
On the OpenAI surface a bad value of an optional field a server may not know (a gateway extension,
or a field with an ``x-if-not-honoured`` policy) and a body under a wrong Content-Type may be
accepted, as an unknown field may (OAI-UNKNOWN-FIELD is a SHOULD): only 5xx, error body and leaks
are judged there. Required fields and the core fields every OpenAI server implements must be refused.
"""

from __future__ import annotations

import time
from typing import Any

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.invalid_corpus import InvalidCase
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.error_rules import judge_leaks, judge_native_error
from llmgw_conformance.probes.invalid_targets import Operation, operations_under_test
from llmgw_conformance.probes.openai_error_rules import (
    content_type_problem,
    openai_error_problems,
    openai_error_value_problems,
)
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

REQUIREMENTS = [
    "RESP-NO-5XX-ON-BAD-INPUT",
    "OAI-RANGE-REJECT",
    "RESP-STATUS-DOCUMENTED",
    "RESP-CONTENT-TYPE",
    "OAI-ERROR-SHAPE",
    "OAI-ERROR-VALUES",
    "ERR-ENVELOPE",
    "ERR-STATUS-MATCHES-CODE",
    "RESP-NO-TRACEBACK",
    "RESP-NO-INTERNAL-TEXT",
    "AUTH-NO-SECRET-ECHO",
]
#: Share of the check budget the corpus may use (the rest is margin for a slow last answer).
BUDGET_SHARE = 0.8
#: Failing cases listed (with their exchanges) per requirement; the rest are counted.
MAX_LISTED = 40


class _Collected(Verdicts):
    """Verdicts that keep every failing case, to be reported as one finding per requirement."""

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx, REQUIREMENTS)
        #: requirement -> (case label, problem, what was received, exchange) per failing case.
        self.failing: dict[str, list[tuple[str, str, str, Exchange | None]]] = {r: [] for r in REQUIREMENTS}
        self.seen: dict[str, int] = dict.fromkeys(REQUIREMENTS, 0)
        self.label = ""

    def observed(self, requirement_id: str, exchange: Exchange | None = None) -> None:
        if requirement_id in self.seen:
            self.seen[requirement_id] += 1
        super().observed(requirement_id, exchange)

    def fail(self, requirement_id: str, message: str, **kwargs: Any) -> None:
        if requirement_id not in self.failing:
            return
        self.seen[requirement_id] += 1
        exchanges = list(kwargs.get("exchanges") or [])
        received = str(kwargs.get("received") or "")[:300]
        self.failing[requirement_id].append(
            (self.label, message, received, exchanges[0] if exchanges else None)
        )

    def conclude(self, sent: int, note: str) -> None:
        """One verdict per requirement: every failing case in one failure, else a pass or a skip."""
        for req in REQUIREMENTS:
            failing = self.failing[req]
            if failing:
                lines = _grouped_lines(failing)
                super().fail(
                    req,
                    f"{len(failing)} of {sent} invalid requests broke it{note}:\n"
                    + "\n".join(lines)
                    + _reproductions(failing),
                    expected=_EXPECTED.get(req, "the rule held on every invalid request"),
                    received="\n".join(lines)[:4000],
                    exchanges=[ex for *_, ex in failing[:MAX_LISTED] if ex is not None],
                )
            elif self.seen[req]:
                self.passed(req, f"held on {self.seen[req]} answer(s) to invalid requests{note}")
            else:
                self.skip(req, _NOT_SEEN.get(req, "no answer to an invalid request could show it"))


def _reproductions(failing: list[tuple[str, str, str, Exchange | None]]) -> str:
    """Each failing case's own curl command (the report keeps only a few exchanges per finding)."""
    commands = [f"# {label}\n{ex.curl[:800]}" for label, _, _, ex in failing[:MAX_LISTED] if ex and ex.curl]
    return "\nReproduce each case:\n" + "\n".join(commands) if commands else ""


def _grouped_lines(failing: list[tuple[str, str, str, Exchange | None]]) -> list[str]:
    """One line per distinct problem, naming every case that showed it (the first one's answer quoted)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for label, message, received, _ in failing:
        groups.setdefault(message, []).append((label, received))
    lines = []
    for message, cases in groups.items():
        labels = "; ".join(label for label, _ in cases[:MAX_LISTED])
        more = f" and {len(cases) - MAX_LISTED} more" if len(cases) > MAX_LISTED else ""
        first = cases[0][1]
        lines.append(
            f"- {message} [{len(cases)} case(s): {labels}{more}]"
            + (f" (first answer: {first})" if first else "")
        )
    return lines


_EXPECTED = {
    "RESP-NO-5XX-ON-BAD-INPUT": "every invalid request refused with a 4xx, never accepted, never 5xx",
    "OAI-RANGE-REJECT": "a chat number outside its documented range refused with 400",
    "RESP-STATUS-DOCUMENTED": "a refusal status the operation documents (400, 413, 415, 422 as listed)",
    "RESP-CONTENT-TYPE": "error answers with Content-Type application/json",
    "OAI-ERROR-SHAPE": '{"error": {message: non-empty, type: documented, param, code: string or null}}',
    "OAI-ERROR-VALUES": "`code` a word naming the error (or null), `message` text for a person",
    "ERR-ENVELOPE": "one ErrorEnvelope per native error answer",
    "ERR-STATUS-MATCHES-CODE": "the status x-error-policy allows for the envelope's code and reason",
    "RESP-NO-TRACEBACK": "no stack frame, exception dump, server path or secret key in any answer",
    "RESP-NO-INTERNAL-TEXT": "error messages without exception class names or the runtime's own wording",
    "AUTH-NO-SECRET-ECHO": "the API key sent never appears in an answer",
}
_NOT_SEEN = {
    "OAI-RANGE-REJECT": "no chat operation with a numeric range was exercised",
    "OAI-ERROR-SHAPE": "no OpenAI-surface operation refused an invalid request",
    "OAI-ERROR-VALUES": "no OpenAI-surface operation refused an invalid request with an error object",
    "ERR-ENVELOPE": "no native operation refused an invalid request",
    "ERR-STATUS-MATCHES-CODE": "no native operation refused an invalid request with a known code",
}


@check(
    "invalid-requests",
    requirements=REQUIREMENTS,
    profiles=["tasks", "openai-chat", "generate", "embeddings", "rerank", "auth"],
)
def invalid_requests(ctx: CheckContext) -> None:
    """Every case of the contract-derived invalid-request corpus, each judged on its own."""
    with _Collected(ctx) as collected:
        _send_corpus(ctx, collected)


def _send_corpus(ctx: CheckContext, collected: _Collected) -> None:
    """Send every case within the check's budget share and judge each answer."""
    operations, skipped = operations_under_test(ctx)
    budget = ctx.options.check_budget_s * BUDGET_SHARE
    started = time.monotonic()
    sent = 0
    left = 0
    for operation in operations:
        for case in operation.cases:
            if time.monotonic() - started > budget:
                left += 1
                continue
            collected.label = f"{operation.operation_id}: {case.name}"
            response = _send(ctx, operation, case)
            sent += 1
            _judge(ctx, collected, operation, case, response)
    if not operations:
        for req in REQUIREMENTS:
            collected.skip(
                req, "; ".join(skipped) or "no operation with a request body is selected and served"
            )
        return
    note = f" ({left} cases not sent: the check budget of {budget:.0f}s ran out)" if left else ""
    collected.conclude(sent, note)


def _send(ctx: CheckContext, operation: Operation, case: InvalidCase) -> Response:
    """Send one case; once more when no answer came at all.

    Why the second try: a server that answers a bad request with 500 often closes the connection
    after it (uvicorn after an unhandled exception), and the next case, sent on that kept-alive
    connection, meets a reset before any answer byte. That is the transport, not this case's answer;
    a case that gets no answer twice is reported as such.
    """
    headers = {"Content-Type": case.content_type}
    method = case.method or operation.method
    for _ in range(2):
        if case.method == "GET":
            response = ctx.request(method, operation.path)
        elif case.content is not None:
            response = ctx.request(method, operation.path, content=case.content, headers=headers)
        else:
            response = ctx.request(method, operation.path, json=case.body, headers=headers)
        if response.status != 0:
            break
    return response


def _judge(
    ctx: CheckContext, collected: _Collected, operation: Operation, case: InvalidCase, response: Response
) -> None:
    ex = response.exchange
    refuse = "OAI-RANGE-REJECT" if operation.is_chat and case.kind == "range" else "RESP-NO-5XX-ON-BAD-INPUT"
    status = response.status
    if status == 0:
        collected.fail(refuse, f"no answer ({response.error})", exchanges=[ex])
        return
    if 200 <= status < 300:
        if case.must_refuse:
            collected.fail(
                refuse,
                f"accepted with {status}; "
                + (
                    "the value is outside its documented range"
                    if case.kind == "range"
                    else "the request breaks the request schema"
                )
                + ", so it must be refused (4xx)",
                received=(response.text or "")[:200],
                exchanges=[ex],
            )
        else:
            collected.observed(refuse, ex)
        judge_leaks(ctx, collected, response)
        return
    if status >= 500 or status < 400:
        collected.fail(
            refuse, f"answered {status} instead of a 4xx refusal of the client's mistake", exchanges=[ex]
        )
    elif case.kind == "method":  # another operation's status table (405 or 404): not judged here
        collected.observed(refuse, ex)
    else:
        collected.observed(refuse, ex)
        if str(status) in operation.documented:
            collected.observed("RESP-STATUS-DOCUMENTED", ex)
        else:
            collected.fail(
                "RESP-STATUS-DOCUMENTED",
                f"refused with {status}, a status the operation does not document "
                f"(documented refusals: {', '.join(operation.refusals) or 'none'})",
                exchanges=[ex],
            )
    if operation.native:
        judge_native_error(ctx, collected, response)
        return
    judge_leaks(ctx, collected, response)
    problems = openai_error_problems(ctx, response)
    if problems:
        collected.fail("OAI-ERROR-SHAPE", f"the {status} answer: " + "; ".join(problems), exchanges=[ex])
    else:
        collected.observed("OAI-ERROR-SHAPE", ex)
    values = openai_error_value_problems(response)
    if values:
        collected.fail("OAI-ERROR-VALUES", f"the {status} answer: " + "; ".join(values), exchanges=[ex])
    elif values is not None:
        collected.observed("OAI-ERROR-VALUES", ex)
    problem = content_type_problem(response)
    if problem:
        collected.fail("RESP-CONTENT-TYPE", f"the {status} answer: {problem}", exchanges=[ex])
    else:
        collected.observed("RESP-CONTENT-TYPE", ex)
