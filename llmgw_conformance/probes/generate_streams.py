"""Generate requests (``POST /v1/generate/{model}``) the checks send, and how their streams are judged.

Why here: the generate stream, determinism and mid-stream error checks all send the same small seeded
request and judge its stream the same way; one place keeps them alike.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext, StreamResult
from llmgw_conformance.grammar import GenerateRequest, Judgement, judge_generate
from llmgw_conformance.probes.stream_findings import judge_contract, stream_meta
from llmgw_conformance.probes.stream_kinds import StreamKind, seeded_request

#: Judged by stream checks only when a stream carries an error; ``generate-midstream-error`` provokes one.
GEN_ERROR_CHUNK: Final = "GEN-ERROR-CHUNK"


SHORT_PROMPT: Final = "Say hello."


LONG_PROMPT: Final = "Write a long story about a lighthouse keeper, in as many words as you can."


def generate_path(ctx: CheckContext) -> str:
    return f"/v1/generate/{ctx.target.model}"


def generate_body(ctx: CheckContext, prompt: str = SHORT_PROMPT, **extra: Any) -> dict[str, Any]:
    """A small seeded generate request."""
    return seeded_request(ctx, {"prompt": prompt, "max_new_tokens": ctx.options.max_tokens}, extra)


def _judge(ctx: CheckContext, result: StreamResult, body: dict[str, Any]) -> Judgement:
    """A generate stream judged by the contract's generate-chunks grammar, for the request ``body``."""
    request = GenerateRequest(max_new_tokens=body.get("max_new_tokens"))
    return judge_generate(
        result.transcript, request, stream_meta(ctx, result), **judge_contract(ctx, "generate-chunks")
    )


#: Generate streams: sent to :func:`generate_path`, an error is GEN-ERROR-CHUNK.
GENERATE_STREAMS: Final = StreamKind(
    name="generate", path=generate_path, judge=_judge, error_rule=GEN_ERROR_CHUNK
)
