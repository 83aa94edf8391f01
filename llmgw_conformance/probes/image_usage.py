"""Whether a chat answer that accepted an image part read it, told by ``usage.prompt_tokens``.

Why a differential: a text-only model behind an OpenAI-compatible server (transformers serve) may
accept an image content part, drop it, and answer 200 from the text alone -- an answer that never
saw the image, which OAI-IMAGE-PART forbids. One answer cannot show that; its usage can, compared
with two more: the same message without the image, and a control with clearly more text. OpenAI
counts image tokens in ``prompt_tokens`` (guides/images-vision, "Calculating costs"), so an image
that was read costs prompt tokens. When the control counts more than the text-only message, the
target's usage counts the prompt, and the image message counting no more than the text-only one
means the image was ignored. When usage is absent or does not count the prompt, nothing can be told,
and the verdict says so instead of claiming the model read the image.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import Response
from llmgw_conformance.probes.openai_answers import answer_object, not_a_completion
from llmgw_conformance.probes.verdicts import Verdicts

#: The question asked about the image, alone in the text-only message and beside the image.
IMAGE_QUESTION: Final = "What is this?"
#: The control: clearly more text than the question, so a usage that counts the prompt grows.
CONTROL_TEXT: Final = (
    "What is this? Describe it in one short sentence, naming its main colour, its shape and its size."
)


def text_message(text: str, *extra_parts: dict[str, Any]) -> dict[str, Any]:
    """A user message whose content is a list: the text part, then ``extra_parts`` (the image)."""
    return {"role": "user", "content": [{"type": "text", "text": text}, *extra_parts]}


def prompt_tokens(response: Response) -> int | None:
    """``usage.prompt_tokens`` of a 200 completion, or None when it has none (or is no completion)."""
    if not_a_completion(response) is not None:
        return None
    value = (answer_object(response, "usage") or {}).get("prompt_tokens")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def judge_image_read(
    verdicts: Verdicts, requirement_id: str, text_only: Response, with_image: Response, control: Response
) -> None:
    """Judge a 200 answer ``with_image``: fail when usage shows the accepted image cost no prompt
    tokens (``control`` counts more than ``text_only``, ``with_image`` no more), else pass, saying
    whether usage showed the image was read or could not tell (see the module)."""
    answers = (text_only, with_image, control)
    a, b, c = (prompt_tokens(r) for r in answers)
    exchanges = [r.exchange for r in answers]
    counted = f"prompt_tokens: text only {a}, with the image {b}, more text {c}"
    if a is None or b is None or c is None or c <= a:
        verdicts.passed(
            requirement_id,
            "answered 200; usage could not show whether the image was read "
            f"(it is absent or does not count the prompt: {counted})",
            exchanges=exchanges,
        )
    elif b <= a:
        verdicts.fail(
            requirement_id,
            "an image content part was accepted but not read: the answer cost no more prompt "
            "tokens than the same message without the image, while more text did",
            expected=f"prompt_tokens above {a} with the image (an image that is read costs tokens)",
            received=counted,
            exchanges=exchanges[:2],
        )
    else:
        verdicts.passed(
            requirement_id, f"answered 200 and the image cost prompt tokens ({counted})", exchanges=exchanges
        )
