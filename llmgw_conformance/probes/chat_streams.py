"""Chat completion requests the checks send, and their streams read and judged.

Why here: the chat stream, determinism, mid-stream error and OpenAI-surface checks all send the same
small seeded chat request and judge its stream the same way; one place keeps them alike.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext
from llmgw_conformance.grammar import ChatRequest, Judgement, judge_chat
from llmgw_conformance.probes.stream_findings import is_stream, judge_contract, not_a_stream, stream_meta
from llmgw_conformance.probes.verdicts import Verdicts

CHAT_PATH: Final = "/v1/chat/completions"
#: Observed on every stream read here: nothing may follow ``[DONE]``.
AFTER_DONE: Final = "CHAT-NOTHING-AFTER-DONE"


#: Judged by the stream checks only when a stream carries an error; ``chat-midstream-error`` provokes one.
CHAT_ERROR_EVENT: Final = "CHAT-ERROR-EVENT"


#: A prompt that invites a long answer, so a small token limit is what stops it.
LONG_PROMPT: Final = "Count from one to one hundred in words, separated by commas."


def chat_body(ctx: CheckContext, prompt: str = LONG_PROMPT, **extra: Any) -> dict[str, Any]:
    """A small seeded chat request for the target's model."""
    body: dict[str, Any] = {
        "model": ctx.target.model,
        "messages": [{"role": "user", "content": prompt}],
        "max_tokens": ctx.options.max_tokens,
        "temperature": 0,
        "seed": ctx.options.seed,
    }
    body.update(extra)
    return body


def judged_chat_stream(
    ctx: CheckContext, verdicts: Verdicts, label: str, body: dict[str, Any], covered: tuple[str, ...]
) -> Judgement | None:
    """Stream ``body``, judge it, keep the judgement; None (and skips) when no stream came back."""
    result = ctx.stream("POST", CHAT_PATH, json=body)
    if not is_stream(result):
        not_a_stream(verdicts, label, result, covered)
        return None
    judgement = judge_chat(
        result.transcript,
        ChatRequest.from_body(body),
        stream_meta(ctx, result),
        **judge_contract(ctx, "chat-chunks"),
    )
    verdicts.stream(label, judgement, result.exchange)
    if judgement.summary.get("error") is not None:
        verdicts.saw(CHAT_ERROR_EVENT)
    # Nothing can follow a [DONE] that never came: that rule is unobserved, not passed.
    if judgement.terminal_index is None:
        verdicts.not_observed(AFTER_DONE, f"{label}: no [DONE] was sent, so nothing after it could be seen")
    else:
        verdicts.saw(AFTER_DONE)
    return judgement
