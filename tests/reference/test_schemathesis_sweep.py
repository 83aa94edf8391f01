"""Schemathesis sweep of every operation of both contracts against the real reference server.

Positive and negative cases (``mode: all``) from the coverage and fuzzing phases, over real HTTP
with the dev key, judged by ``not_a_server_error``, ``status_code_conformance``,
``content_type_conformance`` and ``response_schema_conformance``; streams are read and each event
validated (``max-stream-events`` and ``request-timeout`` set so whole streams are judged).

Hooks steer cases where random data would only ever meet a 404: half of the task reads, streams
and cancels name a native task the fixture made; chat, embeddings, rerank and generate use a
served model in half of the cases; half of the chat and generate cases stream; token limits are
capped to keep the sweep fast.  The data sweep runs first, so the control sweep
(which retires models and reshapes pools) cannot disturb it.
The volume (at least 5,000 cases in all) is asserted when both sweeps ran completely.  The seed is
fixed (``SWEEP_SEED`` overrides it) so a failure reproduces.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from schemathesis import openapi
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "openapi"
DEV_KEY = "sk-local-dev"
EXAMPLES_PER_OPERATION = 200
# A fixed seed makes `make test` reproducible; set SWEEP_SEED to explore other cases.
SEED = int(os.environ.get("SWEEP_SEED", "20261123"))
MIN_TOTAL_CASES = 5000
TOKEN_CAP = 8
SERVED = {
    "createChatCompletion": "synth-small",
    "createEmbeddings": "synth-small",
    "createRerank": "synth-small",
}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "headers": {"Authorization": f"Bearer {DEV_KEY}"},
        "request-timeout": 10.0,
        "max-stream-events": 500,
        "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION, "database": "none"},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "output": {"sanitization": {"enabled": False}},
    }
)
data_schema = openapi.from_path(CONTRACTS / "data.yaml", config=CONFIG)
control_schema = openapi.from_path(CONTRACTS / "control.yaml", config=CONFIG)

STATS: Counter[str] = Counter()
KNOWN_TASKS: list[str] = []  # native tasks made by the fixture, so task reads and streams meet real ones
OPERATIONS_SEEN: dict[str, set[str]] = {"data": set(), "control": set()}


def _pick(seed_text: str, every: int) -> bool:
    """A deterministic 1-in-``every`` choice, from the case's own content."""
    return int(hashlib.sha256(seed_text.encode()).hexdigest()[:8], 16) % every == 0


def _field(value: Any, key: str) -> Any:
    """``value[key]`` when ``value`` is an object, else None (negative cases hold anything)."""
    return value.get(key) if isinstance(value, dict) else None


def _repair_chat(body: dict[str, Any]) -> None:
    """Undo the cross-field conflicts random generation makes (the schema cannot express them),
    so that half of the chat cases reach generation instead of a 400."""
    body.pop("lora_adapter", None)
    if not body.get("stream"):
        body.pop("stream_options", None)
    if body.get("top_logprobs"):
        body["logprobs"] = True
    if isinstance(body.get("n"), int) and isinstance(body.get("best_of"), int):
        body["best_of"] = max(body["best_of"], body["n"])
    found = body.get("tools")
    tools: list[Any] = found if isinstance(found, list) else []
    names = [_field(_field(tool, "function"), "name") for tool in tools]
    choice = body.get("tool_choice")
    if (choice == "required" and not tools) or (
        isinstance(choice, dict) and _field(_field(choice, "function"), "name") not in names
    ):
        body.pop("tool_choice", None)
    messages = body.get("messages")
    for message in messages if isinstance(messages, list) else []:
        if isinstance(message, dict) and message.get("role") == "tool" and not message.get("tool_call_id"):
            message["tool_call_id"] = "call_0"


@data_schema.hook("map_case")
def steer_data_case(context: Any, case: Any) -> Any:
    """Served models, some streams and small token limits for the positive data-plane cases."""
    body = case.body
    operation_id = case.operation.definition.raw.get("operationId", "")
    params = case.path_parameters
    known = KNOWN_TASKS and isinstance(params, dict) and "task_id" in params
    if known and _pick(str(params.get("task_id")) + json.dumps(case.query, default=str), 2):
        params["task_id"] = KNOWN_TASKS[len(str(params.get("task_id"))) % len(KNOWN_TASKS)]
    if not isinstance(body, dict):
        return case
    fingerprint = json.dumps(body, sort_keys=True, default=str)
    if operation_id in SERVED and isinstance(body.get("model"), str) and _pick(fingerprint + "m", 2):
        body["model"] = SERVED[operation_id]
    if operation_id in ("createChatCompletion", "generate"):
        for field in ("max_tokens", "max_completion_tokens", "max_new_tokens"):
            if isinstance(body.get(field), int) and not isinstance(body.get(field), bool):
                body[field] = max(1, min(body[field], TOKEN_CAP))
        if (
            operation_id == "createChatCompletion"
            and "max_tokens" not in body
            and "max_completion_tokens" not in body
        ):
            body["max_completion_tokens"] = TOKEN_CAP
        if operation_id == "generate" and "max_new_tokens" not in body:
            body["max_new_tokens"] = TOKEN_CAP
        deadline = body.get("deadline_ms")  # schemathesis may send 2.0 for an integer field
        if isinstance(deadline, int | float) and not isinstance(deadline, bool):
            # A deadline shorter than generation is answered 504 DEADLINE_UNMET, which is right but which
            # schemathesis counts as a server error; tests/reference/surfaces/test_deadline_http.py covers it.
            body["deadline_ms"] = max(body["deadline_ms"], 60000)
        if isinstance(body.get("n"), int) and not isinstance(body.get("n"), bool):
            body["n"] = max(1, min(body["n"], 3))
        if isinstance(body.get("best_of"), int) and not isinstance(body.get("best_of"), bool):
            body["best_of"] = max(1, min(body["best_of"], 4))
        if _pick(fingerprint + "s", 2):
            body["stream"] = True
            body.pop("n", None)
            body.pop("best_of", None)
        if operation_id == "createChatCompletion" and _pick(fingerprint + "r", 2):
            _repair_chat(body)
    if operation_id == "submitTask" and _pick(fingerprint + "t", 2):
        body.update(model_ref="synth-small", engine="vllm", deadline_ms=60000)
        if isinstance(body.get("ctx"), int) and not isinstance(body.get("ctx"), bool):
            body["ctx"] = max(64, min(body["ctx"], 8192))
    if operation_id == "submitTask" and isinstance(body.get("max_tokens"), int):
        body["max_tokens"] = max(1, min(body["max_tokens"], TOKEN_CAP))
    if operation_id == "generate" and case.path_parameters and _pick(fingerprint + "p", 2):
        case.path_parameters["model"] = "synth-small"
    return case


@pytest.fixture(scope="module")
def sweep_server(reference_server: Any) -> Iterator[Any]:
    """The module's reference server (default config); the data sweep runs before the control sweep,
    so the control sweep's retired models and reshaped pools cannot disturb it.  The case counts
    and the duration are written to ``build/schemathesis-sweep.json``."""
    started = time.monotonic()
    with reference_server.client() as client:
        for index in range(12):
            task = _native_task(completion=index % 3 != 2)
            if client.post("/v1/tasks", json=task).status_code == 202:
                KNOWN_TASKS.append(task["task_id"])
    assert KNOWN_TASKS
    yield reference_server
    Path("build").mkdir(exist_ok=True)
    summary = {"cases": dict(STATS), "seconds": round(time.monotonic() - started, 1)}
    Path("build/schemathesis-sweep.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")


def _native_task(*, completion: bool) -> dict[str, Any]:
    """A valid native task: a short completion, or an embedding (its result is read, not streamed)."""
    task: dict[str, Any] = {
        "task_id": str(uuid.uuid4()),
        "session_id": str(uuid.uuid4()),
        "workload": "completion" if completion else "embedding",
        "model_ref": "synth-small",
        "engine": "vllm",
        "ctx": 64,
        "priority": "interactive",
        "max_tokens": 6,
        "deadline_ms": 60000,
    }
    task.update({"prompt": "a native task"} if completion else {"inputs": ["a", "b"]})
    return task


def _run(case: Any, server: Any, plane: str) -> None:
    STATS[plane] += 1
    STATS[f"{plane}:{case.operation.label}"] += 1
    meta = getattr(case, "meta", None)
    STATS[f"mode:{getattr(getattr(meta, 'generation', None), 'mode', 'unknown')}"] += 1
    OPERATIONS_SEEN[plane].add(case.operation.label)
    response = case.call_and_validate(base_url=server.url, checks=CHECKS)
    STATS[f"status:{response.status_code}"] += 1
    STATS[f"{case.operation.label}:{response.status_code}"] += 1
    if response.headers.get("content-type", [""])[0].startswith("text/event-stream"):
        STATS["streams"] += 1


@pytest.mark.slow
@data_schema.parametrize()
def test_data_plane(case: Any, sweep_server: Any) -> None:
    _run(case, sweep_server, "data")


@pytest.mark.slow
@control_schema.parametrize()
def test_control_plane(case: Any, sweep_server: Any) -> None:
    _run(case, sweep_server, "control")


def _label(result: Any) -> str:
    return str(result.ok().label)


@pytest.mark.slow
def test_sweep_volume() -> None:
    """Runs last in this module: the sweeps covered every operation with enough cases."""
    data_ops = {_label(op) for op in data_schema.get_all_operations()}
    control_ops = {_label(op) for op in control_schema.get_all_operations()}
    if OPERATIONS_SEEN["data"] != data_ops or OPERATIONS_SEEN["control"] != control_ops:
        pytest.fail(f"run the whole module to judge the volume; seen {OPERATIONS_SEEN}")
    assert STATS["data"] + STATS["control"] >= MIN_TOTAL_CASES, dict(STATS)
    assert STATS["streams"] > 0
