from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.image_generation_request import ImageGenerationRequest
from ...models.images_response import ImagesResponse
from ...models.open_ai_error_response import OpenAIErrorResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ImageGenerationRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/images/generations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ImagesResponse | OpenAIErrorResponse | None:
    if response.status_code == 200:
        response_200 = ImagesResponse.from_dict(response.json())

        return response_200

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ImagesResponse | OpenAIErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ImageGenerationRequest,
) -> Response[ImagesResponse | OpenAIErrorResponse]:
    """OpenAI-compatible image generation

     `n` images for `prompt` (seed 002 `ImageGenerationParams`), each as a URL the
    deployment serves or as base64 PNG (`response_format: b64_json`). Billed as the other
    OpenAI operations (402, `X-Credits-*` headers). Optional: a deployment that does not
    claim the `images` feature answers 404.

    Args:
        body (ImageGenerationRequest): Image generation parameters (seed 002
            `ImageGenerationParams`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImagesResponse | OpenAIErrorResponse]
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
    body: ImageGenerationRequest,
) -> ImagesResponse | OpenAIErrorResponse | None:
    """OpenAI-compatible image generation

     `n` images for `prompt` (seed 002 `ImageGenerationParams`), each as a URL the
    deployment serves or as base64 PNG (`response_format: b64_json`). Billed as the other
    OpenAI operations (402, `X-Credits-*` headers). Optional: a deployment that does not
    claim the `images` feature answers 404.

    Args:
        body (ImageGenerationRequest): Image generation parameters (seed 002
            `ImageGenerationParams`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImagesResponse | OpenAIErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ImageGenerationRequest,
) -> Response[ImagesResponse | OpenAIErrorResponse]:
    """OpenAI-compatible image generation

     `n` images for `prompt` (seed 002 `ImageGenerationParams`), each as a URL the
    deployment serves or as base64 PNG (`response_format: b64_json`). Billed as the other
    OpenAI operations (402, `X-Credits-*` headers). Optional: a deployment that does not
    claim the `images` feature answers 404.

    Args:
        body (ImageGenerationRequest): Image generation parameters (seed 002
            `ImageGenerationParams`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ImagesResponse | OpenAIErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: ImageGenerationRequest,
) -> ImagesResponse | OpenAIErrorResponse | None:
    """OpenAI-compatible image generation

     `n` images for `prompt` (seed 002 `ImageGenerationParams`), each as a URL the
    deployment serves or as base64 PNG (`response_format: b64_json`). Billed as the other
    OpenAI operations (402, `X-Credits-*` headers). Optional: a deployment that does not
    claim the `images` feature answers 404.

    Args:
        body (ImageGenerationRequest): Image generation parameters (seed 002
            `ImageGenerationParams`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ImagesResponse | OpenAIErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
