"""Small checks of our own, judging what a hostile answer did to the suite's stream machinery.

They stand for any stream check: each reads through ``ctx.stream``/``ctx.request`` (which apply the
limits) and reports the rule broken with the time it took, as a real check must.
"""

from __future__ import annotations

from collections.abc import Callable

from llmgw_conformance.context import CheckContext
from llmgw_conformance.registry import CheckSpec

STREAM_REQUIREMENTS = ("SSE-HEADERS-PROMPT", "SSE-STREAM-ENDS", "SSE-NO-STALL", "SSE-FRAMING-VALID")


def stream_check(path: str) -> CheckSpec:
    def judge(ctx: CheckContext) -> None:
        r = ctx.stream("POST", path, json={"model": "hostile", "stream": True, "max_tokens": 16})
        ex = [r.exchange]
        tr = r.transcript
        took = f"{(tr.t_end or 0) - tr.t0:.1f}s" if tr.t_end else "?"
        if r.status == 0:
            ctx.failed(
                "SSE-HEADERS-PROMPT",
                f"no status line and headers: {r.error} (after {r.headers_after_s:.1f}s)",
                expected=f"headers within {ctx.options.header_budget_s}s",
                received="nothing",
                exchanges=ex,
            )
            return
        if r.headers_after_s > ctx.options.header_budget_s:
            ctx.failed("SSE-HEADERS-PROMPT", f"headers after {r.headers_after_s:.1f}s", exchanges=ex)
        else:
            ctx.passed("SSE-HEADERS-PROMPT", exchanges=ex)
        if r.termination == "total_timeout":
            ctx.failed(
                "SSE-STREAM-ENDS",
                f"the stream did not end within the stream budget "
                f"{ctx.options.stream_budget_s}s ({len(tr.events)} events, stopped after {took})",
                exchanges=ex,
            )
        elif r.termination == "connection_error":
            ctx.failed(
                "SSE-STREAM-ENDS", f"the connection broke after {took}: {tr.termination_detail}", exchanges=ex
            )
        else:
            ctx.passed("SSE-STREAM-ENDS", exchanges=ex)
        if r.termination == "idle_timeout":
            ctx.failed(
                "SSE-NO-STALL",
                f"silent for {ctx.options.idle_gap_s}s ({tr.termination_detail})",
                exchanges=ex,
            )
        else:
            ctx.passed("SSE-NO-STALL", exchanges=ex)
        bad = sorted(tr.kinds() & {"invalid_utf8", "unterminated_block", "nul_byte"})
        if r.termination == "limit_exceeded":
            ctx.failed(
                "SSE-FRAMING-VALID", f"reading stopped at a cap after {took}: {tr.limit}", exchanges=ex
            )
        elif bad:
            ctx.failed(
                "SSE-FRAMING-VALID",
                f"not a valid UTF-8 event stream: {', '.join(bad)} (after {took})",
                exchanges=ex,
            )
        else:
            ctx.passed("SSE-FRAMING-VALID", exchanges=ex)

    return CheckSpec(
        f"hostile-stream{path.replace('/', '-')}", STREAM_REQUIREMENTS, ("openai-chat",), (), judge, ""
    )


def body_check(path: str) -> CheckSpec:
    def judge(ctx: CheckContext) -> None:
        r = ctx.request("GET", path)
        if r.error is not None:
            ctx.failed(
                "RESP-SCHEMA", f"no usable answer: {r.error}", received=r.text[:80], exchanges=[r.exchange]
            )
            return
        try:
            r.json()
        except ValueError as exc:
            ctx.failed("RESP-SCHEMA", f"not JSON: {exc}", exchanges=[r.exchange])
            return
        ctx.passed("RESP-SCHEMA", exchanges=[r.exchange])

    return CheckSpec(
        f"hostile-body{path.replace('/', '-')}", ("RESP-SCHEMA",), ("openai-chat",), (), judge, ""
    )


def registry_of(*specs: CheckSpec) -> dict[str, CheckSpec]:
    return {s.name: s for s in specs}


Factory = Callable[[str], CheckSpec]
