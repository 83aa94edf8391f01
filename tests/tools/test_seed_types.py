"""Every type, field and enum value of seed 001 ("SDK Types (Design Phase)") comes out of codegen.

The table below was written from shared/seeds/001_f7d727d011175ab7.txt; it is kept here as data, so
that a change to the seed or to the contracts shows up as a failing test, not as a silently
different expectation.  For each seed type we check the pydantic models (generated.models.*):
the class exists, enum values are exactly the seed's, every seed field exists with the seed's
required-ness and, where the seed names a type, refers to that type.  The contract may add
fields beyond the seed.  For the attrs models of the generated clients we check that a class of
each name exists (in the client of the plane that uses it) and has the seed's fields.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
import types
import typing
from dataclasses import dataclass
from typing import Any

import attrs
import pytest
from pydantic import BaseModel

import llmgw_generated.models
from llmgw_generated.control_client import models as control_models
from llmgw_generated.data_client import models as data_models

# Enum name -> its values, in the seed's order.
SEED_ENUMS: dict[str, tuple[str, ...]] = {
    "Engine": ("llamacpp", "vllm", "tgi", "triton"),
    "Workload": ("completion", "embedding", "rerank"),
    "Priority": ("interactive", "batch"),
    "DeterminismLevel": ("strict", "best_effort"),
    "KVHint": ("reuse", "cold"),
    "ErrorKind": (
        "ADMISSION_REJECT",
        "QUEUE_FULL_DROP_LRU",
        "INVALID_PARAMS",
        "POOL_UNREADY",
        "POOL_UNAVAILABLE",
        "REPLICA_EXHAUSTED",
        "DECODE_TIMEOUT",
        "WORKER_RESET",
        "INTERNAL",
        "DEADLINE_UNMET",
        "MODEL_DEPRECATED",
        "UNTRUSTED_ARTIFACT",
    ),
}


@dataclass(frozen=True)
class F:
    """A seed field: required (no ``?`` in the seed), the type it names, the values of an inline enum."""

    required: bool
    ref: str | None = None
    values: tuple[str, ...] | None = None


REQ, OPT = F(True), F(False)

# Model name -> {field name: F}.  Capabilities.engines[] is checked through ENGINES_ITEM.
SEED_MODELS: dict[str, dict[str, F]] = {
    "Capabilities": {"api_version": REQ, "engines": REQ},
    "CatalogModel": {"id": REQ, "digest": REQ, "state": F(False, values=("Active", "Retired"))},
    "TaskRequest": {
        "task_id": REQ,
        "session_id": REQ,
        "workload": F(True, "Workload"),
        "model_ref": REQ,
        "engine": F(True, "Engine"),
        "ctx": REQ,
        "priority": F(True, "Priority"),
        "prompt": OPT,
        "inputs": OPT,
        "max_tokens": REQ,
        "deadline_ms": REQ,
        "seed": OPT,
        "determinism": F(False, "DeterminismLevel"),
        "sampler_profile_version": OPT,
        "expected_tokens": OPT,
        "kv_hint": F(False, "KVHint"),
        "placement": F(False, "PlacementOverrides"),
    },
    "PlacementOverrides": {
        "mode": F(False, values=("pin", "prefer", "auto")),
        "pin_pool_id": OPT,
        "prefer_pools": OPT,
        "avoid_pools": OPT,
        "require_device_mask": OPT,
        "allow_fallback": OPT,
    },
    "AdmissionResponse": {
        "task_id": REQ,
        "queue_position": REQ,
        "predicted_start_ms": REQ,
        "backoff_ms": REQ,
    },
    "SessionInfo": {
        "ttl_ms_remaining": REQ,
        "turns": REQ,
        "kv_bytes": REQ,
        "kv_warmth": REQ,
        "tokens_budget_remaining": OPT,
        "time_budget_remaining_ms": OPT,
        "cost_budget_remaining": OPT,
    },
    "ErrorEnvelope": {
        "code": F(True, "ErrorKind"),
        "message": REQ,
        "engine": F(False, "Engine"),
        "retriable": OPT,
        "retry_after_ms": OPT,
        "policy_label": OPT,
    },
    "SSEStarted": {"queue_position": REQ, "predicted_start_ms": REQ},
    "SSEToken": {"t": REQ, "i": REQ},
    "SSEMetrics": {
        "on_time_probability": OPT,
        "queue_depth": OPT,
        "kv_warmth": OPT,
        "tokens_budget_remaining": OPT,
        "time_budget_remaining_ms": OPT,
        "cost_budget_remaining": OPT,
    },
    "SSEEnd": {"tokens_out": REQ, "decode_ms": REQ},
    "SSEError": {"code": F(True, "ErrorKind"), "message": REQ, "engine": F(False, "Engine")},
}

# Capabilities.engines: { engine: Engine, ctx_max: number, supported_workloads?: Workload[] }[]
ENGINES_ITEM: dict[str, F] = {
    "engine": F(True, "Engine"),
    "ctx_max": REQ,
    "supported_workloads": F(False, "Workload"),
}

# "SSEMetrics (additive fields; forward-compatible) ... ...additionalFields"
ALLOWS_EXTRA_FIELDS = ("SSEMetrics",)

# Which generated client carries each type (the plane whose operations use it; shared types in both).
CONTROL_TYPES = (
    "Engine",
    "Workload",
    "Capabilities",
    "CatalogModel",
    "SessionInfo",
    "ErrorKind",
    "ErrorEnvelope",
)
DATA_TYPES = (
    "Engine",
    "Workload",
    "Priority",
    "DeterminismLevel",
    "KVHint",
    "TaskRequest",
    "PlacementOverrides",
    "AdmissionResponse",
    "ErrorKind",
    "ErrorEnvelope",
    "SSEStarted",
    "SSEToken",
    "SSEMetrics",
    "SSEEnd",
    "SSEError",
)


def _pydantic_classes() -> dict[str, Any]:
    """Every class defined in a module of generated.models, by name."""
    found: dict[str, Any] = {}
    for info in pkgutil.iter_modules(llmgw_generated.models.__path__):
        module = importlib.import_module(f"llmgw_generated.models.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                assert name not in found, f"{name} is defined in two model modules"
                found[name] = value
    return found


PYDANTIC = _pydantic_classes()


def _types_in(annotation: Any) -> list[Any]:
    """The classes and Literal values an annotation is made of (through unions, lists, Optional)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return list(typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType, list, tuple, set, dict):
        return [t for arg in typing.get_args(annotation) for t in _types_in(arg)]
    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and "root" in annotation.model_fields
    ):
        return [annotation, *_types_in(annotation.model_fields["root"].annotation)]  # RootModel
    return [annotation]


def _values(annotation: Any) -> set[str]:
    """The values an enum-typed (Enum class or Literal) annotation allows, None left out."""
    values: set[str] = set()
    for part in _types_in(annotation):
        if isinstance(part, type) and issubclass(part, enum.Enum):
            values.update(str(member.value) for member in part)
        elif isinstance(part, str):
            values.add(part)
    return values


def _check_fields(owner: str, model: Any, expected: dict[str, F]) -> None:
    assert isinstance(model, type) and issubclass(model, BaseModel), f"{owner} is not a pydantic model"
    fields = model.model_fields
    for name, spec in expected.items():
        assert name in fields, f"{owner}.{name} is missing"
        field = fields[name]
        assert field.is_required() == spec.required, (
            f"{owner}.{name} should be {'required' if spec.required else 'optional'}"
        )
        if spec.ref is not None:
            names = {getattr(t, "__name__", None) for t in _types_in(field.annotation)}
            assert spec.ref in names, f"{owner}.{name} should be typed {spec.ref}, is {field.annotation}"
        if spec.values is not None:
            assert _values(field.annotation) == set(spec.values), f"{owner}.{name} values"


@pytest.mark.parametrize("name", sorted(SEED_ENUMS))
def test_enum(name: str) -> None:
    cls = PYDANTIC.get(name)
    assert isinstance(cls, type) and issubclass(cls, enum.Enum), f"{name} is not a generated enum"
    assert [member.value for member in cls] == list(SEED_ENUMS[name])
    # The enum members are named after their values, so `Engine.vllm` reads like the wire format.
    assert [member.name for member in cls] == list(SEED_ENUMS[name])


@pytest.mark.parametrize("name", sorted(SEED_MODELS))
def test_model(name: str) -> None:
    assert name in PYDANTIC, f"{name} is not generated"
    _check_fields(name, PYDANTIC[name], SEED_MODELS[name])


def test_capabilities_engines_items() -> None:
    engines = PYDANTIC["Capabilities"].model_fields["engines"].annotation
    assert typing.get_origin(engines) is list
    (item,) = typing.get_args(engines)
    _check_fields("Capabilities.engines[]", item, ENGINES_ITEM)
    supported = item.model_fields["supported_workloads"].annotation
    assert list in {typing.get_origin(t) for t in typing.get_args(supported)} | {typing.get_origin(supported)}


@pytest.mark.parametrize("name", sorted(SEED_MODELS))
def test_extra_fields_policy(name: str) -> None:
    """Every model asserts: the seeds' forward-compatible types keep unknown fields, no other type does
    (pydantic's default drops them, `forbid` refuses them; `allow` would hide a typo as an extra)."""
    model = PYDANTIC[name]
    extra = model.model_config.get("extra")
    if name in ALLOWS_EXTRA_FIELDS:
        assert extra == "allow", f"{name} must accept fields it does not know"
        instance = model.model_validate({"future_field": 1})
        assert instance.model_extra == {"future_field": 1}
    else:
        assert extra in (None, "ignore", "forbid"), (
            f"{name} keeps unknown fields (extra={extra!r}); the seeds do not call it forward-compatible"
        )


@pytest.mark.parametrize(
    ("module", "name"),
    [(control_models, n) for n in CONTROL_TYPES] + [(data_models, n) for n in DATA_TYPES],
    ids=[f"control-{n}" for n in CONTROL_TYPES] + [f"data-{n}" for n in DATA_TYPES],
)
def test_client_model(module: Any, name: str) -> None:
    cls = getattr(module, name, None)
    assert isinstance(cls, type), f"{module.__name__}.{name} is not generated"
    if name in SEED_ENUMS:
        assert issubclass(cls, enum.Enum)
        assert sorted(str(m.value) for m in cls) == sorted(SEED_ENUMS[name])
    else:
        assert attrs.has(cls), f"{module.__name__}.{name} is not an attrs class"
        attributes = {a.name for a in attrs.fields(cls)}
        missing = set(SEED_MODELS[name]) - attributes
        assert not missing, f"{module.__name__}.{name} lacks {sorted(missing)}"
