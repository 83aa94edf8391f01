"""The two gateway clients offer the same calls with the same parameters (issue 15).

The calls are written once (``llmgw_sdk.gateway_methods``) and the async client's are made from them,
so a wrong wrapper would change what ``inspect.signature`` and ``help()`` show, or leave a call that
is not a coroutine; this pins both against the public signature.
"""

from __future__ import annotations

import inspect

from llmgw_sdk import AsyncGatewayClient, GatewayClient

LIFETIME = {"close", "aclose"}


def _calls(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name not in LIFETIME
    }


def test_every_call_has_an_async_twin_with_the_same_parameters() -> None:
    sync_calls, async_calls = _calls(GatewayClient), _calls(AsyncGatewayClient)
    assert set(sync_calls) == set(async_calls) and "generate" in sync_calls
    for name, signature in sync_calls.items():
        twin = async_calls[name]
        assert list(twin.parameters.values()) == list(signature.parameters.values()), name
        returned = str(signature.return_annotation)
        expected = f"Async{returned}" if returned.startswith("EventStream[") else returned
        assert twin.return_annotation == expected, name
        assert inspect.iscoroutinefunction(getattr(AsyncGatewayClient, name)), name
        assert getattr(AsyncGatewayClient, name).__doc__ == getattr(GatewayClient, name).__doc__, name


def test_the_public_signature_of_generate() -> None:
    expected = (
        "(self, model: 'str', request: 'GenerateInput', *, retry: 'Retry' = None, "
        "timeout: 'Timeout' = None, headers: 'Headers' = None) -> 'data.GenerateResult'"
    )
    assert str(inspect.signature(GatewayClient.generate)) == expected
    assert str(inspect.signature(AsyncGatewayClient.generate)) == expected
    streamed = str(inspect.signature(AsyncGatewayClient.stream_generate))
    assert streamed.endswith("-> 'AsyncEventStream[data.GenerateChunk]'")
