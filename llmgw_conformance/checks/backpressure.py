"""Backpressure (loads the target): bounded queues, drops, priorities, estimates, deadlines.

Why: an overloaded gateway must say "not now" in a way clients can act on (429 with a policy and
a retry time) instead of queueing without bound, timing out with 5xx, or losing admitted work.
Bursts are sized from ``limits.queue_capacity`` and bounded in count (:data:`MAX_BURST`) and time
(:data:`BURST_BUDGET_S`) so the suite never becomes the outage.

The burst provokes backpressure instead of waiting for it: a target with a deep queue and fast slots
(the reference's defaults: 64 places, and its tasks stop naturally after at most 48 tokens) runs a
burst of 16 submissions at a time as fast as it comes, so the burst is repeated in steps
(:data:`STEPS`): more tasks, more of them in flight at once, each asking to hold its slot longer
(capped by the target's ``max_tokens`` and :data:`MAX_STEP_BURST`), until the target refuses work
(dropping queued work is judged too, but shows none of the 429 rules), or the budget ends. Every
step's admitted tasks are cancelled once submitted.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from llmgw_conformance.context import CheckContext, Response, StreamResult
from llmgw_conformance.probes.error_rules import (
    ErrorExpectation,
    field_list,
    judge_native_error,
    parse_json_object,
)
from llmgw_conformance.probes.target_claims import limit
from llmgw_conformance.probes.task_requests import events_of, submit, task_body, terminal_events, wait_task
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

MAX_BURST = 200
BURST_BUDGET_S = 30.0
#: Requests (submissions, then stream reads) in flight at once.
CONCURRENCY = 16
#: Tokens each burst task asks for: enough to hold its slot while the queue fills.
HOLD_TOKENS = 256
#: Steps of the burst: (burst size multiple, submissions in flight at once, hold multiple).
STEPS = ((1, CONCURRENCY, 1), (2, 64, 4), (4, 256, 16))
#: The most tasks one step submits.
MAX_STEP_BURST = 800
BURST_REQS = [
    "BP-QUEUE-BOUNDED",
    "BP-BURST-NO-LOSS",
    "BP-DROP-LRU-EVENT",
    "ERR-POLICY-LABEL",
    "ERR-RETRY-AFTER",
]


def burst_size(ctx: CheckContext) -> int:
    """Several times the queue capacity (plus slots), at most :data:`MAX_BURST`."""
    capacity = limit(ctx, "queue_capacity")
    return min(MAX_BURST, 3 * (capacity if capacity is not None else 16) + 8)


def hold_tokens(ctx: CheckContext, factor: int = 1) -> int:
    """``max_tokens`` of a task meant to keep a slot busy (within the target's own limit)."""
    wanted = HOLD_TOKENS * factor
    return max(1, min(wanted, limit(ctx, "max_tokens") or wanted))


def total_slots(ctx: CheckContext) -> int:
    """Slots of the workers not down (from /v1/capacity), capped at :data:`MAX_BURST`."""
    info = parse_json_object(ctx.request("GET", "/v1/capacity").text or "") or {}
    slots = sum(
        int(w.get("slots", 0))
        for w in field_list(info, "workers")
        if isinstance(w, Mapping) and w.get("state") != "down" and isinstance(w.get("slots"), int)
    )
    return min(slots, MAX_BURST)


def cancel_all(ctx: CheckContext, task_ids: list[str]) -> None:
    """Cancel the suite's tasks so a load check leaves the target idle."""
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        list(pool.map(lambda task_id: ctx.request("POST", f"/v1/tasks/{task_id}/cancel"), task_ids))


@check("backpressure-burst", requirements=BURST_REQS, profiles=["backpressure"])
def backpressure_burst(ctx: CheckContext) -> None:
    """A burst of several times the queue capacity: 429s with policy_label; admitted streams end once."""
    with Verdicts(ctx, BURST_REQS) as verdicts:
        size = burst_size(ctx)
        capacity = limit(ctx, "queue_capacity")
        started = time.monotonic()
        refusals = drops = 0
        deepest, steps = -1, []
        for multiple, in_flight, factor in STEPS:
            if time.monotonic() - started > BURST_BUDGET_S:
                break
            tokens, count = hold_tokens(ctx, factor), min(MAX_STEP_BURST, size * multiple)
            steps.append(f"{count} ({in_flight} at once, {tokens} tokens)")
            admitted, step_refusals, step_deepest = _burst_step(
                ctx, verdicts, (count, in_flight), tokens, started
            )
            refusals, deepest = refusals + step_refusals, max(deepest, step_deepest)
            streams = _read_streams(ctx, admitted)
            drops += sum(_judge_admitted_stream(verdicts, stream) for stream in streams)
            if refusals:
                # Only a refusal shows the 429 rules (ERR-RETRY-AFTER, the policy label); a target that
                # dropped queued work in this step without refusing any is given the next, larger one.
                break
        if not refusals and not drops and not verdicts.failed_any("BP-QUEUE-BOUNDED"):
            verdicts.skip(
                "BP-QUEUE-BOUNDED",
                f"bursts of {'; '.join(steps)} tasks never filled the queue "
                f"(deepest position {deepest}, capacity {capacity}): "
                "the target ran tasks as fast as they came",
            )
        if not drops:
            verdicts.skip(
                "BP-DROP-LRU-EVENT", "no queued task was dropped (the target refuses rather than drops)"
            )
        if not refusals:
            verdicts.skip("ERR-RETRY-AFTER", f"no task of the bursts of {'; '.join(steps)} was refused")


def _read_streams(ctx: CheckContext, admitted: list[str]) -> list[StreamResult]:
    """The first CONCURRENCY admitted streams read live, side by side, while their tasks run (a
    gateway that loses terminal events only with several streams open shows it here); then the
    rest, after every task was cancelled (so long holds cost the target nothing)."""
    live, rest = admitted[:CONCURRENCY], admitted[CONCURRENCY:]
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        streams = list(pool.map(lambda task_id: events_of(ctx, task_id), live))
        cancel_all(ctx, rest)
        streams += list(pool.map(lambda task_id: events_of(ctx, task_id), rest))
    return streams


def _burst_step(
    ctx: CheckContext, verdicts: Verdicts, shape: tuple[int, int], tokens: int, started: float
) -> tuple[list[str], int, int]:
    """One burst of ``shape`` = (tasks, in flight at once), batch first, then interactive, asking
    ``tokens`` each; judges the answers; returns the admitted ids, the refusals and the deepest
    queue position."""
    capacity = limit(ctx, "queue_capacity")
    size, in_flight = shape

    def send(i: int) -> tuple[str, Response | None]:
        if time.monotonic() - started > BURST_BUDGET_S:
            return "", None
        priority = "batch" if i < size // 2 else "interactive"
        body = task_body(ctx, priority=priority, max_tokens=tokens)
        return str(body["task_id"]), submit(ctx, body)

    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        answers = list(pool.map(send, range(size)))
    admitted: list[str] = []
    refusals, deepest = 0, -1
    for task_id, response in answers:
        if response is None:
            continue
        if response.status == 202:
            admitted.append(task_id)
            position = (parse_json_object(response.text or "") or {}).get("queue_position")
            if isinstance(position, int):
                deepest = max(deepest, position)
                if capacity is not None and position >= capacity:
                    verdicts.fail(
                        "BP-QUEUE-BOUNDED",
                        f"a task was admitted at queue position {position}",
                        expected=f"positions below the queue capacity {capacity}",
                        received=str(position),
                        exchanges=[response.exchange],
                    )
            continue
        refusals += 1
        _judge_refusal(ctx, verdicts, response)
    return admitted, refusals, deepest


def _judge_refusal(ctx: CheckContext, verdicts: Verdicts, response: Response) -> None:
    """A refusal under load: never a 5xx, always a documented error (429 ADMISSION_REJECT...).

    The bounded queue is judged on a 5xx (broken) and on a documented 429 (held); any other refusal
    says nothing about it."""
    envelope = judge_native_error(ctx, verdicts, response)
    documented = envelope is not None and envelope.get("code") in ctx.contract.error_policy
    verdicts.expect(
        "BP-BURST-NO-LOSS",
        documented,
        f"a refusal under load is not a documented error ({response.status})",
        answer=response,
    )
    server_error = response.status >= 500 or response.status == 0
    if server_error or (response.status == 429 and documented):
        verdicts.expect(
            "BP-QUEUE-BOUNDED",
            not server_error,
            f"overload answered {response.status}",
            answer=response,
            expected="429",
        )


def _judge_admitted_stream(verdicts: Verdicts, stream: StreamResult) -> int:
    """Judge one admitted task's stream; returns 1 when it was a QUEUE_FULL_DROP_LRU drop."""
    terminals = terminal_events(stream)
    if not verdicts.expect(
        "BP-BURST-NO-LOSS",
        len(terminals) == 1,
        f"an admitted stream ended with {len(terminals)} terminal events ({stream.termination})",
        expected="exactly one end or error",
        exchanges=[stream.exchange],
    ):
        return 0
    name, data = terminals[0]
    if name != "error" or not isinstance(data, Mapping) or data.get("code") != "QUEUE_FULL_DROP_LRU":
        return 0
    label = data.get("policy_label")
    for req in ("BP-DROP-LRU-EVENT", "ERR-POLICY-LABEL"):
        verdicts.expect(
            req,
            isinstance(label, str) and bool(label.strip()),
            "a QUEUE_FULL_DROP_LRU event has no policy_label",
            received=str(data)[:200],
            exchanges=[stream.exchange],
        )
    return 1


@check("task-priority", requirements=["TASK-PRIORITY"], profiles=["backpressure"])
def task_priority(ctx: CheckContext) -> None:
    """An interactive task queued behind batch tasks is ahead of them in the queue."""
    req = "TASK-PRIORITY"
    with Verdicts(ctx, [req]) as verdicts:
        capacity = limit(ctx, "queue_capacity")
        count = max(2, min(8, (capacity or 4) - 1))
        ids: list[str] = []
        # Interactive fillers beyond the slots wait in the queue ahead of the batch tasks, so a filler that
        # ends early hands its slot to the next filler, not to a batch task (room left in the queue).
        spare = max(0, min(count, (capacity or 0) - count - 1))
        # Tried up to five times: on a loaded machine (or a target whose tasks end in a few ms, as the
        # reference's do) a filler may end before the batch tasks arrive, leaving a free slot that runs
        # them at once, or the queue may drain before the places are read.
        why = "no batch task stayed queued (free slots ran them at once): priority not observable"
        for _attempt in range(5):
            batch_ids = _fill_then_queue_batch(ctx, count, ids, spare)
            # The interactive task goes in at once; which batch tasks still wait is read after it.
            interactive = task_body(ctx, priority="interactive", max_tokens=1)
            answer = submit(ctx, interactive)
            ids.append(str(interactive["task_id"]))
            if answer.status != 202:
                why = f"the interactive task was not admitted ({answer.status})"
            else:
                unjudged = _judge_priority(ctx, verdicts, answer, str(interactive["task_id"]), batch_ids)
                if unjudged is None:
                    break
                why = unjudged
            cancel_all(ctx, ids)
        else:
            verdicts.skip(req, why)
        cancel_all(ctx, ids)


def _judge_priority(
    ctx: CheckContext, verdicts: Verdicts, answer: Response, interactive_id: str, batch_ids: list[str]
) -> str | None:
    """Compare the interactive task's place with the batch tasks queued before it, read so that a
    draining queue cannot fail a correct target: the batch positions first, the interactive's after.
    Positions only fall while the queue drains, so a target that queues the interactive task first
    shows it below every batch position read earlier; the admission answer's position is not used
    (the batch tasks move up between it and their reads: that race failed the reference under load).
    When the interactive task has left the queue already, batch tasks still waiting show it went first.
    Returns None when the rule was judged, else why not (the caller tries again).
    """
    req = "TASK-PRIORITY"
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        statuses = dict(zip(batch_ids, pool.map(lambda tid: _task_status(ctx, tid), batch_ids), strict=True))
    behind = {tid: s.get("queue_position") for tid, s in statuses.items() if s.get("state") == "queued"}
    if not behind:
        return "no batch task stayed queued (free slots ran them at once): priority not observable"
    now = _task_status(ctx, interactive_id)
    position = now.get("queue_position")
    if now.get("state") == "queued" and isinstance(position, int):
        ahead_of_it = [tid for tid, pos in behind.items() if isinstance(pos, int) and pos < position]
        verdicts.expect(
            req,
            not ahead_of_it,
            f"{len(ahead_of_it)} batch task(s) stay ahead of an interactive one",
            expected=f"interactive position below every queued batch task ({behind})",
            received=f"interactive at {position}",
            exchanges=[answer.exchange],
        )
        return None
    waiting = [tid for tid in behind if _task_status(ctx, tid).get("state") == "queued"]
    if now.get("state") in ("running", "succeeded") and waiting:
        verdicts.passed(
            req,
            f"the interactive task left the queue while {len(waiting)} batch task(s) queued before it waited",
            exchanges=[answer.exchange],
        )
        return None
    return f"the queue drained before the places could be compared ({now.get('state')})"


def _fill_then_queue_batch(ctx: CheckContext, count: int, ids: list[str], spare: int) -> list[str]:
    """Busy every slot (long interactive tasks, ``spare`` more waiting), then submit ``count`` batch
    tasks that must wait in the queue; every admitted id is appended to ``ids``; the batch ids are
    returned."""
    # The longest hold: a filler must outlast the batch submissions (it is cancelled afterwards).
    hold = hold_tokens(ctx, STEPS[-1][2])
    slots = total_slots(ctx) + spare
    fillers = [task_body(ctx, priority="interactive", max_tokens=hold) for _ in range(slots)]
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        filled = list(pool.map(lambda b: submit(ctx, b), fillers))
    ids.extend(str(b["task_id"]) for b, r in zip(fillers, filled, strict=True) if r.status == 202)
    # In parallel, like the fillers: a target whose tasks end in a few ms (the reference) frees its
    # slots while batch tasks are sent one by one on a loaded machine.
    batch = [task_body(ctx, priority="batch", max_tokens=1) for _ in range(count)]
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        sent = list(pool.map(lambda b: submit(ctx, b), batch))
    batch_ids = [str(b["task_id"]) for b, r in zip(batch, sent, strict=True) if r.status == 202]
    ids.extend(batch_ids)
    return batch_ids


def _task_status(ctx: CheckContext, task_id: str) -> dict[str, Any]:
    _, status = wait_task(ctx, task_id, wait_ms=0)
    return status or {}


@check("admission-estimates", requirements=["BP-ESTIMATES"], profiles=["backpressure"])
def admission_estimates(ctx: CheckContext) -> None:
    """The first token comes no later than twice predicted_start_ms plus 1 s."""
    req = "BP-ESTIMATES"
    with Verdicts(ctx, [req]) as verdicts:
        body = task_body(ctx, max_tokens=min(2, ctx.options.max_tokens))
        t0 = time.monotonic()
        answer = submit(ctx, body)
        predicted = (parse_json_object(answer.text or "") or {}).get("predicted_start_ms")
        if answer.status != 202 or not isinstance(predicted, int) or isinstance(predicted, bool):
            verdicts.skip(req, f"the task was not admitted with a prediction ({answer.status})")
            return
        if predicted < 0:
            # A start time in the past is no estimate (the contract's minimum is 0); judged here, or a
            # target answering -5 would pass whenever its first token came within 990 ms.
            verdicts.fail(
                req,
                f"predicted_start_ms {predicted} is no estimate",
                expected="a non-negative number of milliseconds",
                received=str(predicted),
                exchanges=[answer.exchange],
            )
            return
        stream = events_of(ctx, str(body["task_id"]))
        first = next((e for e in stream.transcript.events if e.event == "token"), None)
        if first is None:
            verdicts.skip(req, "the stream had no token to time")
        else:
            waited_ms = (first.t_first - t0) * 1000
            verdicts.expect(
                req,
                waited_ms <= 2 * predicted + 1000,
                f"first token after {waited_ms:.0f} ms for a prediction of {predicted} ms",
                expected=f"at most {2 * predicted + 1000} ms",
                received=f"{waited_ms:.0f} ms",
                exchanges=[stream.exchange, answer.exchange],
            )


@check("deadline-unmet", requirements=["DL-UNMET-REJECT"], profiles=["backpressure"], needs=["deadlines"])
def deadline_unmet(ctx: CheckContext) -> None:
    """A 1 ms deadline: refused 504 DEADLINE_UNMET, or ends with an error DEADLINE_UNMET, never `end`."""
    req = "DL-UNMET-REJECT"
    with Verdicts(ctx, [req]) as verdicts:
        body = task_body(ctx, deadline_ms=1, max_tokens=min(8, ctx.options.max_tokens))
        answer = submit(ctx, body)
        if answer.status != 202:
            judge_native_error(
                ctx, verdicts, answer, ErrorExpectation(status=504, code="DEADLINE_UNMET", requirement=req)
            )
        else:
            terminals = terminal_events(events_of(ctx, str(body["task_id"])))
            last = terminals[-1] if terminals else ("none", None)
            code = last[1].get("code") if isinstance(last[1], Mapping) else None
            verdicts.expect(
                req,
                last[0] == "error" and code == "DEADLINE_UNMET",
                f"an admitted task with a 1 ms deadline ended with {last[0]} {code or ''}".strip(),
                expected="error event DEADLINE_UNMET",
                received=str(last[1])[:200],
                exchanges=[answer.exchange],
            )
