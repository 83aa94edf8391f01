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
from llmgw_conformance.probes.stream_findings import FRAMING_REQUIREMENTS, judge_refused_before_stream
from llmgw_conformance.probes.stream_kinds import grammar_verdicts, judged_variants
from llmgw_conformance.probes.token_limits import RERUN_EXTRA_TOKENS, judge_stop_at_limit
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
    """Generate streams (a natural stop and a 2-token limit) follow the generate-chunks grammar."""
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
    """GEN-MAX-NEW-TOKENS' second half, by differential (see :mod:`~llmgw_conformance.probes.token_limits`):
    exactly ``max_new_tokens`` with ``stop`` is a deviation only if a rerun with a higher limit goes on."""
    limit = int(body["max_new_tokens"])
    if (
        judgement.summary.get("finish_reason") != "stop"
        or _completion_tokens(judgement.summary.get("usage")) != limit
    ):
        return
    rerun = ctx.request(
        "POST", generate_path(ctx), json=dict(body, max_new_tokens=limit + RERUN_EXTRA_TOKENS)
    )
    try:
        more = _completion_tokens(rerun.json().get("usage"))
    except (ValueError, AttributeError):
        more = None
    cut = f"a generation cut by max_new_tokens {limit}"
    judge_stop_at_limit(verdicts, "GEN-MAX-NEW-TOKENS", cut, limit, more, [rerun.exchange])


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
            what = f"{label}: an invalid streaming generate"
            refused = judge_refused_before_stream(
                ctx, verdicts, "GEN-ERRORS-BEFORE-STREAM", what, result, envelope="ErrorEnvelope"
            )
            if refused is None:
                return
            failed |= not refused
        if not failed:
            verdicts.passed(
                "GEN-ERRORS-BEFORE-STREAM", "every invalid request got an ErrorEnvelope", exchanges=exchanges
            )
