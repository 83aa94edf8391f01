from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_model import CatalogModel
from ...models.error_envelope import ErrorEnvelope
from ...models.register_model_request import RegisterModelRequest
from ...types import Response


def _get_kwargs(
    *,
    body: RegisterModelRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/catalog/models",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CatalogModel | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = CatalogModel.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = CatalogModel.from_dict(response.json())

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

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CatalogModel | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RegisterModelRequest,
) -> Response[CatalogModel | ErrorEnvelope]:
    """Register a model with its content digest

     Registers a model artifact under `id` with its `sha256:<hex>` digest. The
    deployment verifies the digest against the artifact at `artifact_uri` (a `data:`
    URI carries the bytes inline); a digest that does not match, or an artifact it
    cannot verify, is refused with 422 `UNTRUSTED_ARTIFACT`. Registering the same id
    with the same digest again is idempotent (200); with another digest, 409.

    Args:
        body (RegisterModelRequest): A model to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogModel | ErrorEnvelope]
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
    body: RegisterModelRequest,
) -> CatalogModel | ErrorEnvelope | None:
    """Register a model with its content digest

     Registers a model artifact under `id` with its `sha256:<hex>` digest. The
    deployment verifies the digest against the artifact at `artifact_uri` (a `data:`
    URI carries the bytes inline); a digest that does not match, or an artifact it
    cannot verify, is refused with 422 `UNTRUSTED_ARTIFACT`. Registering the same id
    with the same digest again is idempotent (200); with another digest, 409.

    Args:
        body (RegisterModelRequest): A model to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogModel | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RegisterModelRequest,
) -> Response[CatalogModel | ErrorEnvelope]:
    """Register a model with its content digest

     Registers a model artifact under `id` with its `sha256:<hex>` digest. The
    deployment verifies the digest against the artifact at `artifact_uri` (a `data:`
    URI carries the bytes inline); a digest that does not match, or an artifact it
    cannot verify, is refused with 422 `UNTRUSTED_ARTIFACT`. Registering the same id
    with the same digest again is idempotent (200); with another digest, 409.

    Args:
        body (RegisterModelRequest): A model to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogModel | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RegisterModelRequest,
) -> CatalogModel | ErrorEnvelope | None:
    """Register a model with its content digest

     Registers a model artifact under `id` with its `sha256:<hex>` digest. The
    deployment verifies the digest against the artifact at `artifact_uri` (a `data:`
    URI carries the bytes inline); a digest that does not match, or an artifact it
    cannot verify, is refused with 422 `UNTRUSTED_ARTIFACT`. Registering the same id
    with the same digest again is idempotent (200); with another digest, 409.

    Args:
        body (RegisterModelRequest): A model to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogModel | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
