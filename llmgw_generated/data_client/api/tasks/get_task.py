from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.task_status import TaskStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    task_id: UUID,
    *,
    wait_ms: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["wait_ms"] = wait_ms

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks/{task_id}".format(
            task_id=quote(str(task_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TaskStatus | None:
    if response.status_code == 200:
        response_200 = TaskStatus.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | TaskStatus]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    wait_ms: int | Unset = 0,
) -> Response[ErrorEnvelope | TaskStatus]:
    """State and result of a task

     The task's state and, once it succeeded, its result. `wait_ms` long-polls: the
    answer comes when the task reaches a terminal state or after `wait_ms`,
    whichever is first. Tasks are kept at least 60 s after their terminal state.

    Args:
        task_id (UUID):
        wait_ms (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskStatus]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        wait_ms=wait_ms,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    wait_ms: int | Unset = 0,
) -> ErrorEnvelope | TaskStatus | None:
    """State and result of a task

     The task's state and, once it succeeded, its result. `wait_ms` long-polls: the
    answer comes when the task reaches a terminal state or after `wait_ms`,
    whichever is first. Tasks are kept at least 60 s after their terminal state.

    Args:
        task_id (UUID):
        wait_ms (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskStatus
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
        wait_ms=wait_ms,
    ).parsed


async def asyncio_detailed(
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    wait_ms: int | Unset = 0,
) -> Response[ErrorEnvelope | TaskStatus]:
    """State and result of a task

     The task's state and, once it succeeded, its result. `wait_ms` long-polls: the
    answer comes when the task reaches a terminal state or after `wait_ms`,
    whichever is first. Tasks are kept at least 60 s after their terminal state.

    Args:
        task_id (UUID):
        wait_ms (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TaskStatus]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
        wait_ms=wait_ms,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
    wait_ms: int | Unset = 0,
) -> ErrorEnvelope | TaskStatus | None:
    """State and result of a task

     The task's state and, once it succeeded, its result. `wait_ms` long-polls: the
    answer comes when the task reaches a terminal state or after `wait_ms`,
    whichever is first. Tasks are kept at least 60 s after their terminal state.

    Args:
        task_id (UUID):
        wait_ms (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TaskStatus
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
            wait_ms=wait_ms,
        )
    ).parsed
