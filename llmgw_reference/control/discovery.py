"""getCapabilities and getCapacity: what the deployment is, claims and has now.

Why these claims: the reference honours every conformance profile and every optional feature
of the contract, and says plainly that its engine is synthetic (CAP-SYNTHETIC-HONEST).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from llmgw_generated.models.control import Capabilities, ConformanceProfile
from llmgw_reference import spec
from llmgw_reference.control.common import json_answer, runtime_of
from llmgw_reference.surfaces.runtime_access import logprobs_available

FEATURES = (
    "sessions", "pools", "catalog-data-uri", "lora", "tools", "logprobs", "n", "stop", "response_format",
    "cancel", "deadlines", "kv-reuse", "provisioning", "rerank", "embeddings", "generate",
    "api-keys", "access-tokens", "usage", "credits", "images",
)  # fmt: skip


def capabilities_of(request: Request) -> Capabilities:
    runtime = runtime_of(request)
    config = runtime.config
    engines: dict[str, dict[str, object]] = {}
    for model_id in runtime.catalog.sorted_ids():
        entry = runtime.catalog.models[model_id]
        found = engines.setdefault(
            entry.engine.value,
            {
                "engine": entry.engine.value,
                "ctx_max": entry.ctx_max,
                "supported_workloads": [],
                "implementation": {
                    "name": runtime.engine.name,
                    "version": runtime.engine.version,
                    "synthetic": True,
                },
            },
        )
        found["ctx_max"] = max(int(str(found["ctx_max"])), entry.ctx_max)
        workloads = found["supported_workloads"]
        assert isinstance(workloads, list)
        workloads.extend(w.value for w in entry.workloads if w.value not in workloads)
    return Capabilities.model_validate(
        {
            "api_version": spec.api_version(),
            "engines": list(engines.values()),
            "role": config.role,
            "profiles": [p.value for p in ConformanceProfile],
            # A gateway refuses logprobs (its workers' native streams carry token texts only), so it
            # does not claim them: a claimed feature that is refused is a failure, an unclaimed one
            # is "not supported".
            "features": [f for f in FEATURES if f != "logprobs" or logprobs_available(runtime)],
            "limits": {
                "max_tokens": config.max_tokens,
                "max_body_bytes": config.max_body_bytes,
                "queue_capacity": config.queue_capacity,
                "cancel_budget_ms": config.cancel_budget_ms,
                "attach_timeout_ms": config.attach_timeout_ms,
                "session_ttl_ms": config.session_ttl_ms,
                "heartbeat_ms": config.heartbeat_ms,
                "max_api_keys": config.max_api_keys,
            },
        }
    )


async def get_capabilities(request: Request) -> Response:
    return json_answer(capabilities_of(request))


async def get_capacity(request: Request) -> Response:
    return json_answer(runtime_of(request).capacity())
