"""How a surface handler reaches the core: the runtime, the caller, the fault set, the request id.

Why a module of its own: these are the only points where the surfaces depend on how the core
stores things on the app and the request; if that changes, this file changes and nothing else.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request

from llmgw_generated.models.common import ErrorKind, Workload
from llmgw_reference.errors import ApiError


def runtime_of(request: Request) -> Any:
    """The ``Runtime`` of the app (``app.state.runtime``)."""
    runtime = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise ApiError(ErrorKind.POOL_UNREADY, "the server is starting", status=503)
    return runtime


def principal_of(request: Request) -> Any:
    """The authenticated caller, as the auth layer stored it on the request."""
    return getattr(request.state, "principal", None)


def faults_of(request: Request) -> Any:
    """The active fault set, so that the surfaces' streams break exactly like the native one."""
    runtime = runtime_of(request)
    found = getattr(runtime, "faults", None) or getattr(request.app.state, "faults", None)
    if found is None:
        from llmgw_reference.faults import FaultSet

        found = FaultSet()
    return found


def heartbeat_ms_of(request: Request) -> int:
    """The configured heartbeat interval of streams."""
    return int(getattr(runtime_of(request).config, "heartbeat_ms", 1000))


def request_id_of(request: Request) -> str:
    """The request's id: the one the core assigned, else a fresh one."""
    found = getattr(request.state, "request_id", None)
    return str(found) if found else f"req_{uuid.uuid4().hex}"


def resolve_model(request: Request, model_id: str, workload: Workload) -> Any:
    """The catalog model for a surface request; its errors name the request's ``model`` field."""
    try:
        return runtime_of(request).resolve_model(model_id, workload)
    except ApiError as err:
        if err.param in (None, "workload"):
            err.param = "model"
        raise


def logprobs_available(runtime: Any) -> bool:
    """Whether token log-probabilities are real here: not in the gateway role, whose workers'
    native streams carry token texts only."""
    return getattr(runtime.config, "role", "combined") != "gateway"
