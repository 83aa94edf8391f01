"""Running a load: alone (the default), as Locust master, or as a Locust worker.

Why Locust's own runners: the same command runs on one machine, or as ``--master`` with workers on
others (``--worker --master-host``); spawning, shapes and the master/worker protocol are Locust's.
Ours are the verdicts and figures: each process keeps a :class:`~.tally.Tally`; workers hand their
new share to the master with every ``report_to_master`` and once more on request when the load
stops (a custom message, so the master knows it has every worker's last share before reporting).
Everything is bounded: the duration or the step budgets, a request count, and waits for workers.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import gevent  # type: ignore[import-untyped]
import httpx
from locust.env import Environment
from locust.event import Events
from locust.runners import STATE_STOPPED, MasterRunner

from llmgw_conformance.load.judging import run_request
from llmgw_conformance.load.mix import planned_request
from llmgw_conformance.load.recovery import check_recovery
from llmgw_conformance.load.tally import Tally
from llmgw_conformance.load.users import LoadState, StepShape, user_class

FLUSH, SHARE = "llmgw_flush", "llmgw_share"
#: Seconds the master waits for its workers to connect, and for their last shares.
WORKER_WAIT_S = 60.0
FLUSH_WAIT_S = 15.0


@dataclass
class LoadPlan:
    """How the load is shaped: fixed users for a duration, or steps within budgets."""

    users: int = 10
    spawn_rate: float = 10.0
    duration_s: float = 10.0
    step: bool = False
    user_budget: int = 512
    time_budget_s: float = 60.0
    step_s: float = 5.0
    mode: str = "alone"  # alone | master | worker
    master_host: str = "127.0.0.1"
    master_port: int = 5557
    expect_workers: int = 1
    recovery: bool = True


@dataclass
class LoadRun:
    """What the session hands the report: the merged tally and what happened when."""

    tally: Tally
    started: float
    duration_s: float
    plan: LoadPlan
    steps: list[dict[str, Any]] = field(default_factory=list)
    refusals_began: dict[str, Any] | None = None
    highest_users: int = 0
    recovery: dict[str, Any] | None = None
    workers: int = 0
    locust_stats: dict[str, Any] = field(default_factory=dict)
    #: The most requests in flight at once in this process (0 on a master: its workers send).
    peak_open: int = 0


Progress = Callable[[dict[str, Any]], None]


def run_load(state: LoadState, plan: LoadPlan, progress: Progress | None = None) -> LoadRun:
    """Run the load as ``plan.mode`` says; a worker returns its (already sent) run when told to quit."""
    warm_up(state)
    try:
        return _run_load(state, plan, progress)
    finally:
        state.close()


def warm_up(state: LoadState) -> None:
    """One request of each kind before the load, not counted: the judges compile their schemas
    (seconds of CPU that would stall every stream in flight) and the target loads its model."""
    with httpx.Client(base_url=state.base_url, headers=state.headers()) as client:
        for kind in state.mix:
            run_request(client, planned_request(kind, state.facts), state.limits, state.redactor)


def _run_load(state: LoadState, plan: LoadPlan, progress: Progress | None) -> LoadRun:
    shape = _shape(plan, state) if plan.step and plan.mode != "worker" else None
    env = Environment(user_classes=[user_class(state)], shape_class=shape, events=Events())  # type: ignore[no-untyped-call]
    env.stop_timeout = 0
    if plan.mode == "worker":
        return _run_worker(env, state, plan)
    merged = state.tally if plan.mode == "alone" else Tally()
    if shape is not None:
        shape.refused = lambda: merged.count("refused")
    started = time.time()
    runner = env.create_local_runner() if plan.mode == "alone" else _master(env, merged, plan)
    workers = len(runner.clients.ready) if isinstance(runner, MasterRunner) else 0
    if shape is not None:
        runner.start_shape()
    else:
        runner.start(plan.users, spawn_rate=plan.spawn_rate)
    peak_users = [0]
    _wait(env, state, plan, merged, shape, progress, started, peak_users)
    runner.stop()
    if isinstance(runner, MasterRunner):
        _collect_last_shares(runner, merged, workers)
    run = LoadRun(merged, started, round(time.time() - started, 3), plan, workers=workers)
    run.locust_stats = _locust_stats(env)
    run.peak_open = state.peak_open
    run.highest_users = max(
        [peak_users[0], *(int(b.get("users", 0)) for b in merged.doc["timeline"].values())]
    )
    if shape is not None:
        run.steps, run.refusals_began = shape.steps, shape.refusals_began
    runner.quit()
    if plan.recovery:
        state.tally = merged  # a master's recovery verdicts join the merged tally
        run.recovery = check_recovery(state)
    return run


def _shape(plan: LoadPlan, state: LoadState) -> StepShape:
    shape = StepShape()
    shape.start = max(1, plan.users)
    shape.user_budget = max(shape.start, plan.user_budget)
    shape.step_s, shape.time_budget_s, shape.spawn_rate = plan.step_s, plan.time_budget_s, plan.spawn_rate
    return shape


def _master(env: Environment, merged: Tally, plan: LoadPlan) -> MasterRunner:
    runner = env.create_master_runner(master_bind_host=plan.master_host, master_bind_port=plan.master_port)
    env.events.worker_report.add_listener(  # type: ignore[no-untyped-call]
        lambda client_id, data, **_: merged.merge(data.get("llmgw", {}))
    )
    deadline = time.monotonic() + WORKER_WAIT_S
    while len(runner.clients.ready) < plan.expect_workers and time.monotonic() < deadline:
        gevent.sleep(0.2)
    if len(runner.clients.ready) < plan.expect_workers:
        runner.quit()
        raise RuntimeError(
            f"{len(runner.clients.ready)} of {plan.expect_workers} workers connected "
            f"within {WORKER_WAIT_S:g} s"
        )
    return runner


def _collect_last_shares(runner: MasterRunner, merged: Tally, workers: int) -> None:
    """Ask every worker for what it judged since its last report; wait (bounded) for all of them."""
    answered: set[str] = set()

    def on_share(environment: Any, msg: Any, **_: Any) -> None:
        merged.merge(msg.data.get("llmgw", {}))
        answered.add(str(msg.data.get("client_id")))

    runner.register_message(SHARE, on_share)
    runner.send_message(FLUSH, None)
    deadline = time.monotonic() + FLUSH_WAIT_S
    while len(answered) < workers and time.monotonic() < deadline:
        gevent.sleep(0.1)


def _run_worker(env: Environment, state: LoadState, plan: LoadPlan) -> LoadRun:
    started = time.time()
    runner = env.create_worker_runner(plan.master_host, plan.master_port)
    sent = Tally()  # everything handed to the master, for this worker's own summary

    def share() -> dict[str, Any]:
        taken = state.tally.take()
        sent.merge(taken)
        return taken

    env.events.report_to_master.add_listener(  # type: ignore[no-untyped-call]
        lambda client_id, data, **_: data.update(llmgw=share())
    )

    def on_flush(environment: Any, msg: Any, **_: Any) -> None:
        runner.send_message(SHARE, {"client_id": runner.client_id, "llmgw": share()})

    runner.register_message(FLUSH, on_flush)
    bound = plan.duration_s + plan.time_budget_s + WORKER_WAIT_S + FLUSH_WAIT_S + 60
    deadline = time.monotonic() + bound
    while len(runner.greenlet) and time.monotonic() < deadline:  # the master's quit empties it
        state.users = runner.user_count
        runner.greenlet.join(timeout=0.5)
    if len(runner.greenlet):
        runner.quit()
    return LoadRun(sent, started, round(time.time() - started, 3), plan)


def _wait(
    env: Environment,
    state: LoadState,
    plan: LoadPlan,
    merged: Tally,
    shape: StepShape | None,
    progress: Progress | None,
    started: float,
    peak_users: list[int],
) -> None:
    """Until the duration (fixed load) or the shape (steps) ends, or the request count is spent."""
    runner = env.runner
    assert runner is not None
    limit = plan.time_budget_s if shape is not None else plan.duration_s
    deadline = time.monotonic() + limit + 5
    next_progress = 0.0
    gevent.sleep(0.2)
    while time.monotonic() < deadline:
        state.users = runner.user_count
        peak_users[0] = max(peak_users[0], runner.user_count)
        if shape is None and time.monotonic() - (deadline - 5) >= 0:
            break
        if shape is not None and runner.state == STATE_STOPPED:
            break
        if state.started >= state.max_requests and runner.user_count == 0:
            break
        if progress is not None and time.monotonic() >= next_progress:
            progress(_snapshot(env, merged, started))
            next_progress = time.monotonic() + 1.0
        gevent.sleep(0.1)


def _snapshot(env: Environment, merged: Tally, started: float) -> dict[str, Any]:
    runner = env.runner
    stats = env.stats.total
    return {
        "elapsed_s": round(time.time() - started, 1),
        "users": runner.user_count if runner is not None else 0,
        "rps": round(stats.current_rps, 1),
        "judged": merged.judged(),
        "refused": merged.count("refused"),
        "violations": sum(b.get("violations", 0) for b in merged.doc["timeline"].values()),
    }


def _locust_stats(env: Environment) -> dict[str, Any]:
    total = env.stats.total
    return {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.total_rps, 2),
        "median_ms": total.median_response_time,
        "p95_ms": total.get_response_time_percentile(0.95),
    }
