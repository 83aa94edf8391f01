"""What :class:`~llmgw_sdk.GatewayClient` and :class:`~llmgw_sdk.AsyncGatewayClient` hold in common.

Why a base class: the two clients are thin shells that differ only in their httpx client and in how they
wait; the validated settings, the generated clients they expose and the per-call options handed to the
IO-free core (:mod:`llmgw_sdk.call_flow`) are the same and live here, once.
"""

from __future__ import annotations

from collections.abc import Mapping

from llmgw_generated import control_client, data_client
from llmgw_sdk import client_settings as cs
from llmgw_sdk.call_flow import CallOptions
from llmgw_sdk.operations import Headers, Retry, Timeout
from llmgw_sdk.retry_policy import RetryPolicy


class GatewayShell:
    """Settings and generated clients of a gateway client (subclasses add the connection)."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        api_key: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: cs.TimeoutArg = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        """``base_url`` and ``api_key`` default to the ``LLMGW_BASE_URL`` and ``LLMGW_API_KEY`` (or
        ``GATEWAY_API_KEY``) environment variables; ``headers`` are sent with every request;
        ``timeout`` (seconds or ``httpx.Timeout``) and ``retry`` apply to every call unless a call
        passes its own.
        """
        self.settings = cs.resolve_settings(base_url, api_key, headers, timeout, retry)
        url, token = self.settings.base_url, self.settings.api_key
        self.control = control_client.AuthenticatedClient(url, token)
        """The generated control-plane client, sharing this client's connection and headers."""
        self.data = data_client.AuthenticatedClient(url, token)
        """The generated data-plane client, sharing this client's connection and headers."""
        self._connect()

    def _connect(self) -> None:
        """Open the connection and hand it to ``control`` and ``data`` (what makes a shell sync or async)."""
        raise NotImplementedError

    def _options(self, retry: Retry, timeout: Timeout, headers: Headers) -> CallOptions:
        """One call's overrides over this client's defaults."""
        return CallOptions(self.settings.retry, self.settings.timeout, retry, timeout, headers)
