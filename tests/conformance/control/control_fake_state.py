"""State and error answers of the fake gateway the S3 check tests run against.

Why a fake and not only the reference: every check must be shown to FAIL on a server that breaks
exactly its rule. The fake is a small, strict, in-memory gateway that follows the contract; each
named fault (``faults``) breaks one rule, so a test can prove a check passes on the correct server
and fails on the broken one. Request bodies are validated with the suite's own contract loader.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from llmgw_conformance.contract import load_contract

API_KEY = "sk-test-full"
READ_KEY = "sk-test-read"
KEYS = {API_KEY: {"inference", "control:read", "control:write"}, READ_KEY: {"control:read"}}
MODEL = "tiny-model"
PROFILE = "l4"
QUEUE_CAPACITY = 8
DIGEST = "sha256:" + "a" * 64

CAPABILITIES: dict[str, Any] = {
    "api_version": "1.0",
    "engines": [
        {
            "engine": "vllm",
            "ctx_max": 2048,
            "supported_workloads": ["completion", "embedding", "rerank"],
            "implementation": {"name": "synthetic", "synthetic": True},
        }
    ],
    "role": "combined",
    "profiles": [
        "control",
        "auth",
        "control-admin",
        "tasks",
        "generate",
        "embeddings",
        "rerank",
        "backpressure",
    ],
    "features": [
        "sessions",
        "pools",
        "catalog-data-uri",
        "cancel",
        "deadlines",
        "kv-reuse",
        "provisioning",
        "rerank",
        "embeddings",
        "generate",
    ],
    "limits": {
        "max_tokens": 64,
        "max_body_bytes": 65536,
        "queue_capacity": QUEUE_CAPACITY,
        "cancel_budget_ms": 100,
        "attach_timeout_ms": 30000,
        "session_ttl_ms": 60000,
        "heartbeat_ms": 5000,
    },
}


def contract_errors(schema: str, instance: Any) -> list[str]:
    """Validation errors of a request body against the contract (the fake is strict)."""
    return load_contract().schema_errors(schema, instance)


def error(
    status: int,
    code: str,
    message: str,
    *,
    reason: str | None = None,
    retry_after_ms: int | None = None,
    policy_label: str | None = None,
    faults: set[str] | frozenset[str] = frozenset(),
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """One ErrorEnvelope answer, retriable (with Retry-After) exactly when retry_after_ms is given."""
    if "flat-errors" in faults:
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    body: dict[str, Any] = {"code": code, "message": message}
    if "traceback" in faults:
        body["message"] = message + '\nTraceback (most recent call last):\n  File "app.py", line 3, in run'
    if reason:
        body["reason"] = reason
    out = dict(headers or {})
    if retry_after_ms is not None:
        body["retriable"] = True
        body["retry_after_ms"] = retry_after_ms
        if "no-retry-after" not in faults:
            out["Retry-After"] = str(max(1, math.ceil(retry_after_ms / 1000)))
    if policy_label and "no-policy-label" not in faults:
        body["policy_label"] = policy_label
    if "wrong-status" in faults and status == 404:
        status = 400
    return JSONResponse(body, status_code=status, headers=out)


def openai_error(
    status: int, kind: str, message: str, code: str | None, headers: dict[str, str] | None = None
) -> JSONResponse:
    """An OpenAIErrorResponse answer."""
    return JSONResponse(
        {"error": {"message": message, "type": kind, "param": None, "code": code}},
        status_code=status,
        headers=headers,
    )


@dataclass
class Task:
    """One admitted task."""

    body: dict[str, Any]
    state: str = "queued"
    tokens_out: int = 0
    pool_id: str | None = None
    seq: int = 0
    dropped: bool = False
    result: dict[str, Any] | None = None
    text: str = ""


@dataclass
class GatewayState:
    """Everything the fake remembers; ``faults`` names the rules it breaks."""

    faults: set[str] = field(default_factory=set)
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    artifacts: dict[str, bytes] = field(default_factory=dict)
    loading_until: dict[str, float] = field(default_factory=dict)
    pools: dict[str, dict[str, Any]] = field(default_factory=dict)
    workers: list[dict[str, Any]] = field(default_factory=list)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    counter: int = 0
    #: Ids of the pools and models ever created, in order (tests check who named them).
    created: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.models[MODEL] = {
            "id": MODEL,
            "digest": DIGEST,
            "state": "Active",
            "engine": "vllm",
            "workloads": ["completion", "embedding", "rerank"],
            "ctx_max": 2048,
            "load_state": "loaded",
            "created": 1700000000,
        }
        self.models["zz-second-model"] = dict(self.models[MODEL], id="zz-second-model")
        self.workers = [
            {
                "id": f"w{i}",
                "machine_profile": PROFILE,
                "pool_id": None,
                "state": "ready",
                "slots": 2,
                "active_tasks": 0,
                "models": [MODEL],
            }
            for i in range(2)
        ]

    def next_seq(self) -> int:
        self.counter += 1
        return self.counter

    # -- queue -------------------------------------------------------------------------------------

    def queued(self) -> list[Task]:
        """Queued completion tasks in dequeue order (interactive first, then by admission)."""
        waiting = [
            t for t in self.tasks.values() if t.state == "queued" and t.body["workload"] == "completion"
        ]
        return sorted(waiting, key=lambda t: (t.body["priority"] != "interactive", t.seq))

    def position(self, task: Task) -> int:
        order = self.queued()
        return order.index(task) if task in order else 0

    # -- sessions ----------------------------------------------------------------------------------

    def session(self, session_id: str, *, create: bool = False) -> dict[str, Any] | None:
        now = time.monotonic()
        found = self.sessions.get(session_id)
        if found is not None and found["expires"] < now and "session-never-expires" not in self.faults:
            del self.sessions[session_id]
            found = None
        if found is None and create:
            found = {"ttl_ms": 60000, "expires": now + 60, "turns": 0, "kv_bytes": 0, "kv_warmth": False}
            self.sessions[session_id] = found
        return found

    def session_info(self, session_id: str, found: dict[str, Any]) -> dict[str, Any]:
        info = {
            "session_id": session_id,
            "ttl_ms_remaining": max(0, int((found["expires"] - time.monotonic()) * 1000)),
            "turns": found["turns"],
            "kv_bytes": found["kv_bytes"],
            "kv_warmth": found["kv_warmth"],
            "active_tasks": 0,
        }
        if "tokens_budget" in found:
            info["tokens_budget_remaining"] = found["tokens_budget"]
        return info

    # -- pools ---------------------------------------------------------------------------------------

    def assign(self, pool_id: str) -> None:
        """Give the pool free workers up to its caps (or more with the ``caps-exceeded`` fault)."""
        spec = self.pools[pool_id]["spec"]
        gpus = spec.get("gpus", {})
        caps = spec.get("gpu_caps", gpus)
        for worker in self.workers:  # a new spec may lower the caps: release what is above them
            if worker["pool_id"] == pool_id:
                worker["pool_id"] = None
        for profile in set(gpus) | set(caps):
            cap = caps.get(profile, 0) + (1 if "caps-exceeded" in self.faults else 0)
            mine: list[dict[str, Any]] = []
            for worker in self.workers:
                if len(mine) >= cap:
                    break
                if worker["pool_id"] is None and worker["machine_profile"] == profile:
                    worker["pool_id"] = pool_id
                    mine.append(worker)

    def pool_status(self, pool_id: str) -> dict[str, Any]:
        spec = self.pools[pool_id]["spec"]
        assigned: dict[str, int] = {}
        ids = []
        for worker in self.workers:
            if worker["pool_id"] == pool_id:
                assigned[worker["machine_profile"]] = assigned.get(worker["machine_profile"], 0) + 1
                ids.append(worker["id"])
        ready = all(assigned.get(p, 0) >= n for p, n in spec.get("gpus", {}).items())
        if "ready-lie" in self.faults:
            ready = True
        return {
            "state": "ready" if ready else "pending",
            "ready": ready,
            "assigned": assigned,
            "workers": ids,
        }


def new_task_id() -> str:
    return str(uuid.uuid4())


#: The control plane's body limit (what its capabilities claim); the data plane's is DATA_MAX_BYTES.
MAX_BODY_BYTES: int = CAPABILITIES["limits"]["max_body_bytes"]
DATA_MAX_BYTES = 65536


async def json_body(
    request: Request,
    state: GatewayState,
    schema: str,
    *,
    max_bytes: int = MAX_BODY_BYTES,
    lenient_fault: str | None = None,
) -> tuple[Any, Response | None]:
    """The body parsed and validated against ``schema``, or the error answer to send (one reading of a
    JSON body for both planes of the fake). ``lenient_fault``: the fault that lets an invalid JSON object
    through (the data plane's ``accept-invalid``)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return None, error(
            415,
            "INVALID_PARAMS",
            "send application/json",
            reason="UNSUPPORTED_MEDIA_TYPE",
            faults=state.faults,
        )
    raw = await request.body()
    if len(raw) > max_bytes:
        return None, error(
            413, "INVALID_PARAMS", "body too large", reason="PAYLOAD_TOO_LARGE", faults=state.faults
        )
    try:
        body = json.loads(raw)
    except ValueError:
        return None, error(400, "INVALID_PARAMS", "body is not JSON", faults=state.faults)
    problems = contract_errors(schema, body)
    if problems and not (
        lenient_fault is not None and lenient_fault in state.faults and isinstance(body, dict)
    ):
        reason = "UNSUPPORTED_FIELD" if any("Additional properties" in p for p in problems) else None
        return None, error(400, "INVALID_PARAMS", problems[0][:200], reason=reason, faults=state.faults)
    return body, None
