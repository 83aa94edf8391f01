"""A small run with one failing, one passing, one crashing check, for the report tests."""

from __future__ import annotations

from llmgw_conformance.context import CheckContext
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.registry import CheckSpec
from llmgw_conformance.results import RunResult
from llmgw_conformance.runner import run_suite

KEY = "sk-report-secret-0123456789"
RESTRICTED = "sk-report-restricted-987654"


def stream_check(ctx: CheckContext) -> None:
    result = ctx.stream(
        "POST", "/v1/chat/completions", json={"model": "tiny", "stream": True, "max_tokens": 16}
    )
    ctx.failed(
        "CHAT-DONE-SENTINEL",
        f"stream <ended> without [DONE] & leaked {KEY}",
        expected="one data: [DONE] event",
        received="no [DONE] <script>alert(1)</script>",
        exchanges=[result.exchange],
    )
    ctx.passed("SSE-CONTENT-TYPE", "text/event-stream", exchanges=[result.exchange])


def echo_check(ctx: CheckContext) -> None:
    response = ctx.request("GET", "/echo")  # the server echoes the key back
    ctx.failed(
        "RESP-NO-TRACEBACK", "the key came back", received=response.text, exchanges=[response.exchange]
    )


def crash_check(ctx: CheckContext) -> None:
    raise ValueError("check bug \x00\x1b with control bytes")


REGISTRY = {
    s.name: s
    for s in (
        CheckSpec(
            "chat-stream", ("CHAT-DONE-SENTINEL", "SSE-CONTENT-TYPE"), ("openai-chat",), (), stream_check, ""
        ),
        CheckSpec("echo", ("RESP-NO-TRACEBACK",), ("openai-chat",), (), echo_check, ""),
        CheckSpec("crash", ("OAI-MODELS-LIST",), ("openai-chat",), (), crash_check, ""),
    )
}


def small_run(url: str, **changes: object) -> RunResult:
    options = SuiteOptions(
        target=url,
        api_key=KEY,
        restricted_api_key=RESTRICTED,
        profiles=("openai-chat",),
        seed=42,
        read_timeout_s=3,
    ).replace(**changes)
    return run_suite(options, registry=REGISTRY)
