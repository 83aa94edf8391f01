"""A fault that leaves keys the schema requires out of the chat answer, as several real servers do.

Why: llama-server, LiteLLM and transformers serve answer ``/v1/chat/completions`` without
``choices[].message.refusal`` and ``choices[].logprobs``, keys OpenAI's own answer always carries
(as null). Every other rule of the answer holds, so only RESP-SCHEMA can see it: this fault proves
the suite does, on a plain 200 chat answer, not only on what schemathesis happens to generate.
"""

from __future__ import annotations

from typing import Any

from llmgw_reference.faults.base import Fault, fault

Body = dict[str, Any]
Answer = tuple[int, Body]


@fault(
    "chat-answer-keys-missing",
    breaks=["RESP-SCHEMA"],
    description="Leaves `message.refusal` and `logprobs` out of every choice of a 200 chat answer.",
)
class ChatAnswerKeysMissing(Fault):
    def json_answer(self, method: str, path: str, query: str, status: int, body: Body) -> Answer:
        choices = body.get("choices")
        if path != "/v1/chat/completions" or status != 200 or not isinstance(choices, list):
            return status, body
        out: list[Any] = []
        for choice in choices:
            if isinstance(choice, dict):
                choice = {k: v for k, v in choice.items() if k != "logprobs"}
                message = choice.get("message")
                if isinstance(message, dict):
                    choice["message"] = {k: v for k, v in message.items() if k != "refusal"}
            out.append(choice)
        return status, body | {"choices": out}
