from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.catalog_model import CatalogModel
from ...models.error_envelope import ErrorEnvelope
from ...models.model_state_change import ModelStateChange
from ...types import Response


def _get_kwargs(
    model_id: str,
    *,
    body: ModelStateChange,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/catalog/models/{model_id}/state".format(
            model_id=quote(str(model_id), safe=""),
        ),
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
) -> Response[CatalogModel | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelStateChange,
) -> Response[CatalogModel | ErrorEnvelope]:
    """Move a model between Active and Retired

     Sets the lifecycle state. Both transitions are allowed and setting the current
    state again is a no-op (200). New work on a Retired model gets 410
    `MODEL_DEPRECATED`; work already admitted runs to its end.

    Args:
        model_id (str): Model id; letters, digits and `._:-`, 1 to 128 characters.
        body (ModelStateChange): The state to move a model to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogModel | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelStateChange,
) -> CatalogModel | ErrorEnvelope | None:
    """Move a model between Active and Retired

     Sets the lifecycle state. Both transitions are allowed and setting the current
    state again is a no-op (200). New work on a Retired model gets 410
    `MODEL_DEPRECATED`; work already admitted runs to its end.

    Args:
        model_id (str): Model id; letters, digits and `._:-`, 1 to 128 characters.
        body (ModelStateChange): The state to move a model to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogModel | ErrorEnvelope
    """

    return sync_detailed(
        model_id=model_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelStateChange,
) -> Response[CatalogModel | ErrorEnvelope]:
    """Move a model between Active and Retired

     Sets the lifecycle state. Both transitions are allowed and setting the current
    state again is a no-op (200). New work on a Retired model gets 410
    `MODEL_DEPRECATED`; work already admitted runs to its end.

    Args:
        model_id (str): Model id; letters, digits and `._:-`, 1 to 128 characters.
        body (ModelStateChange): The state to move a model to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CatalogModel | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        model_id=model_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    model_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: ModelStateChange,
) -> CatalogModel | ErrorEnvelope | None:
    """Move a model between Active and Retired

     Sets the lifecycle state. Both transitions are allowed and setting the current
    state again is a no-op (200). New work on a Retired model gets 410
    `MODEL_DEPRECATED`; work already admitted runs to its end.

    Args:
        model_id (str): Model id; letters, digits and `._:-`, 1 to 128 characters.
        body (ModelStateChange): The state to move a model to.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CatalogModel | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            model_id=model_id,
            client=client,
            body=body,
        )
    ).parsed
