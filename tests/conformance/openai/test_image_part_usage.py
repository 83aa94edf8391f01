"""OAI-IMAGE-PART on targets that accept an image part: told apart by usage, over real HTTP.

Why: transformers serve (a text-only Llama) accepts an image part and answers 200 with the prompt
tokens of the text alone: it never saw the image. The check compares usage with the text alone and
with more text; these fakes are a vision model, that ignoring server, and servers whose usage
cannot tell (absent, or not counting the prompt), which must get a pass that says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from llmgw_conformance.checks.openai_surface import oai_image_part
from llmgw_conformance.live import make_context
from llmgw_conformance.options import SuiteOptions
from llmgw_conformance.outcomes import Finding, Outcome
from tests.conformance.framework.framework_servers import start_server

#: What a vision model charges for one image (any positive count will do).
IMAGE_TOKENS = 85


@dataclass
class ImageServer:
    """An OpenAI-only chat server that accepts image parts; ``usage`` says how it counts them:
    "vision" (words plus the image), "ignore" (words only), "absent" (no usage), "flat" (always 12)."""

    usage: str = "vision"

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/models", self._models),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
            ]
        )

    async def _models(self, request: Request) -> Response:
        return JSONResponse(
            {"object": "list", "data": [{"id": "m", "object": "model", "created": 1, "owned_by": "t"}]}
        )

    def _prompt_tokens(self, messages: list[dict[str, Any]]) -> int:
        parts = [p for m in messages for p in m["content"]]
        words = sum(len(p["text"].split()) for p in parts if p["type"] == "text")
        images = sum(1 for p in parts if p["type"] == "image_url")
        return {"vision": words + IMAGE_TOKENS * images, "ignore": words}.get(self.usage, 12)

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        answer: dict[str, Any] = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "A", "refusal": None},
                    "logprobs": None,
                    "finish_reason": "length",
                }
            ],
        }
        if self.usage != "absent":
            prompt = self._prompt_tokens(body["messages"])
            answer["usage"] = {"prompt_tokens": prompt, "completion_tokens": 1, "total_tokens": prompt + 1}
        return JSONResponse(answer)


@pytest.fixture(scope="module")
def image_server() -> Iterator[tuple[ImageServer, str]]:
    fake = ImageServer()
    server, thread, url = start_server(fake.app())
    yield fake, url
    server.should_exit = True
    thread.join(timeout=5)


def judged(image_server: tuple[ImageServer, str], usage: str) -> Finding:
    """The one OAI-IMAGE-PART finding of the check against the server counting as ``usage``."""
    fake, url = image_server
    fake.usage = usage
    options = SuiteOptions().replace(model="m", read_timeout_s=10.0)
    ctx, findings = make_context(url, "sk-test", "oai-image-part", options=options)
    try:
        oai_image_part(ctx)
    finally:
        ctx.close()
    [finding] = [f for f in findings if f.requirement_id == "OAI-IMAGE-PART"]
    return finding


def test_a_vision_model_whose_image_costs_prompt_tokens_passes(image_server: tuple[ImageServer, str]) -> None:
    finding = judged(image_server, "vision")
    assert finding.outcome is Outcome.PASSED, finding.message
    assert "the image cost prompt tokens" in finding.message


def test_an_image_accepted_and_ignored_fails(image_server: tuple[ImageServer, str]) -> None:
    finding = judged(image_server, "ignore")
    assert finding.outcome is Outcome.FAILED, finding.message
    assert "not read" in finding.message
    assert finding.received == "prompt_tokens: text only 3, with the image 3, more text 18"
    assert len(finding.exchanges) == 2


@pytest.mark.parametrize("usage", ["absent", "flat"])
def test_usage_that_cannot_tell_gets_an_honest_pass(
    image_server: tuple[ImageServer, str], usage: str
) -> None:
    finding = judged(image_server, usage)
    assert finding.outcome is Outcome.PASSED, finding.message
    assert "usage could not show whether the image was read" in finding.message
    assert "reads images" not in finding.message
