"""A fault that accepts an image content part and ignores it: the answer is a well-formed completion
of the text alone, with the prompt tokens of the text alone -- what a text-only model behind an
OpenAI-compatible server (transformers serve) does, and what OAI-IMAGE-PART forbids."""

from __future__ import annotations

from llmgw_reference.faults.base import register_faults
from llmgw_reference.faults.semantics import Body, BodyRewrite


class UnreadablePartsDropped(BodyRewrite):
    """Drops every content part this reference cannot read (image, audio, file) from chat messages,
    so the request is served as if they were never sent instead of being refused."""

    prefix = "/v1/chat/completions"

    def rewrite_body(self, path: str, body: Body) -> Body:
        messages = body.get("messages")
        if not isinstance(messages, list):
            return body
        return body | {"messages": [_readable_only(m) for m in messages]}


def _readable_only(message: object) -> object:
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(message, dict) or not isinstance(content, list):
        return message
    kept = [p for p in content if not (isinstance(p, dict) and _unreadable(p.get("type")))]
    return message | {"content": kept}


def _unreadable(kind: object) -> bool:
    """Whether a part of this type is one the reference refuses (other shapes: the schema's 400)."""
    # Imported here: the surfaces import the fault set (through auth), so a module-level import cycles.
    from llmgw_reference.surfaces.chat_fields import READABLE_PART_TYPES

    return isinstance(kind, str) and kind not in READABLE_PART_TYPES


register_faults(
    (
        "image-part-ignored",
        ["OAI-IMAGE-PART"],
        "Accepts chat image (audio, file) content parts and drops them: answers 200 as if they were "
        "absent, with the same prompt tokens.",
        UnreadablePartsDropped,
        {},
    ),
)
