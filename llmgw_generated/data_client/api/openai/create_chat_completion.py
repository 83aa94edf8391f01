from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_completion import ChatCompletion
from ...models.chat_completion_request import ChatCompletionRequest
from ...models.open_ai_error_response import OpenAIErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ChatCompletionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/chat/completions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatCompletion | OpenAIErrorResponse | None:
    if response.status_code == 200:
        response_200 = ChatCompletion.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = OpenAIErrorResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = OpenAIErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OpenAIErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 402:
        response_402 = OpenAIErrorResponse.from_dict(response.json())

        return response_402

    if response.status_code == 403:
        response_403 = OpenAIErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = OpenAIErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 410:
        response_410 = OpenAIErrorResponse.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = OpenAIErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = OpenAIErrorResponse.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = OpenAIErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = OpenAIErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = OpenAIErrorResponse.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = OpenAIErrorResponse.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = OpenAIErrorResponse.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ChatCompletion | OpenAIErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
) -> Response[ChatCompletion | OpenAIErrorResponse]:
    """OpenAI-compatible chat completion

     JSON when `stream` is false or absent; `text/event-stream` of
    `chat.completion.chunk` events ending with `data: [DONE]` when `stream` is true.
    The request accepts everything OpenAI's API accepts (see `x-openai-fidelity` for the
    kept differences); a field this gateway cannot honour is ignored or refused with 400
    `invalid_request_error` as its `x-if-not-honoured` says (`action: ignore` only where the
    answer is the same either way, `action: refuse` otherwise, with `param` naming it).
    A field neither OpenAI nor the contract defines is refused with 400; image, audio and
    file parts are used by a model that reads them or refused with 400; `n > 1` with
    `stream: true` is streamed or refused with 400; a `developer` message is treated as
    `system`, a legacy `function` message as `tool`; legacy `functions` are answered with
    `message.function_call` and `finish_reason` function_call; an unknown model is 404
    `model_not_found`; an unknown `lora_adapter` is 400 `unknown_lora`. A mid-stream error
    is one `data: {"error": {...}}` event followed by `data: [DONE]`.

    Args:
        body (ChatCompletionRequest): OpenAI chat completion request: every field of the official
            OpenAI description, plus the
            gateway extensions marked as such. A field this gateway cannot honour is either ignored or
            refused with 400 `invalid_request_error` (`param` naming it), as its `x-if-not-honoured`
            says; a field OpenAI does not define and the contract does not list is refused with 400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatCompletion | OpenAIErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
) -> ChatCompletion | OpenAIErrorResponse | None:
    """OpenAI-compatible chat completion

     JSON when `stream` is false or absent; `text/event-stream` of
    `chat.completion.chunk` events ending with `data: [DONE]` when `stream` is true.
    The request accepts everything OpenAI's API accepts (see `x-openai-fidelity` for the
    kept differences); a field this gateway cannot honour is ignored or refused with 400
    `invalid_request_error` as its `x-if-not-honoured` says (`action: ignore` only where the
    answer is the same either way, `action: refuse` otherwise, with `param` naming it).
    A field neither OpenAI nor the contract defines is refused with 400; image, audio and
    file parts are used by a model that reads them or refused with 400; `n > 1` with
    `stream: true` is streamed or refused with 400; a `developer` message is treated as
    `system`, a legacy `function` message as `tool`; legacy `functions` are answered with
    `message.function_call` and `finish_reason` function_call; an unknown model is 404
    `model_not_found`; an unknown `lora_adapter` is 400 `unknown_lora`. A mid-stream error
    is one `data: {"error": {...}}` event followed by `data: [DONE]`.

    Args:
        body (ChatCompletionRequest): OpenAI chat completion request: every field of the official
            OpenAI description, plus the
            gateway extensions marked as such. A field this gateway cannot honour is either ignored or
            refused with 400 `invalid_request_error` (`param` naming it), as its `x-if-not-honoured`
            says; a field OpenAI does not define and the contract does not list is refused with 400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatCompletion | OpenAIErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
) -> Response[ChatCompletion | OpenAIErrorResponse]:
    """OpenAI-compatible chat completion

     JSON when `stream` is false or absent; `text/event-stream` of
    `chat.completion.chunk` events ending with `data: [DONE]` when `stream` is true.
    The request accepts everything OpenAI's API accepts (see `x-openai-fidelity` for the
    kept differences); a field this gateway cannot honour is ignored or refused with 400
    `invalid_request_error` as its `x-if-not-honoured` says (`action: ignore` only where the
    answer is the same either way, `action: refuse` otherwise, with `param` naming it).
    A field neither OpenAI nor the contract defines is refused with 400; image, audio and
    file parts are used by a model that reads them or refused with 400; `n > 1` with
    `stream: true` is streamed or refused with 400; a `developer` message is treated as
    `system`, a legacy `function` message as `tool`; legacy `functions` are answered with
    `message.function_call` and `finish_reason` function_call; an unknown model is 404
    `model_not_found`; an unknown `lora_adapter` is 400 `unknown_lora`. A mid-stream error
    is one `data: {"error": {...}}` event followed by `data: [DONE]`.

    Args:
        body (ChatCompletionRequest): OpenAI chat completion request: every field of the official
            OpenAI description, plus the
            gateway extensions marked as such. A field this gateway cannot honour is either ignored or
            refused with 400 `invalid_request_error` (`param` naming it), as its `x-if-not-honoured`
            says; a field OpenAI does not define and the contract does not list is refused with 400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatCompletion | OpenAIErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ChatCompletionRequest,
) -> ChatCompletion | OpenAIErrorResponse | None:
    """OpenAI-compatible chat completion

     JSON when `stream` is false or absent; `text/event-stream` of
    `chat.completion.chunk` events ending with `data: [DONE]` when `stream` is true.
    The request accepts everything OpenAI's API accepts (see `x-openai-fidelity` for the
    kept differences); a field this gateway cannot honour is ignored or refused with 400
    `invalid_request_error` as its `x-if-not-honoured` says (`action: ignore` only where the
    answer is the same either way, `action: refuse` otherwise, with `param` naming it).
    A field neither OpenAI nor the contract defines is refused with 400; image, audio and
    file parts are used by a model that reads them or refused with 400; `n > 1` with
    `stream: true` is streamed or refused with 400; a `developer` message is treated as
    `system`, a legacy `function` message as `tool`; legacy `functions` are answered with
    `message.function_call` and `finish_reason` function_call; an unknown model is 404
    `model_not_found`; an unknown `lora_adapter` is 400 `unknown_lora`. A mid-stream error
    is one `data: {"error": {...}}` event followed by `data: [DONE]`.

    Args:
        body (ChatCompletionRequest): OpenAI chat completion request: every field of the official
            OpenAI description, plus the
            gateway extensions marked as such. A field this gateway cannot honour is either ignored or
            refused with 400 `invalid_request_error` (`param` naming it), as its `x-if-not-honoured`
            says; a field OpenAI does not define and the contract does not list is refused with 400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatCompletion | OpenAIErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
