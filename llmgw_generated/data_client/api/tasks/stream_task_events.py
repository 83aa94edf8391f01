from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.native_end_event import NativeEndEvent
from ...models.native_error_event import NativeErrorEvent
from ...models.native_metrics_event import NativeMetricsEvent
from ...models.native_started_event import NativeStartedEvent
from ...models.native_token_event import NativeTokenEvent
from ...types import Response


def _get_kwargs(
    task_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/tasks/{task_id}/events".format(
            task_id=quote(str(task_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    ErrorEnvelope
    | NativeEndEvent
    | NativeErrorEvent
    | NativeMetricsEvent
    | NativeStartedEvent
    | NativeTokenEvent
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> NativeEndEvent | NativeErrorEvent | NativeMetricsEvent | NativeStartedEvent | NativeTokenEvent:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_native_task_event_type_0 = NativeStartedEvent.from_dict(data)

                return componentsschemas_native_task_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_native_task_event_type_1 = NativeTokenEvent.from_dict(data)

                return componentsschemas_native_task_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_native_task_event_type_2 = NativeMetricsEvent.from_dict(data)

                return componentsschemas_native_task_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_native_task_event_type_3 = NativeEndEvent.from_dict(data)

                return componentsschemas_native_task_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_native_task_event_type_4 = NativeErrorEvent.from_dict(data)

            return componentsschemas_native_task_event_type_4

        response_200 = _parse_response_200(response.text)

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

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    ErrorEnvelope
    | NativeEndEvent
    | NativeErrorEvent
    | NativeMetricsEvent
    | NativeStartedEvent
    | NativeTokenEvent
]:
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
) -> Response[
    ErrorEnvelope
    | NativeEndEvent
    | NativeErrorEvent
    | NativeMetricsEvent
    | NativeStartedEvent
    | NativeTokenEvent
]:
    """The native event stream of a completion task

     `started` first, then `token` (`i` from 0 without gaps) and `metrics` events,
    then exactly one terminal event, `end` or `error`, after which the server closes
    the stream. The stream replays from the start for a client that attaches late.
    One client at a time (a second gets 409). A client that disconnects before the
    terminal event cancels the task: generation stops and the slot is freed within
    `Capabilities.limits.cancel_budget_ms`.

    Args:
        task_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NativeEndEvent | NativeErrorEvent | NativeMetricsEvent | NativeStartedEvent | NativeTokenEvent]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> (
    ErrorEnvelope
    | NativeEndEvent
    | NativeErrorEvent
    | NativeMetricsEvent
    | NativeStartedEvent
    | NativeTokenEvent
    | None
):
    """The native event stream of a completion task

     `started` first, then `token` (`i` from 0 without gaps) and `metrics` events,
    then exactly one terminal event, `end` or `error`, after which the server closes
    the stream. The stream replays from the start for a client that attaches late.
    One client at a time (a second gets 409). A client that disconnects before the
    terminal event cancels the task: generation stops and the slot is freed within
    `Capabilities.limits.cancel_budget_ms`.

    Args:
        task_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NativeEndEvent | NativeErrorEvent | NativeMetricsEvent | NativeStartedEvent | NativeTokenEvent
    """

    return sync_detailed(
        task_id=task_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    ErrorEnvelope
    | NativeEndEvent
    | NativeErrorEvent
    | NativeMetricsEvent
    | NativeStartedEvent
    | NativeTokenEvent
]:
    """The native event stream of a completion task

     `started` first, then `token` (`i` from 0 without gaps) and `metrics` events,
    then exactly one terminal event, `end` or `error`, after which the server closes
    the stream. The stream replays from the start for a client that attaches late.
    One client at a time (a second gets 409). A client that disconnects before the
    terminal event cancels the task: generation stops and the slot is freed within
    `Capabilities.limits.cancel_budget_ms`.

    Args:
        task_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | NativeEndEvent | NativeErrorEvent | NativeMetricsEvent | NativeStartedEvent | NativeTokenEvent]
    """

    kwargs = _get_kwargs(
        task_id=task_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    task_id: UUID,
    *,
    client: AuthenticatedClient | Client,
) -> (
    ErrorEnvelope
    | NativeEndEvent
    | NativeErrorEvent
    | NativeMetricsEvent
    | NativeStartedEvent
    | NativeTokenEvent
    | None
):
    """The native event stream of a completion task

     `started` first, then `token` (`i` from 0 without gaps) and `metrics` events,
    then exactly one terminal event, `end` or `error`, after which the server closes
    the stream. The stream replays from the start for a client that attaches late.
    One client at a time (a second gets 409). A client that disconnects before the
    terminal event cancels the task: generation stops and the slot is freed within
    `Capabilities.limits.cancel_budget_ms`.

    Args:
        task_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | NativeEndEvent | NativeErrorEvent | NativeMetricsEvent | NativeStartedEvent | NativeTokenEvent
    """

    return (
        await asyncio_detailed(
            task_id=task_id,
            client=client,
        )
    ).parsed
