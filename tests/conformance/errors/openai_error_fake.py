"""A small OpenAI-surface server whose request validation and error answers can be broken one by one.

Why the contract decides validity here: the fake must refuse exactly what the contract refuses (so a
correct fake passes every corpus case) and break only the named defect. Defects:

* ``bad-json-500``: a body that is not JSON is answered 500 (``server_error``);
* ``missing-messages-200``: a body without ``messages`` is answered 200 with a completion;
* ``model-500``: a ``model`` that is not a non-empty string is answered 500;
* ``accept-invalid``: every other invalid JSON body is answered 200;
* ``type-undocumented``: refusals carry ``type: "bad_request"``;
* ``traceback-in-json``: refusals carry a Python traceback inside ``error.message``;
* ``key-echo``: refusals quote the Authorization header they were sent;
* ``exception-name``: refusals start with a Python exception class name, as LiteLLM's do.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from llmgw_conformance.contract import load_contract

MODEL = "m"
TRACEBACK = (
    "Traceback (most recent call last):\n  File \"/srv/app/main.py\", line 12, in chat\nKeyError: 'messages'"
)


def _completion() -> dict[str, Any]:
    message = {"role": "assistant", "content": "hi", "refusal": None}
    choice = {"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}
    usage = {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
    return {
        "id": "c-1",
        "object": "chat.completion",
        "created": 1,
        "model": MODEL,
        "choices": [choice],
        "usage": usage,
    }


def make_app(defects: frozenset[str] = frozenset()) -> Starlette:
    """The fake, with ``defects`` (names above) switched on."""
    contract = load_contract()

    def refuse(request: Request, status: int, message: str, param: str | None = None) -> JSONResponse:
        kind = "invalid_request_error" if status < 500 else "server_error"
        if "type-undocumented" in defects:
            kind = "bad_request"
        if "traceback-in-json" in defects:
            message = f"{message}\n{TRACEBACK}"
        if "exception-name" in defects:
            message = f"litellm.BadRequestError: {message}"
        if "key-echo" in defects:
            message = f"{message} (authorization: {request.headers.get('authorization')})"
        error = {"message": message, "type": kind, "param": param, "code": None}
        return JSONResponse({"error": error}, status_code=status)

    async def models(request: Request) -> JSONResponse:
        entry = {"id": MODEL, "object": "model", "created": 1, "owned_by": "fake"}
        return JSONResponse({"object": "list", "data": [entry]})

    async def chat(request: Request) -> JSONResponse:
        if request.method != "POST":  # as OpenAI answers a wrong method: its own error body
            return refuse(request, 405, f"Invalid method for URL ({request.method} /v1/chat/completions)")
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return refuse(request, 415, "send application/json")
        try:
            body = json.loads(await request.body())
        except ValueError:
            if "bad-json-500" in defects:
                return refuse(request, 500, "internal error")
            return refuse(request, 400, "the body is not JSON")
        if isinstance(body, dict) and "messages" not in body and "missing-messages-200" in defects:
            return JSONResponse(_completion())
        model = body.get("model") if isinstance(body, dict) else None
        if "model-500" in defects and isinstance(body, dict) and not (isinstance(model, str) and model):
            return refuse(request, 500, "internal error")
        problems = contract.schema_errors("data.yaml:ChatCompletionRequest", body)
        if problems and "accept-invalid" not in defects:
            return refuse(request, 400, problems[0][:200])
        if isinstance(body, dict) and body.get("model") != MODEL and not problems:
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
        return JSONResponse(_completion())

    return Starlette(
        routes=[Route("/v1/models", models), Route("/v1/chat/completions", chat, methods=["POST", "GET"])]
    )
