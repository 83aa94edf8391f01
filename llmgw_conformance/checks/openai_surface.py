"""The OpenAI-compatible surface without streaming: refusals, ranges, roles, models list, error bodies.

What is demanded is what OpenAI itself does (the requirement's ``source`` in the catalogue): an unknown
model is 404 ``model_not_found``, an unknown field 400 with any code (OpenAI sends null), an image part
is used (its usage shows it was read) or refused, a listed model is known, and only retriable 429/503
must carry ``Retry-After``.

Every request is small (``max_tokens`` 1 where an answer is generated) because these checks run against
real, paid targets. A refusal is judged by its status and, for OAI-ERROR-SHAPE, by its body against
``OpenAIErrorResponse``; a 429 or 503 seen on the way is judged for ``Retry-After`` (OAI-RETRY-AFTER),
which otherwise needs load, the backpressure profile's business.
"""

from __future__ import annotations

from typing import Any, Final

from llmgw_conformance.context import CheckContext, Response
from llmgw_conformance.outcomes import Exchange
from llmgw_conformance.probes.chat_streams import CHAT_PATH
from llmgw_conformance.probes.image_usage import CONTROL_TEXT, IMAGE_QUESTION, judge_image_read, text_message
from llmgw_conformance.probes.openai_answers import (
    RECEIVED_CHARS,
    Refusal,
    error_body,
    expect_completion,
    expect_refused,
    pass_if_refused,
    status_and_body,
    tiny_chat,
)
from llmgw_conformance.probes.openai_error_rules import openai_error_problems
from llmgw_conformance.probes.verdicts import Verdicts
from llmgw_conformance.registry import check

BOUNDARIES: Final = [
    ("temperature", 0),
    ("temperature", 2),
    ("top_p", 0),
    ("top_p", 1),
    ("frequency_penalty", -2),
    ("frequency_penalty", 2),
    ("presence_penalty", -2),
    ("presence_penalty", 2),
]
OUT_OF_RANGE: Final[list[tuple[dict[str, Any], str]]] = [
    ({"temperature": 2.5}, "temperature above 2"),
    ({"top_p": 1.5}, "top_p above 1"),
    ({"frequency_penalty": 2.5}, "frequency_penalty above 2"),
    ({"presence_penalty": -2.5}, "presence_penalty below -2"),
    ({"logprobs": True, "top_logprobs": 21}, "top_logprobs above 20"),
    ({"n": 129}, "n above 128"),
]
#: OpenAI's `error.code` for an unknown model (and for a model the key may not use).
MODEL_NOT_FOUND: Final = "model_not_found"
#: How OpenAI refuses a request it cannot use (an unknown field, a part the model cannot read).
INVALID: Final = Refusal(400, "invalid_request_error")
IMAGE_PART: Final = {
    "type": "image_url",
    "image_url": {
        "url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "2mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    },
}


def shape_problems(ctx: CheckContext, response: Response) -> list[str]:
    """Why a non-2xx answer is not the OpenAI error shape (empty when it is)."""
    ctype = str(response.headers.get("content-type", ""))
    if "json" not in ctype.lower():
        return [f"Content-Type {ctype or '(none)'} is not application/json"]
    # Judged by value and every problem listed (type among the documented values, code and param
    # string or null, no serialised nulls); the schema then catches the gateway's extension keys.
    problems = openai_error_problems(ctx, response)
    if problems:
        return problems
    try:
        return ctx.contract.schema_errors("OpenAIErrorResponse", response.json())
    except ValueError:
        return ["the body is not JSON"]


@check("oai-error-shape", requirements=["OAI-ERROR-SHAPE"], profiles=["openai-chat"])
def oai_error_shape(ctx: CheckContext) -> None:
    """OpenAI-surface refusals are {"error": {message, type, param, code}}, never integer codes."""
    with Verdicts(ctx, ["OAI-ERROR-SHAPE"]) as verdicts:
        answers = [
            ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, frobnicate=1)),
            ctx.request(
                "POST", CHAT_PATH, json=tiny_chat(ctx, model=f"no-such-model-{ctx.rng.randrange(10**6)}")
            ),
            ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, temperature=9)),
            ctx.request(
                "POST", CHAT_PATH, content=b'{"model": ', headers={"content-type": "application/json"}
            ),
            ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx), api_key=False),
        ]
        refusals = [a for a in answers if a.status >= 400]
        failed = False
        for response in refusals:
            problems = shape_problems(ctx, response)
            failed |= not verdicts.expect(
                "OAI-ERROR-SHAPE",
                not problems,
                f"a {response.status} answer is not the OpenAI error shape: " + "; ".join(problems),
                answer=response,
                expected='{"error": {message, type, param, code}}',
                received=response.text[:RECEIVED_CHARS],
            )
        if not refusals:
            verdicts.skip("OAI-ERROR-SHAPE", "none of the invalid requests was refused")
        elif not failed:
            verdicts.passed(
                "OAI-ERROR-SHAPE",
                f"{len(refusals)} refusals in the OpenAI shape",
                exchanges=[r.exchange for r in refusals],
            )


@check("oai-unknown-field", requirements=["OAI-UNKNOWN-FIELD"], profiles=["openai-chat"])
def oai_unknown_field(ctx: CheckContext) -> None:
    """A chat request with an unknown field is refused 400 invalid_request_error (any code, null too:
    OpenAI sends ``code: null`` with "Unrecognized request argument supplied")."""
    with Verdicts(ctx, ["OAI-UNKNOWN-FIELD"]) as verdicts:
        response = ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, frobnicate_level=3))
        pass_if_refused(verdicts, "OAI-UNKNOWN-FIELD", "unknown field frobnicate_level", response, INVALID)


@check("oai-unknown-model", requirements=["OAI-UNKNOWN-MODEL"], profiles=["openai-chat"])
def oai_unknown_model(ctx: CheckContext) -> None:
    """A chat request naming a model that is not served is refused as OpenAI does: 404
    invalid_request_error with code model_not_found."""
    with Verdicts(ctx, ["OAI-UNKNOWN-MODEL"]) as verdicts:
        name = f"no-such-model-{ctx.rng.randrange(10**9)}"
        response = ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, model=name))
        unknown = Refusal(404, "invalid_request_error", MODEL_NOT_FOUND)
        pass_if_refused(verdicts, "OAI-UNKNOWN-MODEL", f"model {name}", response, unknown)


@check("oai-range-boundary", requirements=["OAI-RANGE-BOUNDARY"], profiles=["openai-chat"])
def oai_range_boundary(ctx: CheckContext) -> None:
    """The boundary values of the documented ranges are accepted."""
    with Verdicts(ctx, ["OAI-RANGE-BOUNDARY"]) as verdicts:
        exchanges: list[Exchange] = []
        for name, value in BOUNDARIES:
            response = ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, **{name: value}))
            exchanges.append(response.exchange)
            boundary = f"{name}={value} (a boundary of its range) was not accepted"
            if not expect_completion(verdicts, "OAI-RANGE-BOUNDARY", boundary, response):
                return
        verdicts.passed(
            "OAI-RANGE-BOUNDARY", f"{len(BOUNDARIES)} boundary values accepted", exchanges=exchanges
        )


@check("oai-range-reject", requirements=["OAI-RANGE-REJECT"], profiles=["openai-chat"])
def oai_range_reject(ctx: CheckContext) -> None:
    """Values outside the documented ranges are refused 400, never accepted or answered 5xx."""
    with Verdicts(ctx, ["OAI-RANGE-REJECT"]) as verdicts:
        exchanges: list[Exchange] = []
        failed = False
        for extra, label in OUT_OF_RANGE:
            response = ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, **extra))
            exchanges.append(response.exchange)
            failed |= not expect_refused(verdicts, "OAI-RANGE-REJECT", label, response, Refusal(400))
        if not failed:
            verdicts.passed(
                "OAI-RANGE-REJECT",
                f"{len(OUT_OF_RANGE)} out-of-range values refused 400",
                exchanges=exchanges,
            )


def _prompt_tokens(response: Response) -> int | None:
    try:
        value = response.json()["usage"]["prompt_tokens"]
    except (ValueError, KeyError, TypeError):
        return None
    return value if isinstance(value, int) else None


@check("oai-developer-role", requirements=["OAI-DEVELOPER-ROLE"], profiles=["openai-chat"])
def oai_developer_role(ctx: CheckContext) -> None:
    """A `developer` message is accepted and counted like the same `system` message."""
    with Verdicts(ctx, ["OAI-DEVELOPER-ROLE"]) as verdicts:
        rules = "You answer in one word."
        answers = {
            role: ctx.request(
                "POST",
                CHAT_PATH,
                json=tiny_chat(
                    ctx, messages=[{"role": role, "content": rules}, {"role": "user", "content": "Hi"}]
                ),
            )
            for role in ("developer", "system")
        }
        exchanges = [a.exchange for a in answers.values()]
        developer = "a developer message was not accepted"
        if not expect_completion(
            verdicts, "OAI-DEVELOPER-ROLE", developer, answers["developer"], exchanges=exchanges
        ):
            return
        tokens = {role: _prompt_tokens(a) for role, a in answers.items()}
        if None not in tokens.values() and tokens["developer"] != tokens["system"]:
            verdicts.fail(
                "OAI-DEVELOPER-ROLE",
                "the developer message was not treated as the same system message",
                expected=f"prompt_tokens {tokens['system']} (as with role system)",
                received=f"prompt_tokens {tokens['developer']}",
                exchanges=exchanges,
            )
            return
        verdicts.passed("OAI-DEVELOPER-ROLE", f"accepted; prompt tokens {tokens}", exchanges=exchanges)


@check("oai-image-part", requirements=["OAI-IMAGE-PART"], profiles=["openai-chat"])
def oai_image_part(ctx: CheckContext) -> None:
    """An image content part is used (200 completion, a vision model) or refused 400 invalid_request_error.

    An accepted image is compared by usage with the same message without it and with more text
    (:mod:`~llmgw_conformance.probes.image_usage`): an image the model never saw fails.
    """
    with Verdicts(ctx, ["OAI-IMAGE-PART"]) as verdicts:

        def ask(message: dict[str, Any]) -> Response:
            return ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, messages=[message]))

        with_image = ask(text_message(IMAGE_QUESTION, IMAGE_PART))
        if with_image.status != 200:
            pass_if_refused(verdicts, "OAI-IMAGE-PART", "an image content part", with_image, INVALID)
        elif expect_completion(
            verdicts,
            "OAI-IMAGE-PART",
            "an image content part",
            with_image,
            expected=f"200 with a chat completion, or {INVALID}",
        ):
            text_only, control = ask(text_message(IMAGE_QUESTION)), ask(text_message(CONTROL_TEXT))
            judge_image_read(verdicts, "OAI-IMAGE-PART", text_only, with_image, control)


@check("oai-models-list", requirements=["OAI-MODELS-LIST"], profiles=["openai-chat"])
def oai_models_list(ctx: CheckContext) -> None:
    """/v1/models is {object: list, data: [model objects]}, not empty, and no listed model is unknown.

    OpenAI lists embedding and audio models too, so a listed model may be refused for chat (OpenAI
    answers "not a chat model"); what it may not be is ``model_not_found``: listed, yet unknown.
    """
    with Verdicts(ctx, ["OAI-MODELS-LIST"]) as verdicts:
        response = ctx.request("GET", "/v1/models")
        try:
            doc: Any = response.json()
        except ValueError:
            doc = None
        problems = (
            ctx.contract.schema_errors("ModelList", doc) if response.status == 200 else [str(response.status)]
        )
        if not problems and not doc["data"]:
            problems = ["the list is empty"]
        if not verdicts.expect(
            "OAI-MODELS-LIST",
            not problems,
            f"/v1/models is not a ModelList of served models: {'; '.join(problems[:1])}",
            answer=response,
            expected="{object: list, data: [{id, object: model, created, owned_by}, ...]}",
            received=response.text[:RECEIVED_CHARS],
        ):
            return
        exchanges = [response.exchange]
        for model in [m["id"] for m in doc["data"]][:5]:
            answer = ctx.request("POST", CHAT_PATH, json=tiny_chat(ctx, model=model))
            exchanges.append(answer.exchange)
            if not verdicts.expect(
                "OAI-MODELS-LIST",
                (error_body(answer) or {}).get("code") != MODEL_NOT_FOUND,
                f"listed model {model!r} is unknown to chat: answered {answer.status} model_not_found",
                answer=answer,
                expected="a completion, or a refusal other than model_not_found (e.g. not a chat model)",
                received=status_and_body(answer),
            ):
                return
        verdicts.passed(
            "OAI-MODELS-LIST",
            f"{len(doc['data'])} models listed, none unknown to chat (first 5 tried)",
            exchanges=exchanges,
        )
