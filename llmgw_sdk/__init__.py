"""Python SDK for LLM inference gateways that follow this repository's contract.

Application code talks to a gateway through :class:`GatewayClient` (or :class:`AsyncGatewayClient`):
the generated clients for every JSON operation (``.control``, ``.data``), and, written once on top of
them, typed streams, typed errors and the retry rules of a non-idempotent API.  Payloads are the
generated pydantic models (``llmgw_generated.models``), never a second copy of the contract's types.
``CONTRACT_VERSION`` is the contract release the generated client under the SDK was made from.

Layout: one IO-free core (:mod:`~llmgw_sdk.operations` and :mod:`~llmgw_sdk.accounts_operations` say
what each call sends; :mod:`~llmgw_sdk.call_flow` sends it, retries it and maps its errors as a flow
of IO steps; :mod:`~llmgw_sdk.stream_decoding` decodes streams), and thin sync and async shells that
only perform those steps (:mod:`~llmgw_sdk.flow_runners`).
"""

from llmgw_generated import CONTRACT_VERSION
from llmgw_sdk.accounts_client import AccountsClient, Charge, charge_of
from llmgw_sdk.async_accounts_client import AsyncAccountsClient
from llmgw_sdk.async_client import AsyncGatewayClient
from llmgw_sdk.client_settings import API_KEY_ENV, BASE_URL_ENV, LEGACY_API_KEY_ENV
from llmgw_sdk.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BackpressureError,
    GatewayError,
    IncompleteStreamError,
    InsufficientCreditsError,
    InvalidRequestError,
    ModelDeprecatedError,
    ModelLoadFailedError,
    ModelLoadingError,
    NotFoundError,
    PermissionDeniedError,
    ProvisioningError,
    RequestValidationError,
    ServerError,
    StreamError,
    UnexpectedResponseError,
    UsageError,
)
from llmgw_sdk.event_streams import AsyncEventStream, EventStream
from llmgw_sdk.retry_policy import RetryPolicy
from llmgw_sdk.stream_decoding import TaskEnd, TaskEvent, TaskMetrics, TaskStarted, TaskToken
from llmgw_sdk.stream_results import (
    ChatStreamResult,
    TaskStreamResult,
    acollect_chat_stream,
    acollect_generate_stream,
    acollect_task_stream,
    collect_chat_stream,
    collect_generate_stream,
    collect_task_stream,
)
from llmgw_sdk.sync_client import GatewayClient

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "CONTRACT_VERSION",
    "LEGACY_API_KEY_ENV",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AccountsClient",
    "AsyncAccountsClient",
    "AsyncEventStream",
    "AsyncGatewayClient",
    "AuthenticationError",
    "BackpressureError",
    "Charge",
    "ChatStreamResult",
    "EventStream",
    "GatewayClient",
    "GatewayError",
    "IncompleteStreamError",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "ModelDeprecatedError",
    "ModelLoadFailedError",
    "ModelLoadingError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProvisioningError",
    "RequestValidationError",
    "RetryPolicy",
    "ServerError",
    "StreamError",
    "TaskEnd",
    "TaskEvent",
    "TaskMetrics",
    "TaskStarted",
    "TaskStreamResult",
    "TaskToken",
    "UnexpectedResponseError",
    "UsageError",
    "acollect_chat_stream",
    "acollect_generate_stream",
    "acollect_task_stream",
    "charge_of",
    "collect_chat_stream",
    "collect_generate_stream",
    "collect_task_stream",
]
