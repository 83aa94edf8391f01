"""After the load stops: the target must answer again, judged like any other stream.

Why: a gateway that refuses correctly under load but keeps refusing afterwards (a queue that never
drains, a slot that leaked) has lost work as surely as one that dropped a stream. One request of each
kind in the mix is sent until it is admitted, honouring ``Retry-After`` (at most 1 s a wait), within
a bounded time; what came back is judged and counted, and how long each kind took is kept.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from llmgw_conformance.load.coverage import RECOVERY
from llmgw_conformance.load.judging import StreamOutcome, run_request
from llmgw_conformance.load.mix import planned_request
from llmgw_conformance.load.users import LoadState

#: How long after the load the target has to admit each kind again.
RECOVERY_BUDGET_S = 20.0


def check_recovery(state: LoadState, budget_s: float = RECOVERY_BUDGET_S) -> dict[str, Any]:
    """One admitted, judged stream per kind; the tally gets the verdicts; returns what happened."""
    report: dict[str, Any] = {"budget_s": budget_s, "kinds": {}}
    deadline = time.monotonic() + budget_s
    with httpx.Client(base_url=state.base_url, headers=state.headers()) as client:
        for kind in state.mix:
            t0 = time.monotonic()
            tries, last = 0, None
            while time.monotonic() < deadline:
                tries += 1
                last = run_request(client, planned_request(kind, state.facts), state.limits, state.redactor)
                if last.status == "admitted":
                    break
                time.sleep(min(1.0, max(0.05, deadline - time.monotonic())))
            recovered = last is not None and last.status == "admitted"
            report["kinds"][kind] = {
                "recovered": recovered,
                "after_s": round(time.monotonic() - t0, 3),
                "tries": tries,
                "last": None if last is None else (last.http_status, last.refusal_code),
            }
            if last is not None:
                if not recovered:
                    _still_refusing(last, budget_s)
                state.tally.record(last, 0)
    report["recovered"] = all(k["recovered"] for k in report["kinds"].values())
    return report


def _still_refusing(outcome: StreamOutcome, budget_s: float) -> None:
    outcome.fail(
        RECOVERY,
        f"{budget_s:g} s after the load stopped the target still refuses {outcome.kind} "
        f"({outcome.http_status} {outcome.refusal_code})",
        expected="admitted again once the load stopped (the queue drains)",
        received=f"{outcome.http_status} {outcome.refusal_code}",
    )
