from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.admission_response import AdmissionResponse
from ...models.error_envelope import ErrorEnvelope
from ...models.task_request import TaskRequest
from ...types import Response


def _get_kwargs(
    *,
    body: TaskRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/tasks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AdmissionResponse | ErrorEnvelope | None:
    if response.status_code == 202:
        response_202 = AdmissionResponse.from_dict(response.json())

        return response_202

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

    if response.status_code == 410:
        response_410 = ErrorEnvelope.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorEnvelope.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorEnvelope.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorEnvelope.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AdmissionResponse | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TaskRequest,
) -> Response[AdmissionResponse | ErrorEnvelope]:
    """Submit a task for admission

     Admission control: the task is queued in the pool chosen by its placement, by
    priority (`interactive` before `batch`). The answer is 202 with the
    `AdmissionResponse` and a `Location` of the task. A `completion` task streams on
    `GET /v1/tasks/{task_id}/events`; `embedding` and `rerank` results come in
    `GET /v1/tasks/{task_id}`. Everything found wrong before admission is a non-2xx
    answer: invalid fields 400; unknown model 404; a `task_id` already used 409; a
    Retired model 410; placement pinned to an unknown pool 422 `POOL_UNAVAILABLE` or
    to a pool with no workers 503 `POOL_UNREADY`; queue full 429 (`ADMISSION_REJECT`
    or `QUEUE_FULL_DROP_LRU`); a deadline that cannot be met 504 `DEADLINE_UNMET`.

    Args:
        body (TaskRequest): A native task. `prompt` carries the text for `completion` (and the
            query for `rerank`); `inputs` the texts to embed or the documents to rerank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdmissionResponse | ErrorEnvelope]
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
    body: TaskRequest,
) -> AdmissionResponse | ErrorEnvelope | None:
    """Submit a task for admission

     Admission control: the task is queued in the pool chosen by its placement, by
    priority (`interactive` before `batch`). The answer is 202 with the
    `AdmissionResponse` and a `Location` of the task. A `completion` task streams on
    `GET /v1/tasks/{task_id}/events`; `embedding` and `rerank` results come in
    `GET /v1/tasks/{task_id}`. Everything found wrong before admission is a non-2xx
    answer: invalid fields 400; unknown model 404; a `task_id` already used 409; a
    Retired model 410; placement pinned to an unknown pool 422 `POOL_UNAVAILABLE` or
    to a pool with no workers 503 `POOL_UNREADY`; queue full 429 (`ADMISSION_REJECT`
    or `QUEUE_FULL_DROP_LRU`); a deadline that cannot be met 504 `DEADLINE_UNMET`.

    Args:
        body (TaskRequest): A native task. `prompt` carries the text for `completion` (and the
            query for `rerank`); `inputs` the texts to embed or the documents to rerank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdmissionResponse | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TaskRequest,
) -> Response[AdmissionResponse | ErrorEnvelope]:
    """Submit a task for admission

     Admission control: the task is queued in the pool chosen by its placement, by
    priority (`interactive` before `batch`). The answer is 202 with the
    `AdmissionResponse` and a `Location` of the task. A `completion` task streams on
    `GET /v1/tasks/{task_id}/events`; `embedding` and `rerank` results come in
    `GET /v1/tasks/{task_id}`. Everything found wrong before admission is a non-2xx
    answer: invalid fields 400; unknown model 404; a `task_id` already used 409; a
    Retired model 410; placement pinned to an unknown pool 422 `POOL_UNAVAILABLE` or
    to a pool with no workers 503 `POOL_UNREADY`; queue full 429 (`ADMISSION_REJECT`
    or `QUEUE_FULL_DROP_LRU`); a deadline that cannot be met 504 `DEADLINE_UNMET`.

    Args:
        body (TaskRequest): A native task. `prompt` carries the text for `completion` (and the
            query for `rerank`); `inputs` the texts to embed or the documents to rerank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AdmissionResponse | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TaskRequest,
) -> AdmissionResponse | ErrorEnvelope | None:
    """Submit a task for admission

     Admission control: the task is queued in the pool chosen by its placement, by
    priority (`interactive` before `batch`). The answer is 202 with the
    `AdmissionResponse` and a `Location` of the task. A `completion` task streams on
    `GET /v1/tasks/{task_id}/events`; `embedding` and `rerank` results come in
    `GET /v1/tasks/{task_id}`. Everything found wrong before admission is a non-2xx
    answer: invalid fields 400; unknown model 404; a `task_id` already used 409; a
    Retired model 410; placement pinned to an unknown pool 422 `POOL_UNAVAILABLE` or
    to a pool with no workers 503 `POOL_UNREADY`; queue full 429 (`ADMISSION_REJECT`
    or `QUEUE_FULL_DROP_LRU`); a deadline that cannot be met 504 `DEADLINE_UNMET`.

    Args:
        body (TaskRequest): A native task. `prompt` carries the text for `completion` (and the
            query for `rerank`); `inputs` the texts to embed or the documents to rerank.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AdmissionResponse | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
