"""One request of a load run, sent, read by the strict SSE reader and judged: a :class:`StreamOutcome`.

Why every answer is judged and not only timed: gateways break under load in ways timing never shows
(a stream that loses its terminal event, usage that stops adding up, a 429 without ``Retry-After``).
A 2xx stream goes to the grammar judge of its kind (framing included); a refusal (any non-2xx before
a stream byte) to :mod:`.refusals`. The outcome keeps only plain JSON (ids, messages, evidence with
the stream transcript, timings) so it can be counted here, sent to a master and rendered later.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any, Final

import httpx

from llmgw_conformance.grammar import (
    ChatRequest,
    GenerateRequest,
    Judgement,
    NativeRequest,
    judge_chat,
    judge_generate,
    judge_native,
    meta_from_transcript,
)
from llmgw_conformance.http_session import transcript_evidence
from llmgw_conformance.load.mix import PlannedRequest
from llmgw_conformance.load.refusals import judge_refusal, judge_task_admission
from llmgw_conformance.redaction import Redactor, curl_command, json_text, truncate
from llmgw_conformance.sse import Transcript, read_stream

#: Native events that end a task stream.
NATIVE_TERMINALS: Final = frozenset({"end", "error"})
_SENTINEL: Final = "[DONE]"
#: Framing rules judged from the reader's clock (the close after the terminal event, the gap between
#: writes, the headers' delay). Under load they are set aside, counted and reported, not judged: a
#: saturated machine delays the target's writes and the reader's reads alike, and a late close seen
#: there says nothing about the gateway (the normal run judges them on an idle target). A stream
#: that never ends within the stream budget still fails SSE-STREAM-ENDS ("end-within-budget").
TIMING_RULES: Final = frozenset({"write-every-idle-gap", "close-after-terminal", "headers-within-budget"})


@dataclass(frozen=True)
class Limits:
    """Time limits of one request (the suite's bounds: nothing waits forever)."""

    idle_s: float = 10.0
    stream_s: float = 60.0
    connect_s: float = 5.0
    header_budget_s: float = 30.0
    #: The target's declared queue capacity (limits.queue_capacity), for BP-QUEUE-BOUNDED.
    queue_capacity: int | None = None


@dataclass
class StreamOutcome:
    """What one request of the mix ended as, in plain JSON values."""

    kind: str
    #: admitted (a stream was read) | refused (a non-2xx before any stream byte) | transport (no answer)
    status: str
    http_status: int | None = None
    #: requirement id -> broken (True) or held (False), for every requirement this answer judged.
    judged: dict[str, bool] = field(default_factory=dict)
    #: One record per broken requirement: requirement, message, expected, received, rule.
    violations: list[dict[str, Any]] = field(default_factory=list)
    #: The exchange as report evidence (only kept when something broke, or for a sample).
    evidence: dict[str, Any] | None = None
    started: float = 0.0
    ttft_ms: float | None = None
    gaps_ms: list[float] = field(default_factory=list)
    total_ms: float | None = None
    tokens: int = 0
    #: A drop of a queued task (QUEUE_FULL_DROP_LRU event) or a refusal: which, and its code.
    refusal_code: str | None = None
    detail: str = ""
    #: Timing violations set aside (TIMING_RULES): counted and reported, not judged under load.
    timing_discounted: int = 0

    def hold(self, *ids: str) -> None:
        for req in ids:
            self.judged.setdefault(req, False)

    def fail(self, req: str, message: str, expected: str | None = None, received: str | None = None) -> None:
        self.judged[req] = True
        self.violations.append(
            {"requirement": req, "message": message, "expected": expected, "received": received}
        )


def run_request(
    client: httpx.Client, plan: PlannedRequest, limits: Limits, redactor: Redactor
) -> StreamOutcome:
    """Send ``plan`` (a task: submit, then read its events), read and judge the answer; never raises
    for what the target does."""
    started = time.time()
    t0 = time.monotonic()
    if plan.events_path is None:
        return _stream_and_judge(
            client, plan, plan.method, plan.path, plan.body, limits, redactor, started, t0
        )
    try:
        answer = client.request(plan.method, plan.path, json=plan.body)
    except httpx.HTTPError as exc:
        return StreamOutcome(plan.kind, "transport", started=started, detail=f"{type(exc).__name__}: {exc}")
    outcome = StreamOutcome(plan.kind, "admitted", answer.status_code, started=started)
    if answer.status_code != 202:
        outcome.status = "refused"
        judge_refusal(outcome, answer)
        if outcome.violations:
            outcome.evidence = _plain_evidence(plan, answer, redactor, time.monotonic() - t0)
        return outcome
    judge_task_admission(outcome, answer, limits.queue_capacity)
    events = _stream_and_judge(client, plan, "GET", plan.events_path, None, limits, redactor, started, t0)
    events.judged.update({k: v or events.judged.get(k, False) for k, v in outcome.judged.items()})
    events.violations = outcome.violations + events.violations
    return events


def _stream_and_judge(
    client: httpx.Client,
    plan: PlannedRequest,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    limits: Limits,
    redactor: Redactor,
    started: float,
    t0: float,
) -> StreamOutcome:
    outcome = StreamOutcome(plan.kind, "admitted", started=started)
    timeout = httpx.Timeout(limits.header_budget_s, connect=limits.connect_s)
    try:
        with client.stream(method, path, json=body, timeout=timeout) as response:
            outcome.http_status = response.status_code
            if response.status_code >= 300 or "event-stream" not in response.headers.get("content-type", ""):
                response.read()
                outcome.status = "refused"
                judge_refusal(outcome, response)
                if outcome.violations:
                    outcome.evidence = _plain_evidence(plan, response, redactor, time.monotonic() - t0, path)
                return outcome
            tr = read_stream(response, idle_timeout=limits.idle_s, total_timeout=limits.stream_s, t0=t0)
    except httpx.HTTPError as exc:
        outcome.status, outcome.detail = "transport", f"{type(exc).__name__}: {exc}"
        return outcome
    judgement = _judge(plan, tr, limits)
    _record_judgement(outcome, plan, tr, judgement)
    _record_timings(outcome, plan.kind, tr)
    if outcome.violations:
        outcome.evidence = _stream_evidence(plan, method, path, body, tr, redactor)
    return outcome


def _judge(plan: PlannedRequest, tr: Transcript, limits: Limits) -> Judgement:
    meta = meta_from_transcript(tr, idle_gap_s=limits.idle_s, header_budget_s=limits.header_budget_s)
    if plan.kind == "task":
        return judge_native(tr, NativeRequest(max_tokens=plan.body.get("max_tokens")), meta)
    if plan.kind == "generate":
        return judge_generate(tr, GenerateRequest(max_new_tokens=plan.body.get("max_new_tokens")), meta)
    return judge_chat(tr, ChatRequest.from_body(plan.body), meta)


def _record_judgement(
    outcome: StreamOutcome, plan: PlannedRequest, tr: Transcript, judgement: Judgement
) -> None:
    from llmgw_conformance.load.coverage import judged_on_stream

    outcome.hold(*judged_on_stream(plan.kind))
    for v in judgement.violations:
        if v.rule in TIMING_RULES:
            outcome.timing_discounted += 1
            continue
        outcome.fail(v.requirement_id, v.headline(), v.expected, v.received)
    if plan.kind == "task":
        names = [e.event for e in tr.events]
        terminals = [n for n in names if n in NATIVE_TERMINALS]
        if len(terminals) != 1:
            outcome.fail(
                "BP-BURST-NO-LOSS",
                f"an admitted stream under load ended with {len(terminals)} terminal events "
                f"({tr.termination})",
                expected="exactly one end or error",
                received=", ".join(names[-3:]) or "(no event)",
            )
        _judge_drop_event(outcome, tr)


def _judge_drop_event(outcome: StreamOutcome, tr: Transcript) -> None:
    """A queued task dropped for a newer one (QUEUE_FULL_DROP_LRU event) must carry policy_label."""
    for event in tr.events:
        if event.event != "error":
            continue
        try:
            data = json.loads(event.data)
        except ValueError:
            continue
        if not isinstance(data, dict) or data.get("code") != "QUEUE_FULL_DROP_LRU":
            continue
        outcome.refusal_code = "QUEUE_FULL_DROP_LRU"
        label = data.get("policy_label")
        for req in ("BP-DROP-LRU-EVENT", "ERR-POLICY-LABEL"):
            if isinstance(label, str) and label.strip():
                outcome.hold(req)
            else:
                outcome.fail(req, "a QUEUE_FULL_DROP_LRU event has no policy_label", received=str(data)[:200])


def _record_timings(outcome: StreamOutcome, kind: str, tr: Transcript) -> None:
    """Time to first token, gaps between tokens, whole stream, and the token count."""
    if kind == "task":
        times = [e.t_first for e in tr.events if e.event == "token"]
    else:
        times = [e.t_first for e in tr.events if e.data != _SENTINEL and _carries_text(e.data)]
    t0 = tr.t0
    if times:
        outcome.ttft_ms = round((times[0] - t0) * 1000, 3)
        outcome.gaps_ms = [round((b - a) * 1000, 3) for a, b in itertools.pairwise(times)]
    if tr.chunk_times:
        outcome.total_ms = round((tr.chunk_times[-1] - t0) * 1000, 3)
    outcome.tokens = len(times)


def _carries_text(data: str) -> bool:
    """A chat chunk with delta content, or a generate chunk with a non-empty text_delta."""
    try:
        doc = json.loads(data)
    except ValueError:
        return False
    if not isinstance(doc, dict):
        return False
    if doc.get("text_delta"):
        return True
    choices = doc.get("choices")
    return isinstance(choices, list) and any(
        isinstance(c, dict) and isinstance(c.get("delta"), dict) and c["delta"].get("content")
        for c in choices
    )


def _stream_evidence(
    plan: PlannedRequest,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    tr: Transcript,
    redactor: Redactor,
) -> dict[str, Any]:
    text = json_text(body) if body is not None else None
    headers = {"content-type": "application/json"} if body is not None else {}
    headers["authorization"] = "Bearer $API_KEY"
    return {
        "method": method,
        "url": path,
        "request_headers": headers,
        "request_body": truncate(text),
        "status": tr.status_code,
        "response_headers": dict(tr.headers),
        "response_body": None,
        "elapsed_s": 0.0,
        "transcript": transcript_evidence(tr, redactor),
        "curl": curl_command(method, path, headers, text, stream=True),
        "submitted": plan.body if plan.events_path else None,
    }


def _plain_evidence(
    plan: PlannedRequest,
    response: httpx.Response,
    redactor: Redactor,
    elapsed: float,
    path: str | None = None,
) -> dict[str, Any]:
    text = json_text(plan.body) if path in (None, plan.path) else None
    headers = {"content-type": "application/json", "authorization": "Bearer $API_KEY"}
    return {
        "method": plan.method if text is not None else "GET",
        "url": path or plan.path,
        "request_headers": headers,
        "request_body": truncate(text),
        "status": response.status_code,
        "response_headers": redactor.headers(response.headers.multi_items()),
        "response_body": truncate(redactor.text(response.text)),
        "elapsed_s": round(elapsed, 6),
        "transcript": None,
        "curl": curl_command(plan.method, path or plan.path, headers, text),
        "submitted": None,
    }
