"""Faults that accept an OpenAI chat field and ignore it: the answer is a well-formed completion,
only not the one asked for -- what a server that drops ``stop`` or ``response_format`` looks like."""

from __future__ import annotations

from llmgw_reference.faults.base import fault
from llmgw_reference.faults.semantics import Body, BodyRewrite


@fault(
    "chat-stop-ignored",
    breaks=["CHAT-STOP-HONOURED"],
    description="Drops `stop` from chat requests: the text runs on past the stop sequence.",
)
class ChatStopIgnored(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return {k: v for k, v in body.items() if k != "stop"}


@fault(
    "chat-json-mode-ignored",
    breaks=["CHAT-JSON-MODE"],
    description="Drops `response_format` from chat requests: JSON mode answers plain text.",
)
class ChatJsonModeIgnored(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return {k: v for k, v in body.items() if k != "response_format"}


@fault(
    "chat-tool-choice-ignored",
    breaks=["CHAT-TOOL-CHOICE-HONOURED"],
    description="Drops `tools` and `tool_choice` from chat requests: a forced call is answered with text.",
)
class ChatToolChoiceIgnored(BodyRewrite):
    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        return {k: v for k, v in body.items() if k not in ("tools", "tool_choice")}
