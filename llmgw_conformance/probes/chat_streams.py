"""Chat completion requests the checks send, and how their streams are judged (:data:`CHAT_STREAMS`).

Why here: the chat stream, determinism, mid-stream error and OpenAI-surface checks all send the same
small seeded chat request and judge its stream the same way; one place keeps them alike.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext, StreamResult
from llmgw_conformance.grammar import ChatRequest, Judgement, judge_chat
from llmgw_conformance.probes.stream_findings import judge_contract, stream_meta
from llmgw_conformance.probes.stream_kinds import StreamKind, seeded_request

CHAT_PATH: Final = "/v1/chat/completions"
#: Observed on every stream read here: nothing may follow ``[DONE]``.
AFTER_DONE: Final = "CHAT-NOTHING-AFTER-DONE"


#: Judged by the stream checks only when a stream carries an error; ``chat-midstream-error`` provokes one.
CHAT_ERROR_EVENT: Final = "CHAT-ERROR-EVENT"


#: A prompt that invites a long answer, so a small token limit is what stops it.
LONG_PROMPT: Final = "Count from one to one hundred in words, separated by commas."


def chat_body(ctx: CheckContext, prompt: str = LONG_PROMPT, **extra: Any) -> dict[str, Any]:
    """A small seeded chat request for the target's model."""
    messages = [{"role": "user", "content": prompt}]
    fields = {"model": ctx.target.model, "messages": messages, "max_tokens": ctx.options.max_tokens}
    return seeded_request(ctx, fields, extra)


def _judge(ctx: CheckContext, result: StreamResult, body: dict[str, Any]) -> Judgement:
    """A chat stream judged by the contract's chat-chunks grammar, for the request ``body``."""
    return judge_chat(
        result.transcript,
        ChatRequest.from_body(body),
        stream_meta(ctx, result),
        **judge_contract(ctx, "chat-chunks"),
    )


#: Chat completion streams: sent to :data:`CHAT_PATH`, an error is CHAT-ERROR-EVENT, [DONE] ends them.
CHAT_STREAMS: Final = StreamKind(
    name="chat",
    path=lambda ctx: CHAT_PATH,
    judge=_judge,
    error_rule=CHAT_ERROR_EVENT,
    after_done_rule=AFTER_DONE,
)
