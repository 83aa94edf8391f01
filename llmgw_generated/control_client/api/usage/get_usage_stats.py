from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.usage_period import UsagePeriod
from ...models.usage_stats import UsageStats
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: UsagePeriod | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: str | Unset = UNSET
    if not isinstance(period, Unset):
        json_period = period.value

    params["period"] = json_period

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/stats",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | UsageStats | None:
    if response.status_code == 200:
        response_200 = UsageStats.from_dict(response.json())

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
) -> Response[ErrorEnvelope | UsageStats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: UsagePeriod | Unset = UNSET,
) -> Response[ErrorEnvelope | UsageStats]:
    """Usage statistics of the account over a period

     Requests, tokens and credits of the billed requests of the caller's account from `period_start` (now
    minus the period) to `period_end` (now).

    Args:
        period (UsagePeriod | Unset): Length of a statistics period, ending now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UsageStats]
    """

    kwargs = _get_kwargs(
        period=period,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    period: UsagePeriod | Unset = UNSET,
) -> ErrorEnvelope | UsageStats | None:
    """Usage statistics of the account over a period

     Requests, tokens and credits of the billed requests of the caller's account from `period_start` (now
    minus the period) to `period_end` (now).

    Args:
        period (UsagePeriod | Unset): Length of a statistics period, ending now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UsageStats
    """

    return sync_detailed(
        client=client,
        period=period,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: UsagePeriod | Unset = UNSET,
) -> Response[ErrorEnvelope | UsageStats]:
    """Usage statistics of the account over a period

     Requests, tokens and credits of the billed requests of the caller's account from `period_start` (now
    minus the period) to `period_end` (now).

    Args:
        period (UsagePeriod | Unset): Length of a statistics period, ending now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UsageStats]
    """

    kwargs = _get_kwargs(
        period=period,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    period: UsagePeriod | Unset = UNSET,
) -> ErrorEnvelope | UsageStats | None:
    """Usage statistics of the account over a period

     Requests, tokens and credits of the billed requests of the caller's account from `period_start` (now
    minus the period) to `period_end` (now).

    Args:
        period (UsagePeriod | Unset): Length of a statistics period, ending now.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UsageStats
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
        )
    ).parsed
