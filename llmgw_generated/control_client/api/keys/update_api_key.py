from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.api_key import ApiKey
from ...models.error_envelope import ErrorEnvelope
from ...models.update_api_key_request import UpdateApiKeyRequest
from ...types import Response


def _get_kwargs(
    key_id: str,
    *,
    body: UpdateApiKeyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/keys/{key_id}".format(
            key_id=quote(str(key_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ApiKey | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = ApiKey.from_dict(response.json())

        return response_200

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
) -> Response[ApiKey | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateApiKeyRequest,
) -> Response[ApiKey | ErrorEnvelope]:
    """Update an API key

     Changes the fields sent. `status` moves a key between `ACTIVE` and `SUSPENDED`
    only; `REVOKED` and `EXPIRED` are final, and any update of such a key is 409
    (`CONFLICT`). A change takes effect on the key's next request.

    Args:
        key_id (str):
        body (UpdateApiKeyRequest): The fields to change (seed 002 `UpdateApiKeyParams`, plus
            `scopes` and `status`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKey | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateApiKeyRequest,
) -> ApiKey | ErrorEnvelope | None:
    """Update an API key

     Changes the fields sent. `status` moves a key between `ACTIVE` and `SUSPENDED`
    only; `REVOKED` and `EXPIRED` are final, and any update of such a key is 409
    (`CONFLICT`). A change takes effect on the key's next request.

    Args:
        key_id (str):
        body (UpdateApiKeyRequest): The fields to change (seed 002 `UpdateApiKeyParams`, plus
            `scopes` and `status`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKey | ErrorEnvelope
    """

    return sync_detailed(
        key_id=key_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateApiKeyRequest,
) -> Response[ApiKey | ErrorEnvelope]:
    """Update an API key

     Changes the fields sent. `status` moves a key between `ACTIVE` and `SUSPENDED`
    only; `REVOKED` and `EXPIRED` are final, and any update of such a key is 409
    (`CONFLICT`). A change takes effect on the key's next request.

    Args:
        key_id (str):
        body (UpdateApiKeyRequest): The fields to change (seed 002 `UpdateApiKeyParams`, plus
            `scopes` and `status`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ApiKey | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        key_id=key_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    key_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateApiKeyRequest,
) -> ApiKey | ErrorEnvelope | None:
    """Update an API key

     Changes the fields sent. `status` moves a key between `ACTIVE` and `SUSPENDED`
    only; `REVOKED` and `EXPIRED` are final, and any update of such a key is 409
    (`CONFLICT`). A change takes effect on the key's next request.

    Args:
        key_id (str):
        body (UpdateApiKeyRequest): The fields to change (seed 002 `UpdateApiKeyParams`, plus
            `scopes` and `status`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ApiKey | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            key_id=key_id,
            client=client,
            body=body,
        )
    ).parsed
