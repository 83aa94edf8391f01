from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key_with_secret import ApiKeyWithSecret
from ...models.create_api_key_request import CreateApiKeyRequest
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: CreateApiKeyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/keys",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiKeyWithSecret | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = ApiKeyWithSecret.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())

        return response_415

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ApiKeyWithSecret | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateApiKeyRequest,
) -> Response[ApiKeyWithSecret | ErrorEnvelope]:
    """Create an API key

     Creates an `ACTIVE` key of the caller's account. The answer is the only one that
    ever holds the secret (`key`); afterwards `key_prefix` identifies the key. A create
    beyond the account's key limit (`Capabilities.limits.max_api_keys`) is 409
    (`CONFLICT`) and creates nothing; a malformed `allowed_ips` or `allowed_endpoints`
    is 400 naming the field in `param`.

    Args:
        body (CreateApiKeyRequest): A new key's settings (seed 002 `CreateApiKeyParams`, plus
            `scopes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyWithSecret | ErrorEnvelope]
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
    body: CreateApiKeyRequest,
) -> ApiKeyWithSecret | ErrorEnvelope | None:
    """Create an API key

     Creates an `ACTIVE` key of the caller's account. The answer is the only one that
    ever holds the secret (`key`); afterwards `key_prefix` identifies the key. A create
    beyond the account's key limit (`Capabilities.limits.max_api_keys`) is 409
    (`CONFLICT`) and creates nothing; a malformed `allowed_ips` or `allowed_endpoints`
    is 400 naming the field in `param`.

    Args:
        body (CreateApiKeyRequest): A new key's settings (seed 002 `CreateApiKeyParams`, plus
            `scopes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyWithSecret | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateApiKeyRequest,
) -> Response[ApiKeyWithSecret | ErrorEnvelope]:
    """Create an API key

     Creates an `ACTIVE` key of the caller's account. The answer is the only one that
    ever holds the secret (`key`); afterwards `key_prefix` identifies the key. A create
    beyond the account's key limit (`Capabilities.limits.max_api_keys`) is 409
    (`CONFLICT`) and creates nothing; a malformed `allowed_ips` or `allowed_endpoints`
    is 400 naming the field in `param`.

    Args:
        body (CreateApiKeyRequest): A new key's settings (seed 002 `CreateApiKeyParams`, plus
            `scopes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKeyWithSecret | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateApiKeyRequest,
) -> ApiKeyWithSecret | ErrorEnvelope | None:
    """Create an API key

     Creates an `ACTIVE` key of the caller's account. The answer is the only one that
    ever holds the secret (`key`); afterwards `key_prefix` identifies the key. A create
    beyond the account's key limit (`Capabilities.limits.max_api_keys`) is 409
    (`CONFLICT`) and creates nothing; a malformed `allowed_ips` or `allowed_endpoints`
    is 400 naming the field in `param`.

    Args:
        body (CreateApiKeyRequest): A new key's settings (seed 002 `CreateApiKeyParams`, plus
            `scopes`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKeyWithSecret | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
