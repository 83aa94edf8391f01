"""Starting the reference in a fault mode, and running the suite against a target.

Why separate processes: a fault may stall or break the server, and the suite must judge it over real
HTTP exactly as it judges anyone else's gateway; neither may take the harness down. Both are forked
from one warm interpreter (`tools.killmatrix.forked`), so a row no longer pays two interpreter starts.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.process import BaseProcess

import httpx

from tools.killmatrix import forked
from tools.killmatrix.plan import SUITE_LIMITS
from tools.local_ports import free_port

#: How long the reference may take to answer /healthz.
START_TIMEOUT_S = 30.0
#: Hard wall-clock limit of one suite run (the suite's own run budget is smaller).
SUITE_TIMEOUT_S = 300.0
#: Pause between two /healthz polls while the reference starts.
POLL_S = 0.02
#: uvicorn's exit code when it cannot start (e.g. the port was taken after it was picked).
UVICORN_STARTUP_FAILURE = 3
#: Ports tried before a reference that cannot start is reported.
START_ATTEMPTS = 3


@dataclass
class ReferenceServer:
    """`with ReferenceServer(faults=[...]) as ref:` runs the reference on a free port."""

    faults: Sequence[str] = ()
    extra_args: Sequence[str] = ()
    port: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: "sk-km-" + secrets.token_hex(12))
    restricted_key: str = field(default_factory=lambda: "sk-km-ro-" + secrets.token_hex(12))
    process: BaseProcess | None = None
    #: CPU seconds the server used, read as it is stopped.
    cpu_s: float = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def arguments(self) -> list[str]:
        """The command-line flags of `python -m llmgw_reference` for this server."""
        args = ["--host", "127.0.0.1", "--port", str(self.port)]
        args += ["--api-key", self.api_key, "--api-key", f"{self.restricted_key}=control:read"]
        for name in self.faults:
            args += ["--fault", name]
        return args + list(self.extra_args)

    def __enter__(self) -> ReferenceServer:
        self.process = forked.start_reference(self.arguments())
        deadline = time.monotonic() + START_TIMEOUT_S
        attempts = 1
        with httpx.Client(timeout=1.0) as poll:
            while time.monotonic() < deadline:
                if not self.process.is_alive():
                    # The port was free when picked, but another process (a test's client socket,
                    # another row's server) can take it before the reference binds: uvicorn then
                    # exits 3 (startup failure). Pick another port rather than lose the row.
                    if self.process.exitcode == UVICORN_STARTUP_FAILURE and attempts < START_ATTEMPTS:
                        attempts += 1
                        self.port = free_port()
                        self.process = forked.start_reference(self.arguments())
                        continue
                    raise RuntimeError(
                        f"reference with faults {list(self.faults)} exited {self.process.exitcode}"
                    )
                try:
                    if poll.get(self.base_url + "/healthz").status_code == 200:
                        return self
                except httpx.HTTPError:
                    pass
                time.sleep(POLL_S)
        self.__exit__(None, None, None)
        raise RuntimeError(f"reference with faults {list(self.faults)} did not start in {START_TIMEOUT_S} s")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.cpu_s = forked.cpu_seconds(self.process)
            forked.stop(self.process)


@dataclass(frozen=True)
class SuiteOutcome:
    """What one suite run said: failed ids (MUST and SHOULD), suite errors, exit code, time."""

    failed: tuple[str, ...]
    errors: tuple[str, ...]
    exit_code: int
    seconds: float
    outcomes: dict[str, str]
    #: The `llmgw_conformance run` flags of each suite run behind this outcome (target and keys left out).
    runs: tuple[tuple[str, ...], ...] = ()
    #: CPU seconds of the suite run (and, once `with_server_cpu` added it, of the server it judged).
    cpu_s: float = 0.0

    def with_server_cpu(self, server_cpu_s: float) -> SuiteOutcome:
        """This outcome with the CPU of the server it judged added."""
        return replace(self, cpu_s=self.cpu_s + server_cpu_s)

    def merge(self, other: SuiteOutcome) -> SuiteOutcome:
        """Both runs as one: an id failed or errored in either run keeps that outcome."""
        rank = {"error": 4, "failed": 3, "passed": 2, "not_supported": 1, "skipped": 0}
        outcomes = dict(self.outcomes)
        for req, outcome in other.outcomes.items():
            if rank.get(outcome, 0) > rank.get(outcomes.get(req, ""), -1):
                outcomes[req] = outcome
        failed = tuple(i for i, o in outcomes.items() if o == "failed")
        code = max(self.exit_code, other.exit_code)
        errors, runs = self.errors + other.errors, self.runs + other.runs
        seconds, cpu_s = self.seconds + other.seconds, self.cpu_s + other.cpu_s
        return SuiteOutcome(failed, errors, code, seconds, outcomes, runs, cpu_s)


def run_suite(
    target: str,
    profiles: Sequence[str],
    *,
    api_key: str | None = None,
    restricted_key: str | None = None,
    checks: Sequence[str] = (),
    limits: dict[str, str] | None = None,
) -> SuiteOutcome:
    """The suite's verdicts on `target` (what `llmgw_conformance run` with these flags reports)."""
    flags = suite_flags(profiles, checks, limits or SUITE_LIMITS)
    keys = {"LLMGW_API_KEY": api_key or "", "LLMGW_RESTRICTED_API_KEY": restricted_key or ""}
    start = time.monotonic()
    answer = forked.run_judge(target, flags, keys, SUITE_TIMEOUT_S)
    took = time.monotonic() - start
    if answer is None:
        return SuiteOutcome((), (f"suite did not finish in {SUITE_TIMEOUT_S:g} s",), -1, took, {}, (flags,))
    outcomes: dict[str, str] = dict(answer["outcomes"])
    failed = tuple(i for i, o in outcomes.items() if o == "failed")
    errors = tuple(str(e) for e in answer["errors"])
    errors += tuple(f"{i}: error" for i, o in outcomes.items() if o == "error")
    cpu_s = float(answer.get("cpu_s", 0.0))
    return SuiteOutcome(failed, errors, int(answer["exit_code"]), took, outcomes, (flags,), cpu_s)


def suite_flags(profiles: Sequence[str], checks: Sequence[str], limits: dict[str, str]) -> tuple[str, ...]:
    """The `llmgw_conformance run` flags of one suite run: profiles, the checks (none: every check of
    the profiles), then the limits, in that order (the row records them, so it can be replayed)."""
    flags = ["--profile", ",".join(profiles)]
    if checks:
        flags += ["--check", ",".join(checks)]
    for flag, value in limits.items():
        flags += [flag, value]
    return tuple(flags)
