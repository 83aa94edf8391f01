"""Generate streams (``POST /v1/generate/{model}`` with ``stream: true``): grammar, limit, early errors."""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.grammar import Judgement
from llmgw_conformance.probes.generate_streams import (
    GENERATE_STREAMS,
    LONG_PROMPT,
    generate_body,
    generate_path,
)
from llmgw_conformance.probes.stream_findings import FRAMING_REQUIREMENTS
from llmgw_conformance.probes.stream_kinds import grammar_verdicts, judged_variants
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

GRAMMAR_REQUIREMENTS: Final = (
    *FRAMING_REQUIREMENTS,
    "GEN-SEQ",
    "GEN-REQUEST-ID",
    "GEN-DONE-ONCE",
    "GEN-DONE-SENTINEL",
    "GEN-TERMINAL-FIELDS",
    "GEN-MAX-NEW-TOKENS",
)


@check("generate-stream-grammar", requirements=GRAMMAR_REQUIREMENTS, profiles=["generate"])
def generate_stream_grammar(ctx: CheckContext) -> None:
    """Generate streams (a natural stop and a 2-token limit) follow the generate-chunks grammar.

    GEN-ERROR-CHUNK is reported only when one of these streams carries an error (or error text).
    """
    variants = [
        ("generate stream", generate_body(ctx)),
        ("generate stream limited to 2 tokens", generate_body(ctx, LONG_PROMPT, max_new_tokens=2)),
    ]
    with grammar_verdicts(ctx, GENERATE_STREAMS, GRAMMAR_REQUIREMENTS) as verdicts:
        judgement = judged_variants(ctx, verdicts, GENERATE_STREAMS, variants, GRAMMAR_REQUIREMENTS)
        if judgement is not None:
            _stopped_by_limit(ctx, verdicts, variants[1][1], judgement)


def _completion_tokens(usage: Any) -> int | None:
    value = usage.get("completion_tokens") if isinstance(usage, dict) else None
    return value if isinstance(value, int) else None


def _stopped_by_limit(
    ctx: CheckContext, verdicts: Verdicts, body: dict[str, Any], judgement: Judgement
) -> None:
    """GEN-MAX-NEW-TOKENS' second half, by differential (see streams_native._stopped_by_limit): exactly
    ``max_new_tokens`` with ``stop`` is a deviation only if the same seeded request with a higher limit
    goes on."""
    limit = int(body["max_new_tokens"])
    if (
        judgement.summary.get("finish_reason") != "stop"
        or _completion_tokens(judgement.summary.get("usage")) != limit
    ):
        return
    rerun = ctx.request("POST", generate_path(ctx), json=dict(body, max_new_tokens=limit + 8))
    try:
        more = _completion_tokens(rerun.json().get("usage"))
    except (ValueError, AttributeError):
        more = None
    if more is not None and more > limit:
        verdicts.fail(
            "GEN-MAX-NEW-TOKENS",
            f"a generation cut by max_new_tokens {limit} ended with finish_reason "
            f"stop: the same seeded request with a higher limit produced {more} tokens",
            expected="length",
            received="stop",
            exchanges=[rerun.exchange],
        )


@check("generate-errors-before-stream", requirements=["GEN-ERRORS-BEFORE-STREAM"], profiles=["generate"])
def generate_errors_before_stream(ctx: CheckContext) -> None:
    """An invalid streaming generate gets a non-2xx JSON ErrorEnvelope, never a 200 stream."""
    with Verdicts(ctx, ["GEN-ERRORS-BEFORE-STREAM"]) as verdicts:
        bad = [
            ("max_new_tokens 0", generate_body(ctx, max_new_tokens=0, stream=True)),
            ("out-of-range temperature", generate_body(ctx, temperature=7, stream=True)),
        ]
        failed = False
        exchanges = []
        for label, body in bad:
            result = ctx.stream("POST", generate_path(ctx), json=body)
            exchanges.append(result.exchange)
            ctype = str(result.headers.get("content-type", ""))
            if result.status == 0:
                verdicts.skip("GEN-ERRORS-BEFORE-STREAM", f"{label}: no answer ({result.termination})")
                return
            problem = ""
            if 200 <= result.status < 300 or "json" not in ctype.lower():
                problem = f"answered {result.status} {ctype}"
            else:
                errors = ctx.contract.schema_errors("ErrorEnvelope", _json(result.body))
                problem = f"the error body is no ErrorEnvelope: {errors[0]}" if errors else ""
            if problem:
                failed = True
                verdicts.fail(
                    "GEN-ERRORS-BEFORE-STREAM",
                    f"{label}: an invalid streaming generate was {problem}",
                    expected="a non-2xx application/json ErrorEnvelope before any stream byte",
                    received=f"{result.status} {ctype}: {bytes(result.transcript.stream[:200])!r}",
                    exchanges=[result.exchange],
                )
        if not failed:
            verdicts.passed(
                "GEN-ERRORS-BEFORE-STREAM", "every invalid request got an ErrorEnvelope", exchanges=exchanges
            )


def _json(text: str | None) -> Any:
    import json

    try:
        return json.loads(text or "")
    except (ValueError, RecursionError):
        return None
