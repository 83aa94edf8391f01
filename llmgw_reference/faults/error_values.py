"""Faults that break error bodies by value or leak internals inside a JSON string.

Why apart from envelope.py: those faults break the shape (keys, types, wrappers); these keep every
key and type right and are only visible to a suite that reads the values and the decoded strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmgw_reference.faults.base import Fault, register_faults
from llmgw_reference.faults.envelope import Body, ErrorMessageSuffixed

if TYPE_CHECKING:
    from llmgw_reference.errors import ApiError

#: Internal exception text and a server path, as a proxy that str()s its exception would send them.
INTERNAL_TEXT = "[KeyError: 'prompt' in /srv/gateway/venv/lib/python3.11/site-packages/gateway/handlers.py]"


class ErrorOpenAITypeUndocumented(Fault):
    def error_answer(self, err: ApiError, status: int, body: Body) -> tuple[int, Body]:
        inner = body.get("error")
        if isinstance(inner, dict):
            return status, {"error": inner | {"type": "bad_request"}}
        return status, body


register_faults(
    (
        "error-openai-type-undocumented",
        ["OAI-ERROR-SHAPE"],
        'Sends OpenAI-surface errors with `type` "bad_request", a string OpenAI never sends.',
        ErrorOpenAITypeUndocumented,
        {},
    ),
    (
        "error-internal-text",
        ["RESP-NO-TRACEBACK"],
        "Appends an exception class name and a site-packages path to 400 messages (both surfaces).",
        ErrorMessageSuffixed,
        {"suffix": f" {INTERNAL_TEXT}", "when": 400},
    ),
)
