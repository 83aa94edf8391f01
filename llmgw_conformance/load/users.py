"""The Locust side: simulated users that send the mix and judge every answer, and the step shape.

Why a custom client and not Locust's HttpUser: the judges need an ``httpx`` streaming response for
the strict SSE reader (:func:`llmgw_conformance.sse.read_stream`), so each user holds its own
``httpx.Client`` (Locust's gevent patches make it cooperative) and reports every stream to Locust's
statistics with ``events.request.fire``, as Locust's documentation says custom clients should.
Importing this module imports Locust (and its gevent monkey-patching).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from locust import LoadTestShape, User, constant, task
from locust.exception import StopUser

from llmgw_conformance.load.judging import Limits, StreamOutcome, run_request
from llmgw_conformance.load.mix import PlannedRequest, TargetFacts, planned_request
from llmgw_conformance.load.tally import Tally
from llmgw_conformance.redaction import Redactor


@dataclass
class LoadState:
    """What every user of one process shares: where to send, what to send, and the running tally."""

    base_url: str
    api_key: str | None
    facts: TargetFacts
    mix: dict[str, int]
    limits: Limits
    redactor: Redactor
    #: Judge every answer (the suite), or only read it to its end (the bench's peer).
    judge: bool = True
    max_requests: int = 1_000_000
    seed: int = 0
    tally: Tally = field(default_factory=Tally)
    started: int = 0
    #: Set by the session: the users running now in this process (for the timeline).
    users: int = 0
    #: Requests in flight now, and the most at once (each one a stream being read and judged).
    open: int = 0
    peak_open: int = 0

    shared: httpx.Client | None = None

    def headers(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.api_key}"} if self.api_key else {}

    def client(self) -> httpx.Client:
        """One client for every user of the process: its pool is safe to share between greenlets,
        and one client per user would cost thousands of TLS contexts at a few thousand users."""
        if self.shared is None:
            self.shared = httpx.Client(
                base_url=self.base_url,
                headers=self.headers(),
                timeout=httpx.Timeout(self.limits.header_budget_s, connect=self.limits.connect_s),
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=None),
            )
        return self.shared

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()
            self.shared = None


def user_class(state: LoadState) -> type[User]:
    """A User class bound to ``state`` (a fresh class per run, so runs in one process never mix)."""
    kinds = list(state.mix)
    weights = [state.mix[k] for k in kinds]

    class ConformanceUser(User):
        wait_time = constant(0)

        def on_start(self) -> None:
            self.rng = random.Random(state.seed + id(self))
            self.http = state.client()

        @task
        def one_request(self) -> None:
            if state.started >= state.max_requests:
                raise StopUser()
            state.started += 1
            plan = planned_request(self.rng.choices(kinds, weights)[0], state.facts)
            t0 = time.perf_counter()
            state.open += 1
            state.peak_open = max(state.peak_open, state.open)
            try:
                if state.judge:
                    outcome = run_request(self.http, plan, state.limits, state.redactor)
                else:
                    outcome = read_only(self.http, plan, state.limits)
            finally:
                state.open -= 1
            _fire(self.environment, plan, outcome, (time.perf_counter() - t0) * 1000)
            state.tally.record(outcome, state.users)

    ConformanceUser.__name__ = "JudgingUser" if state.judge else "ReadingUser"
    return ConformanceUser


def _fire(environment: Any, plan: PlannedRequest, outcome: StreamOutcome, elapsed_ms: float) -> None:
    """One Locust request record per stream: a refusal or a violation counts as a failure."""
    exception: Exception | None = None
    if outcome.status == "transport":
        exception = ConnectionError(outcome.detail)
    elif outcome.status == "refused":
        exception = RuntimeError(f"refused {outcome.http_status} {outcome.refusal_code}")
    elif outcome.violations:
        exception = AssertionError(outcome.violations[0]["requirement"])
    environment.events.request.fire(
        request_type=plan.kind,
        name=plan.path if plan.events_path is None else "/v1/tasks (+events)",
        response_time=elapsed_ms,
        response_length=outcome.tokens,
        exception=exception,
        context={},
    )


def read_only(client: httpx.Client, plan: PlannedRequest, limits: Limits) -> StreamOutcome:
    """The same request read to its end without judging: what a load tool that only times does."""
    outcome = StreamOutcome(plan.kind, "admitted", started=time.time())
    try:
        if plan.events_path is not None:
            answer = client.request(plan.method, plan.path, json=plan.body)
            if answer.status_code != 202:
                outcome.status, outcome.http_status = "refused", answer.status_code
                return outcome
        method, path = ("GET", plan.events_path) if plan.events_path else (plan.method, plan.path)
        body = None if plan.events_path else plan.body
        with client.stream(method, path, json=body, timeout=limits.stream_s) as response:
            outcome.http_status = response.status_code
            if response.status_code >= 300:
                outcome.status = "refused"
            for chunk in response.iter_raw():
                outcome.tokens += chunk.count(b"\n\n")
    except httpx.HTTPError as exc:
        outcome.status, outcome.detail = "transport", str(exc)
    return outcome


class StepShape(LoadTestShape):
    """Raise the users step by step until the target refuses work or a budget ends.

    Steps double the users (from ``start``) up to ``user_budget``, each held ``step_s`` seconds;
    once a refusal is seen, one more step is held so the refusals are judged, then the load stops.
    ``refused`` is read each tick (the master's merged tally in a distributed run).
    """

    start = 8
    user_budget = 512
    step_s = 5.0
    time_budget_s = 60.0
    spawn_rate = 200.0
    refused: Any = staticmethod(lambda: 0)

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.steps: list[dict[str, Any]] = []
        self.refusals_began: dict[str, Any] | None = None

    def users_at(self, step: int) -> int:
        return int(min(self.user_budget, self.start * 2**step))

    def tick(self) -> tuple[int, float] | None:
        run_time = float(self.get_run_time())  # type: ignore[no-untyped-call]
        if run_time >= self.time_budget_s:
            return None
        step = int(run_time // self.step_s)
        users = self.users_at(step)
        if not self.steps or self.steps[-1]["step"] != step:
            self.steps.append({"step": step, "users": users, "at_s": round(run_time, 1)})
        if self.refusals_began is None and self.refused() > 0:
            self.refusals_began = dict(self.steps[-1])
        if self.refusals_began is not None and step >= self.refusals_began["step"] + 2:
            return None
        return users, self.spawn_rate
