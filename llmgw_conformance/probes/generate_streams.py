"""Generate requests (``POST /v1/generate/{model}``) the checks send, and their streams read and judged.

Why here: the generate stream, determinism and mid-stream error checks all send the same small seeded
request and judge its stream the same way; one place keeps them alike.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.grammar import GenerateRequest, Judgement, judge_generate
from llmgw_conformance.probes.stream_findings import is_stream, judge_contract, not_a_stream, stream_meta
from llmgw_conformance.probes.verdicts import Verdicts

#: Judged by stream checks only when a stream carries an error; ``generate-midstream-error`` provokes one.
GEN_ERROR_CHUNK: Final = "GEN-ERROR-CHUNK"


SHORT_PROMPT: Final = "Say hello."


LONG_PROMPT: Final = "Write a long story about a lighthouse keeper, in as many words as you can."


def generate_path(ctx: CheckContext) -> str:
    return f"/v1/generate/{ctx.target.model}"


def generate_body(ctx: CheckContext, prompt: str = SHORT_PROMPT, **extra: Any) -> dict[str, Any]:
    """A small seeded generate request."""
    body: dict[str, Any] = {
        "prompt": prompt,
        "max_new_tokens": ctx.options.max_tokens,
        "temperature": 0,
        "seed": ctx.options.seed,
    }
    body.update(extra)
    return body


def judged_generate_stream(
    ctx: CheckContext, verdicts: Verdicts, label: str, body: dict[str, Any], covered: tuple[str, ...]
) -> Judgement | None:
    """Stream ``body``, judge and keep it; None (after skipping ``covered``) when no stream came."""
    result = ctx.stream("POST", generate_path(ctx), json=dict(body, stream=True))
    if not is_stream(result):
        not_a_stream(verdicts, label, result, covered)
        return None
    request = GenerateRequest(max_new_tokens=body.get("max_new_tokens"))
    judgement = judge_generate(
        result.transcript, request, stream_meta(ctx, result), **judge_contract(ctx, "generate-chunks")
    )
    verdicts.stream(label, judgement, result.exchange)
    if judgement.summary.get("error") is not None:
        verdicts.saw(GEN_ERROR_CHUNK)
    return judgement
