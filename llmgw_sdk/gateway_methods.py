"""The public calls of both gateway clients, written once.

Why one place: :class:`~llmgw_sdk.GatewayClient` and :class:`~llmgw_sdk.AsyncGatewayClient` offer the
same calls with the same signatures (the public API fixes them) and differ only in how they wait for
IO.  Each method here only describes its call: which operation of :mod:`llmgw_sdk.operations`, with
which per-call options, handed to ``self._call`` (a JSON answer) or ``self._stream`` (an SSE stream);
a stream call that is a JSON call's twin (``stream_chat``, ``stream_generate``) is made from it by
:func:`streamed_twin`, so the two share one parameter list.
The sync client inherits the methods as they are.  The async client's ``_call`` and ``_stream`` are
coroutine functions, so the same description gives an awaitable there; :func:`awaited` and
:func:`awaited_stream` make each method the async client's coroutine method, with the same parameters
(checked by the type checker through ``ParamSpec``, and shown by ``inspect.signature``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar, cast

from pydantic import BaseModel

from llmgw_generated.models import data
from llmgw_sdk import operations as ops
from llmgw_sdk.event_streams import AsyncEventStream, EventStream
from llmgw_sdk.operations import EmbedInput, GenerateInput, Headers, RerankInput, Retry, Timeout
from llmgw_sdk.stream_decoding import TaskEvent

if TYPE_CHECKING:
    from llmgw_sdk.async_client import AsyncGatewayClient

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


#: The per-call options every call takes after its own parameters, handed to ``_call`` / ``_stream``.
CALL_OPTIONS = ("retry", "timeout", "headers")


def streamed_twin(
    call: Callable[Concatenate[GatewayMethods, P], object],
    operation: Callable[..., ops.StreamCall[T]],
    returns: str,
    doc: str,
) -> Callable[Concatenate[GatewayMethods, P], EventStream[T]]:
    """The stream call of a JSON call (``stream_chat`` of ``chat``), with the very same parameters.

    Why: a call and its streamed twin take one request the same way (the public API fixes both
    signatures to be equal), so the parameters are declared once, on the JSON call.  The twin binds
    its arguments with ``call``'s signature, builds ``operation`` from the call's own parameters and
    opens it with the per-call options; ``inspect.signature`` shows ``call``'s parameters and
    ``returns``, so ``help()`` and :func:`awaited_stream` see an ordinary method.
    """
    signature = inspect.signature(call)

    def stream(self: GatewayMethods, /, *args: P.args, **kwargs: P.kwargs) -> EventStream[T]:
        given = signature.bind(self, *args, **kwargs)
        given.apply_defaults()
        arguments = dict(given.arguments)
        del arguments["self"]
        options = [arguments.pop(name) for name in CALL_OPTIONS]
        return self._stream(operation(*arguments.values()), *options)

    owner = call.__qualname__.rpartition(".")[0]
    stream.__name__ = f"stream_{call.__name__}"
    stream.__qualname__ = f"{owner}.{stream.__name__}"
    stream.__doc__ = doc
    stream.__signature__ = signature.replace(return_annotation=returns)  # type: ignore[attr-defined]
    stream.__annotations__ = {**call.__annotations__, "return": returns}
    return stream


class GatewayMethods:
    """The calls of a gateway client; a shell supplies ``_call`` and ``_stream`` (the IO)."""

    def _call(self, call: ops.JsonCall[M], retry: Retry, timeout: Timeout, headers: Headers) -> M:
        """Run one JSON call (built by :mod:`llmgw_sdk.operations`); its answer as the contract model."""
        raise NotImplementedError

    def _stream(
        self, call: ops.StreamCall[T], retry: Retry, timeout: Timeout, headers: Headers
    ) -> EventStream[T]:
        """Open one stream (built by :mod:`llmgw_sdk.operations`) once its answer is a success."""
        raise NotImplementedError

    # ------------------------------------------------------------------ OpenAI-compatible chat
    def chat(
        self, request: ops.ChatInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.ChatCompletion:
        """One chat completion as JSON (``stream`` must be unset or false)."""
        return self._call(ops.chat(request), retry, timeout, headers)

    stream_chat = streamed_twin(
        chat,
        ops.stream_chat,
        "EventStream[data.ChatCompletionChunk]",
        """A streamed chat completion: ``ChatCompletionChunk`` items until ``[DONE]``.""",
    )

    # ------------------------------------------------------------------ native generate
    def generate(
        self,
        model: str,
        request: GenerateInput,
        *,
        retry: Retry = None,
        timeout: Timeout = None,
        headers: Headers = None,
    ) -> data.GenerateResult:
        """One native generate call as JSON."""
        return self._call(ops.generate(model, request), retry, timeout, headers)

    stream_generate = streamed_twin(
        generate,
        ops.stream_generate,
        "EventStream[data.GenerateChunk]",
        """A streamed native generate call: ``GenerateChunk`` items (the last has ``done``).""",
    )

    # ------------------------------------------------------------------ native tasks
    def submit_task(
        self, request: ops.TaskInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.AdmissionResponse:
        """Submit a native task for admission (202); a mapping may leave out task_id/session_id."""
        return self._call(ops.submit_task(request), retry, timeout, headers)

    def stream_task_events(
        self, task_id: str, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> EventStream[TaskEvent]:
        """The task's event stream: started, token, metrics, then end (an error event is raised).

        Closing it before ``end`` disconnects, which the gateway treats as a cancel of the task.
        """
        return self._stream(ops.task_events(task_id), retry, timeout, headers)

    def get_task(self, task_id: str, *, wait_ms: int = 0, timeout: Timeout = None) -> data.TaskStatus:
        """The task's state and result (``wait_ms`` long-polls for a terminal state)."""
        return self._call(ops.get_task(task_id, wait_ms), None, timeout, None)

    def cancel_task(self, task_id: str, *, timeout: Timeout = None) -> data.TaskStatus:
        """Cancel a task (a finished one is left as it is)."""
        return self._call(ops.cancel_task(task_id), None, timeout, None)

    # ------------------------------------------------------------------ embeddings, rerank, models
    def embeddings(
        self, request: EmbedInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.EmbeddingsResponse:
        """Embeddings of one text or a list of texts (``POST /v1/embeddings``), one per input, in order."""
        return self._call(ops.embeddings(request), retry, timeout, headers)

    def rerank(
        self, request: RerankInput, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.RerankResponse:
        """Documents ranked against a query (``POST /v1/rerank``), most relevant first."""
        return self._call(ops.rerank(request), retry, timeout, headers)

    def list_models(
        self, *, retry: Retry = None, timeout: Timeout = None, headers: Headers = None
    ) -> data.ModelList:
        """The models usable on the OpenAI surface (``GET /v1/models``)."""
        return self._call(ops.list_models(), retry, timeout, headers)


def _coroutine_method(
    method: Callable[..., Any], return_annotation: str
) -> Callable[..., Coroutine[Any, Any, Any]]:
    """``method`` run on the async client and awaited: the description returns ``self._call``'s
    coroutine there.  Name, docstring and signature are the method's (with ``return_annotation``)."""

    async def run(self: AsyncGatewayClient, /, *args: Any, **kwargs: Any) -> Any:
        return await method(self, *args, **kwargs)

    run.__name__, run.__qualname__, run.__doc__ = method.__name__, method.__qualname__, method.__doc__
    run.__signature__ = inspect.signature(method).replace(  # type: ignore[attr-defined]
        return_annotation=return_annotation
    )
    run.__annotations__ = {**method.__annotations__, "return": return_annotation}
    return run


def awaited(
    method: Callable[Concatenate[GatewayMethods, P], R],
) -> Callable[Concatenate[AsyncGatewayClient, P], Coroutine[Any, Any, R]]:
    """The async client's version of a JSON call: same parameters, the same model awaited."""
    returned = str(inspect.signature(method).return_annotation)
    awaiting = _coroutine_method(method, returned)
    return cast("Callable[Concatenate[AsyncGatewayClient, P], Coroutine[Any, Any, R]]", awaiting)


def awaited_stream(
    method: Callable[Concatenate[GatewayMethods, P], EventStream[T]],
) -> Callable[Concatenate[AsyncGatewayClient, P], Coroutine[Any, Any, AsyncEventStream[T]]]:
    """The async client's version of a stream call: same parameters, an ``AsyncEventStream`` awaited."""
    returned = f"Async{inspect.signature(method).return_annotation}"
    awaiting = _coroutine_method(method, returned)
    return cast(
        "Callable[Concatenate[AsyncGatewayClient, P], Coroutine[Any, Any, AsyncEventStream[T]]]", awaiting
    )
