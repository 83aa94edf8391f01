"""Runs one check in its own thread, with its own connections, on a deadline.

Why: a check is code written against targets that may be hostile; the run must finish, in bounded
time, whatever one check does. The context bounds every request by the check's remaining budget (so
a check over budget stops at its next request), and the runner waits for the thread at most the
budget plus :data:`GRACE_S`; a check still running then is abandoned (a daemon thread whose
connections are closed and whose next request raises) and reported as ``budget_exceeded``. An
exception escaping a check is the suite's fault: status ``error`` with its traceback. Nothing a
check does ends the run.
"""

from __future__ import annotations

import threading
import traceback

from llmgw_conformance.contract import LoadedContract
from llmgw_conformance.http_session import HttpSession
from llmgw_conformance.live import CheckBudgetExceeded, LiveContext, NoModelKnown, limits_from
from llmgw_conformance.options import SuiteOptions, header_pairs
from llmgw_conformance.outcomes import Finding
from llmgw_conformance.redaction import Redactor
from llmgw_conformance.registry import CheckSpec, TargetViolation
from llmgw_conformance.run_control import TargetHealth, TargetUnusable
from llmgw_conformance.target import DiscoveredTarget

#: Extra seconds the runner waits for a check thread beyond its budget before abandoning it.
GRACE_S = 2.0


def run_isolated(spec: CheckSpec, ctx: LiveContext, budget_s: float) -> tuple[str, str]:
    """Run one check in a thread; return (status, traceback text).

    The status is one of completed, error, budget_exceeded, no_model, target_unusable: what
    :meth:`llmgw_conformance.run_state.RunState.accept` turns into findings.
    """
    box: dict[str, str] = {"status": "budget_exceeded", "traceback": ""}

    def body() -> None:
        try:
            spec.function(ctx)
            box["status"] = "completed"
        except TargetViolation as violation:
            try:
                evidence = violation.evidence
                evidence.setdefault("exchanges", ctx.exchanges[-3:])
                ctx.failed(violation.requirement_id, violation.message, **evidence)
                box["status"] = "completed"
            except Exception:
                box["status"], box["traceback"] = "error", traceback.format_exc()
        except CheckBudgetExceeded:
            box["status"] = "budget_exceeded"
        except NoModelKnown:
            box["status"] = "no_model"
        except TargetUnusable:
            box["status"] = "target_unusable"
        except BaseException:  # the check's own bug: never let it end the run
            box["status"], box["traceback"] = "error", traceback.format_exc()

    thread = threading.Thread(target=body, name=f"check-{spec.name}", daemon=True)
    thread.start()
    thread.join(budget_s + GRACE_S)
    if thread.is_alive():
        return "budget_exceeded", ""
    return box["status"], box["traceback"]


def run_with_own_session(
    base_url: str,
    spec: CheckSpec,
    target: DiscoveredTarget,
    contract: LoadedContract,
    options: SuiteOptions,
    redactor: Redactor,
    health: TargetHealth,
    budget_s: float,
) -> tuple[str, str, list[Finding]]:
    """Run one check isolated on its own connections; return (status, traceback, findings).

    Why its own connections: closing them after the check also stops an abandoned (over-budget)
    check from talking to the target while the next one runs.
    """
    own = HttpSession(
        base_url,
        limits_from(options),
        redactor,
        api_key=options.api_key,
        headers=dict(header_pairs(options.headers)),
        health=health,
    )
    ctx = LiveContext(
        target=target,
        contract=contract,
        options=options,
        session=own,
        check_name=spec.name,
        budget_s=budget_s,
        guard_model=True,
    )
    try:
        status, tb = run_isolated(spec, ctx, budget_s)
    finally:
        own.close()
    return status, tb, list(ctx.findings)
