import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.usage_log_page import UsageLogPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    model: str | Unset = UNSET,
    endpoint: str | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    request_id: str | Unset = UNSET,
    until_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["page"] = page

    params["limit"] = limit

    params["model"] = model

    params["endpoint"] = endpoint

    json_start_date: str | Unset = UNSET
    if not isinstance(start_date, Unset):
        json_start_date = start_date.isoformat()
    params["start_date"] = json_start_date

    json_end_date: str | Unset = UNSET
    if not isinstance(end_date, Unset):
        json_end_date = end_date.isoformat()
    params["end_date"] = json_end_date

    params["request_id"] = request_id

    params["until_id"] = until_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/logs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | UsageLogPage | None:
    if response.status_code == 200:
        response_200 = UsageLogPage.from_dict(response.json())

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

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | UsageLogPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    model: str | Unset = UNSET,
    endpoint: str | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    request_id: str | Unset = UNSET,
    until_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | UsageLogPage]:
    """Usage history of the account (paginated by page number)

     One entry per billable request of the caller's account (streamed ones included,
    refused ones with their status), newest first. Pages are numbered from 1 (seed
    002's `PaginatedResponse`); entries written after the first page was read do not
    move older entries between pages, because pages are counted on entries created at
    or before the first entry of page 1 as the caller saw it (`until_id`).

    Args:
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        model (str | Unset):
        endpoint (str | Unset):
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        request_id (str | Unset):
        until_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UsageLogPage]
    """

    kwargs = _get_kwargs(
        page=page,
        limit=limit,
        model=model,
        endpoint=endpoint,
        start_date=start_date,
        end_date=end_date,
        request_id=request_id,
        until_id=until_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    model: str | Unset = UNSET,
    endpoint: str | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    request_id: str | Unset = UNSET,
    until_id: str | Unset = UNSET,
) -> ErrorEnvelope | UsageLogPage | None:
    """Usage history of the account (paginated by page number)

     One entry per billable request of the caller's account (streamed ones included,
    refused ones with their status), newest first. Pages are numbered from 1 (seed
    002's `PaginatedResponse`); entries written after the first page was read do not
    move older entries between pages, because pages are counted on entries created at
    or before the first entry of page 1 as the caller saw it (`until_id`).

    Args:
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        model (str | Unset):
        endpoint (str | Unset):
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        request_id (str | Unset):
        until_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UsageLogPage
    """

    return sync_detailed(
        client=client,
        page=page,
        limit=limit,
        model=model,
        endpoint=endpoint,
        start_date=start_date,
        end_date=end_date,
        request_id=request_id,
        until_id=until_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    model: str | Unset = UNSET,
    endpoint: str | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    request_id: str | Unset = UNSET,
    until_id: str | Unset = UNSET,
) -> Response[ErrorEnvelope | UsageLogPage]:
    """Usage history of the account (paginated by page number)

     One entry per billable request of the caller's account (streamed ones included,
    refused ones with their status), newest first. Pages are numbered from 1 (seed
    002's `PaginatedResponse`); entries written after the first page was read do not
    move older entries between pages, because pages are counted on entries created at
    or before the first entry of page 1 as the caller saw it (`until_id`).

    Args:
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        model (str | Unset):
        endpoint (str | Unset):
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        request_id (str | Unset):
        until_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UsageLogPage]
    """

    kwargs = _get_kwargs(
        page=page,
        limit=limit,
        model=model,
        endpoint=endpoint,
        start_date=start_date,
        end_date=end_date,
        request_id=request_id,
        until_id=until_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    page: int | Unset = 1,
    limit: int | Unset = 20,
    model: str | Unset = UNSET,
    endpoint: str | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    request_id: str | Unset = UNSET,
    until_id: str | Unset = UNSET,
) -> ErrorEnvelope | UsageLogPage | None:
    """Usage history of the account (paginated by page number)

     One entry per billable request of the caller's account (streamed ones included,
    refused ones with their status), newest first. Pages are numbered from 1 (seed
    002's `PaginatedResponse`); entries written after the first page was read do not
    move older entries between pages, because pages are counted on entries created at
    or before the first entry of page 1 as the caller saw it (`until_id`).

    Args:
        page (int | Unset):  Default: 1.
        limit (int | Unset):  Default: 20.
        model (str | Unset):
        endpoint (str | Unset):
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        request_id (str | Unset):
        until_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UsageLogPage
    """

    return (
        await asyncio_detailed(
            client=client,
            page=page,
            limit=limit,
            model=model,
            endpoint=endpoint,
            start_date=start_date,
            end_date=end_date,
            request_id=request_id,
            until_id=until_id,
        )
    ).parsed
