"""A small gateway for testing the stream and OpenAI checks: correct by default, broken on request.

Why our own and not the reference: every check must be shown failing on a target that breaks exactly
its rule, and passing on one that does not. ``FakeTarget.faults`` names the rules to break (see
:data:`FAULTS`); the server reads it on every request, so one server serves a whole test module.

The model ``synth-small`` writes the words of :data:`WORDS`, one token per word: 12 tokens by default,
1000 when the prompt contains "long" (so deadlines and cancellation have time to act). Native tokens
come every :data:`TOKEN_DELAY_S` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from llmgw_conformance.live import LiveContext
from llmgw_conformance.outcomes import SEVERITY, Finding, Outcome

MODEL: Final = "synth-small"
#: ``context(check_name, **options)`` -> (ctx, findings): the fixture of conftest.py.
MakeContext = Callable[..., tuple[LiveContext, list[Finding]]]
WORDS: Final = [f"w{i}" for i in range(1000)]
TOKEN_DELAY_S: Final = 0.005
FAULTS: Final = frozenset(
    {
        # framing / chat
        "chat-json-content-type",
        "chat-no-done",
        "chat-error-field",
        "chat-role-every",
        "chat-finish-empty",
        "chat-usage-every-chunk",
        "chat-usage-differs",
        "chat-usage-total",
        "chat-over-limit",
        "chat-stop-at-limit",
        "chat-200-on-bad-stream",
        "chat-created-clock",
        "json-keys-missing",
        "chat-stream-text-differs",
        "chat-cumulative-deltas",
        "chat-seed-ignored",
        "slow-headers",
        # openai surface
        "ignore-unknown-field",
        "unknown-model-400",
        "reject-boundary",
        "accept-out-of-range",
        "reject-developer",
        "developer-ignored",
        "accept-image",
        "n-stream-constant-index",
        "n-wrong-count",
        "n-usage-one-choice",
        "n-stream-finish-twice",
        "n-stream-usage-per-choice",
        "integer-error-code",
        "accept-unknown-lora",
        "models-bad-shape",
        "models-ghost",
        "image-500",
        "image-ignored",
        "logprobs-positive",
        "logprobs-too-many",
        "retry-after-missing",
        "retry-after-ok",
        "tools-finish-stop",
        "stop-ignored",
        "stop-finish-length",
        "json-mode-ignored",
        # native
        "nat-index-gap",
        "nat-no-terminal",
        "nat-tokens-out",
        "nat-result-text",
        "nat-no-started",
        "strict-nondeterministic",
        "fake-stop",
        "ignore-disconnect",
        "logit-bias-500",
        "tools-delta-no-id",
        "cancel-changes-finished",
        "nat-stop-at-limit",
        "gen-stop-at-limit",
        "disconnect-continues",
        "ignore-cancel",
        "deadline-ignored",
        "deadline-late",
        # generate
        "gen-seq-gap",
        "gen-no-sentinel",
        "gen-no-usage",
        "gen-text-differs",
        "gen-200-on-bad-stream",
        # mid-stream errors at a chat or generate deadline (fake_deadline.py)
        "midstream-error-as-content",
        "midstream-error-no-done",
        "gen-error-not-done",
        "gen-error-no-sentinel",
    }
)


def outcomes(findings: list[Finding]) -> dict[str, Outcome]:
    """The most severe outcome per requirement (as the runner aggregates them)."""
    out: dict[str, Outcome] = {}
    for f in findings:
        if f.requirement_id not in out or SEVERITY[f.outcome] > SEVERITY[out[f.requirement_id]]:
            out[f.requirement_id] = f.outcome
    return out


def openai_error(status: int, message: str, code: str | None, param: str | None = None) -> JSONResponse:
    kind = {401: "authentication_error", 403: "permission_error", 429: "rate_limit_error"}.get(
        status, "invalid_request_error" if status < 500 else "server_error"
    )
    return JSONResponse({"error": {"message": message, "type": kind, "param": param, "code": code}}, status)


def envelope(status: int, code: str, message: str, reason: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if reason:
        body["reason"] = reason
    return JSONResponse(body, status)


def sse(data: Any, event: str | None = None) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data)
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {text}\n\n".encode()


@dataclass
class Task:
    body: dict[str, Any]
    submitted: float
    state: str = "queued"
    tokens: list[str] = field(default_factory=list)
    finish: str | None = None
    error: dict[str, Any] | None = None
    cancel: bool = False


class FakeTarget:
    """The app and its switches; ``url`` once started."""

    def __init__(self) -> None:
        self.faults: set[str] = set()
        self.tasks: dict[str, Task] = {}
        self.url = ""
        self.calls = 0
        self.streams = 0  # native streams opened, ever
        from fake_routes import routes  # type: ignore[import-not-found]  # handlers: the module beside

        self.app = Starlette(
            routes=[Route(path, self._wrap(fn), methods=[m]) for m, path, fn in routes(self)]
        )

    def has(self, fault: str) -> bool:
        assert fault in FAULTS, fault
        return fault in self.faults

    def _wrap(self, fn: Any) -> Any:
        async def handler(request: Request) -> Response:
            self.calls += 1
            response: Response = await fn(request)
            return response

        return handler

    def length(self, prompt: str, limit: int) -> tuple[int, str]:
        """Tokens produced and finish reason for a prompt under a limit."""
        natural = 1000 if "long" in prompt else 12
        return (limit, "length") if limit < natural else (natural, "stop")

    async def native_events(self, task_id: str) -> AsyncIterator[bytes]:
        task = self.tasks[task_id]
        body = task.body
        limit = int(body["max_tokens"])
        count, reason = self.length(str(body.get("prompt", "")), limit)
        reason = "stop" if self.has("nat-stop-at-limit") else reason
        deadline = task.submitted + body["deadline_ms"] / 1000
        task.state = "running"
        self.streams += 1
        odd = self.streams % 2 == 1
        offset = 1 if (self.has("strict-nondeterministic") and odd) else 0
        if not self.has("nat-no-started"):
            yield sse({"queue_position": 0, "predicted_start_ms": 0, "task_id": task_id}, "started")
        try:
            for i in range(count):
                await asyncio.sleep(TOKEN_DELAY_S)
                late = time.monotonic() > deadline + (0.5 if self.has("deadline-late") else 0)
                if late and not self.has("deadline-ignored"):
                    task.state, task.error = (
                        "failed",
                        {"code": "DEADLINE_UNMET", "message": "deadline passed"},
                    )
                    yield sse({"metrics": 1, "queue_depth": 0}, "metrics")
                    yield sse(task.error, "error")
                    return
                if task.cancel and not self.has("ignore-cancel"):
                    reason = "cancelled"
                    break
                if self.has("fake-stop") and i == 3 and odd:
                    break  # an upstream failure turned into a normal end
                task.tokens.append(WORDS[i + offset] + " ")
                index = i + 1 if (self.has("nat-index-gap") and i >= 2) else i
                yield sse({"t": task.tokens[-1], "i": index}, "token")
            if self.has("nat-no-terminal"):
                return
            yield sse({"queue_depth": 0, "on_time_probability": 1.0}, "metrics")
            sent = len(task.tokens) + (1 if self.has("nat-tokens-out") else 0)
            task.state, task.finish = ("cancelled" if reason == "cancelled" else "succeeded"), reason
            yield sse({"tokens_out": sent, "decode_ms": 1, "finish_reason": reason}, "end")
        finally:
            if task.state == "running" and self.has("disconnect-continues"):
                asyncio.get_running_loop().create_task(_finish_later(task))
            elif task.state == "running" and not self.has("ignore-disconnect"):
                task.state, task.finish = "cancelled", "cancelled"


async def _finish_later(task: Task) -> None:
    """Generation that goes on without its client (the fault ``disconnect-continues``)."""
    await asyncio.sleep(0.1)
    task.tokens.append("more ")
    task.state, task.finish = "succeeded", "length"


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # running in a thread
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(target: FakeTarget) -> Iterator[FakeTarget]:
    """Run ``target`` with uvicorn on 127.0.0.1 (a free port) in a thread for the duration."""
    port = _free_port()
    config = uvicorn.Config(target.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = _Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("fake target did not start")
        time.sleep(0.01)
    target.url = f"http://127.0.0.1:{port}"
    try:
        yield target
    finally:
        server.should_exit = True
        thread.join(timeout=5)
