from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.session_create_request import SessionCreateRequest
from ...models.session_info import SessionInfo
from ...types import Response


def _get_kwargs(
    session_id: UUID,
    *,
    body: SessionCreateRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/sessions/{session_id}".format(
            session_id=quote(str(session_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | SessionInfo | None:
    if response.status_code == 200:
        response_200 = SessionInfo.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = SessionInfo.from_dict(response.json())

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
) -> Response[ErrorEnvelope | SessionInfo]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: SessionCreateRequest,
) -> Response[ErrorEnvelope | SessionInfo]:
    """Open or update a session

     Opens the session with a TTL and optional token, time and cost budgets, or
    replaces them on an open one. A task that names a session id that is not open
    opens it with the deployment's default TTL and no budgets.

    Args:
        session_id (UUID):
        body (SessionCreateRequest): TTL and budgets of a session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SessionInfo]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: SessionCreateRequest,
) -> ErrorEnvelope | SessionInfo | None:
    """Open or update a session

     Opens the session with a TTL and optional token, time and cost budgets, or
    replaces them on an open one. A task that names a session id that is not open
    opens it with the deployment's default TTL and no budgets.

    Args:
        session_id (UUID):
        body (SessionCreateRequest): TTL and budgets of a session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SessionInfo
    """

    return sync_detailed(
        session_id=session_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: SessionCreateRequest,
) -> Response[ErrorEnvelope | SessionInfo]:
    """Open or update a session

     Opens the session with a TTL and optional token, time and cost budgets, or
    replaces them on an open one. A task that names a session id that is not open
    opens it with the deployment's default TTL and no budgets.

    Args:
        session_id (UUID):
        body (SessionCreateRequest): TTL and budgets of a session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | SessionInfo]
    """

    kwargs = _get_kwargs(
        session_id=session_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    session_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: SessionCreateRequest,
) -> ErrorEnvelope | SessionInfo | None:
    """Open or update a session

     Opens the session with a TTL and optional token, time and cost budgets, or
    replaces them on an open one. A task that names a session id that is not open
    opens it with the deployment's default TTL and no budgets.

    Args:
        session_id (UUID):
        body (SessionCreateRequest): TTL and budgets of a session.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | SessionInfo
    """

    return (
        await asyncio_detailed(
            session_id=session_id,
            client=client,
            body=body,
        )
    ).parsed
