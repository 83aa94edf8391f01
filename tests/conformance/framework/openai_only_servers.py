"""Small OpenAI-only servers (no /v1/capabilities) with one switch per behaviour a test needs.

Why switches and not one server per test: each test of issue 10's classes 1 and 5 needs a server
that is correct except for the one thing it proves the suite judges right (500 to any embeddings
or rerank body, chat missing entirely, ``n`` ignored or refused, chunks without ``finish_reason``,
an empty models list). Served over real HTTP by the ``serve_app`` fixture.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight"]


@dataclass
class OpenAIServer:
    """What the fake serves; every default is the correct behaviour."""

    models: list[str] = field(default_factory=lambda: ["m"])
    #: Models chat answers for (default: the listed ones); ``transformers serve`` lists none but serves one.
    served: list[str] | None = None
    chat: bool = True
    #: "honour" (n choices), "ignore" (one choice), "refuse" (400 naming n)
    n: str = "honour"
    #: With n honoured, usage counts one choice's tokens only (llama-server), not every choice's.
    usage_one_choice: bool = False
    #: Embeddings: "serve", "absent" (404), "crash" (500 to any body, like a handler's KeyError);
    #: rerank also "leak" (500 with a Python traceback inside the JSON message).
    embeddings: str = "absent"
    rerank: str = "absent"
    #: Stream chunks leave out the `finish_reason` key until the last one (LiteLLM, transformers).
    drop_finish_reason: bool = False
    #: Requests received, as (path, parsed body) pairs.
    seen: list[tuple[str, Any]] = field(default_factory=list)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/models", self._models),
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
                Route("/v1/rerank", self._rerank, methods=["POST"]),
            ]
        )

    async def _body(self, request: Request) -> Any:
        try:
            body = json.loads(await request.body() or b"null")
        except ValueError:
            body = None
        self.seen.append((request.url.path, body))
        return body

    async def _models(self, request: Request) -> Response:
        data = [{"id": m, "object": "model", "created": 1, "owned_by": "test"} for m in self.models]
        return JSONResponse({"object": "list", "data": data})

    def _error(self, status: int, message: str, param: str | None = None) -> Response:
        error = {"message": message, "type": "invalid_request_error", "param": param, "code": None}
        return JSONResponse({"error": error}, status_code=status)

    async def _chat(self, request: Request) -> Response:
        body = await self._body(request)
        if not self.chat:
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            return self._error(400, "messages is required", "messages")
        if body.get("model") not in (self.models if self.served is None else self.served):
            return JSONResponse(
                {
                    "error": {
                        "message": "no such model",
                        "type": "invalid_request_error",
                        "param": "model",
                        "code": "model_not_found",
                    }
                },
                status_code=404,
            )
        n = body.get("n") or 1
        if n != 1 and self.n == "refuse":
            return self._error(400, "n must be 1 on this server", "n")
        choices = n if self.n == "honour" and isinstance(n, int) else 1
        limit = body.get("max_tokens") or 4
        words = WORDS[: max(1, min(int(limit), len(WORDS)))]
        billed = len(words) * (1 if self.usage_one_choice else choices)
        if body.get("stream"):
            usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return StreamingResponse(self._chunks(words, choices, usage), media_type="text/event-stream")
        return JSONResponse(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {
                        "index": i,
                        "message": {"role": "assistant", "content": " ".join(words), "refusal": None},
                        "finish_reason": "length",
                        "logprobs": None,
                    }
                    for i in range(choices)
                ],
                "usage": {
                    "prompt_tokens": 3,
                    "completion_tokens": billed,
                    "total_tokens": 3 + billed,
                },
            }
        )

    async def _chunks(self, words: list[str], choices: int, usage: bool) -> AsyncIterator[bytes]:
        created = int(time.time())

        def chunk(items: list[dict[str, Any]], **extra: Any) -> bytes:
            doc = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": created, "model": "m"}
            return f"data: {json.dumps({**doc, 'choices': items, **extra})}\n\n".encode()

        for index in range(choices):
            for position, word in enumerate(words):
                delta = {"role": "assistant", "content": word} if position == 0 else {"content": " " + word}
                item: dict[str, Any] = {"index": index, "delta": delta, "logprobs": None}
                if not self.drop_finish_reason:
                    item["finish_reason"] = None
                yield chunk([item])
            yield chunk([{"index": index, "delta": {}, "finish_reason": "length", "logprobs": None}])
        if usage:
            total = len(words) * choices
            yield chunk([], usage={"prompt_tokens": 3, "completion_tokens": total, "total_tokens": 3 + total})
        yield b"data: [DONE]\n\n"

    async def _embeddings(self, request: Request) -> Response:
        body = await self._body(request)
        if self.embeddings == "absent":
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        if self.embeddings == "crash" or not isinstance(body, dict):
            return JSONResponse(
                {"error": {"message": "'model'", "type": None, "code": "500"}}, status_code=500
            )
        inputs = body.get("input")
        items = inputs if isinstance(inputs, list) else [inputs]
        data = [{"object": "embedding", "index": i, "embedding": [0.5, 0.25]} for i in range(len(items))]
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body.get("model"),
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
        )

    async def _rerank(self, request: Request) -> Response:
        await self._body(request)
        if self.rerank == "absent":
            return JSONResponse({"detail": "Not Found"}, status_code=404)
        if self.rerank == "leak":  # LiteLLM 1.80.5 on a valid rerank request it cannot route
            trace = (
                "Unsupported provider\nTraceback (most recent call last):\n"
                '  File "/srv/venv/lib/python3.11/site-packages/proxy/rerank.py", line 444, in rerank\n'
                "    raise ValueError(msg)\nValueError: Unsupported provider"
            )
            return JSONResponse({"error": {"message": trace, "type": None, "code": "500"}}, status_code=500)
        return JSONResponse({"error": {"message": "'model'", "type": None, "code": "500"}}, status_code=500)
