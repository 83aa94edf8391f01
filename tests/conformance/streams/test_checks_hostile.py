"""Every S2 check against targets that answer nonsense: verdicts only, never an exception escaping."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from fake_target import serve  # type: ignore[import-not-found]
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from llmgw_conformance.checks import (
    cancellation,
    deadlines,
    determinism,
    openai_extended,
    openai_surface,
    streams_chat,
    streams_generate,
    streams_native,
)
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Outcome
from llmgw_conformance.registry import registered_checks

CAPS = {
    "api_version": "1.0",
    "engines": [{"engine": "vllm", "ctx_max": "huge"}],
    "features": ["cancel", "deadlines", "n", "logprobs", "tools", "lora", "generate"],
    "profiles": ["tasks", "generate"],
    "limits": {"cancel_budget_ms": "soon", "heartbeat_ms": -5, "queue_capacity": None},
}
ODD_JSON: list[Any] = [
    [1, 2],
    None,
    "text",
    {"choices": "many", "usage": [1]},
    {"data": {"id": 5}},
    {"state": ["running"], "tokens_out": "7", "result": 3},
    {"choices": [{"index": "0", "logprobs": [1], "message": 7}], "usage": "lots"},
]
ODD_STREAMS: list[bytes] = [
    b'event: token\ndata: {"t": 1}\n\ndata: [DONE]\n\ndata: {"choices": [null, 3]}\n\n',
    b"event: end\ndata: [1]\n\nerror: boom\n\n" + b"[" * 200 + b"\n\n",
    b'data: {"seq": "x", "done": "yes", "usage": {"completion_tokens": "9"}}\n\ndata: {"error": 5}\n\n',
]


class Nonsense:
    """Answers every request with the next odd JSON body or odd stream, in turn."""

    def __init__(self) -> None:
        self.url = ""
        self._json = itertools.cycle(ODD_JSON)
        self._streams = itertools.cycle(ODD_STREAMS)
        self.app = Starlette(routes=[Route("/{path:path}", self.answer, methods=["GET", "POST"])])

    async def answer(self, request: Request) -> Response:
        if request.url.path == "/v1/capabilities":
            return JSONResponse(CAPS)
        if request.url.path == "/v1/models":
            return JSONResponse({"object": "list", "data": [{"id": "m"}]})
        if "stream" in (await request.body()).decode(errors="replace") or request.url.path.endswith(
            "/events"
        ):
            data = next(self._streams)

            async def body() -> Any:
                yield data

            return StreamingResponse(body(), media_type="text/event-stream")
        return JSONResponse(next(self._json), status_code=202 if request.url.path == "/v1/tasks" else 200)


@pytest.fixture(scope="module")
def nonsense() -> Iterator[Nonsense]:
    with serve(Nonsense()) as target:
        yield target


MODULES = (
    cancellation,
    deadlines,
    determinism,
    openai_extended,
    openai_surface,
    streams_chat,
    streams_generate,
    streams_native,
)
S2_CHECKS = sorted(
    n for n, s in registered_checks().items() if any(s.function.__module__ == m.__name__ for m in MODULES)
)


@pytest.mark.parametrize("name", S2_CHECKS)
def test_check_gives_verdicts_on_nonsense(nonsense: Nonsense, name: str) -> None:
    options = SuiteOptions().replace(stream_budget_s=3.0, read_timeout_s=3.0, idle_gap_s=1.0)
    ctx, findings = make_context(nonsense.url, "sk-test", name, options=options)
    try:
        registered_checks()[name].function(ctx)
    finally:
        ctx.close()
    assert findings, "a check must say something about its requirements"
    assert {f.outcome for f in findings} <= {
        Outcome.PASSED,
        Outcome.FAILED,
        Outcome.SKIPPED,
        Outcome.NOT_SUPPORTED,
    }
    assert any(f.outcome is not Outcome.PASSED for f in findings)  # nonsense never passes everything
