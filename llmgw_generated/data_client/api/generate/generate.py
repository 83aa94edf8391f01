from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.generate_request import GenerateRequest
from ...models.generate_result import GenerateResult
from ...types import Response


def _get_kwargs(
    model: str,
    *,
    body: GenerateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/generate/{model}".format(
            model=quote(str(model), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | GenerateResult | None:
    if response.status_code == 200:
        response_200 = GenerateResult.from_dict(response.json())

        return response_200

    if response.status_code == 202:
        response_202 = ErrorEnvelope.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())

        return response_404

    if response.status_code == 410:
        response_410 = ErrorEnvelope.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorEnvelope.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorEnvelope.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | GenerateResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> Response[ErrorEnvelope | GenerateResult]:
    """Native generate

     JSON `GenerateResult` when `stream` is false or absent; a stream of
    `GenerateChunk` events (`seq` from 0, exactly one chunk with `done: true`, then
    `data: [DONE]`) when `stream` is true. Errors before the stream use
    `ErrorEnvelope`; a mid-stream error is the terminal chunk with `error`,
    `done: true` and `finish_reason: error`.

    Args:
        model (str):
        body (GenerateRequest): Native generate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | GenerateResult]
    """

    kwargs = _get_kwargs(
        model=model,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> ErrorEnvelope | GenerateResult | None:
    """Native generate

     JSON `GenerateResult` when `stream` is false or absent; a stream of
    `GenerateChunk` events (`seq` from 0, exactly one chunk with `done: true`, then
    `data: [DONE]`) when `stream` is true. Errors before the stream use
    `ErrorEnvelope`; a mid-stream error is the terminal chunk with `error`,
    `done: true` and `finish_reason: error`.

    Args:
        model (str):
        body (GenerateRequest): Native generate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | GenerateResult
    """

    return sync_detailed(
        model=model,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    model: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> Response[ErrorEnvelope | GenerateResult]:
    """Native generate

     JSON `GenerateResult` when `stream` is false or absent; a stream of
    `GenerateChunk` events (`seq` from 0, exactly one chunk with `done: true`, then
    `data: [DONE]`) when `stream` is true. Errors before the stream use
    `ErrorEnvelope`; a mid-stream error is the terminal chunk with `error`,
    `done: true` and `finish_reason: error`.

    Args:
        model (str):
        body (GenerateRequest): Native generate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | GenerateResult]
    """

    kwargs = _get_kwargs(
        model=model,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model: str,
    *,
    client: AuthenticatedClient | Client,
    body: GenerateRequest,
) -> ErrorEnvelope | GenerateResult | None:
    """Native generate

     JSON `GenerateResult` when `stream` is false or absent; a stream of
    `GenerateChunk` events (`seq` from 0, exactly one chunk with `done: true`, then
    `data: [DONE]`) when `stream` is true. Errors before the stream use
    `ErrorEnvelope`; a mid-stream error is the terminal chunk with `error`,
    `done: true` and `finish_reason: error`.

    Args:
        model (str):
        body (GenerateRequest): Native generate request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | GenerateResult
    """

    return (
        await asyncio_detailed(
            model=model,
            client=client,
            body=body,
        )
    ).parsed
