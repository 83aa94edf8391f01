"""Faults that accept an OpenAI chat field and ignore it: the answer is a well-formed completion,
only not the one asked for -- what a server that drops ``stop`` or ``response_format`` looks like."""

from __future__ import annotations

from llmgw_reference.faults.base import register_faults
from llmgw_reference.faults.semantics import RequestFieldsDropped

register_faults(
    (
        "chat-stop-ignored",
        ["CHAT-STOP-HONOURED"],
        "Drops `stop` from chat requests: the text runs on past the stop sequence.",
        RequestFieldsDropped,
        {"prefix": "/v1/chat/completions", "dropped": ("stop",)},
    ),
    (
        "chat-json-mode-ignored",
        ["CHAT-JSON-MODE"],
        "Drops `response_format` from chat requests: JSON mode answers plain text.",
        RequestFieldsDropped,
        {"prefix": "/v1/chat/completions", "dropped": ("response_format",)},
    ),
    (
        "chat-tool-choice-ignored",
        ["CHAT-TOOL-CHOICE-HONOURED"],
        "Drops `tools` and `tool_choice` from chat requests: a forced call is answered with text.",
        RequestFieldsDropped,
        {"prefix": "/v1/chat/completions", "dropped": ("tools", "tool_choice")},
    ),
)
