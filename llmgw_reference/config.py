"""Configuration of the reference server: defaults for `make serve`, a YAML/JSON file, CLI flags.

Why a dataclass with defaults: tests start the server with a few overrides (a small queue, a
slow engine) and everything else stays production-like. Documented API keys:
`sk-local-dev` (inference, control:read, control:write, account) and `sk-local-readonly` (control:read).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import yaml

Role = Literal["combined", "gateway", "worker"]
AdmissionPolicy = Literal["drop_lru", "reject"]
ALL_SCOPES = ("inference", "control:read", "control:write")
ACCOUNT_SCOPE = "account"  # contract 1.2: keys, usage and credits of the caller's account


@dataclass(frozen=True)
class ModelConfig:
    """A model preloaded in the catalog."""

    id: str
    engine: str = "vllm"
    workloads: tuple[str, ...] = ("completion",)
    ctx_max: int = 8192
    lora_adapters: tuple[str, ...] = ()


def _default_models() -> tuple[ModelConfig, ...]:
    return (
        ModelConfig("synth-small", "vllm", ("completion", "embedding", "rerank"), 8192, ("synth-lora-a",)),
        ModelConfig("synth-chat", "llamacpp", ("completion",), 4096, ()),
    )


@dataclass(frozen=True)
class Config:
    """Everything the server needs; every field has a production-like default."""

    host: str = "127.0.0.1"
    port: int = 8080
    role: Role = "combined"
    worker_urls: tuple[str, ...] = ()  # gateway role: worker i of the cluster runs on worker_urls[i % n]
    worker_api_key: str = "sk-local-dev"  # the key the gateway sends to its workers
    api_keys: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: {
            "sk-local-dev": (*ALL_SCOPES, ACCOUNT_SCOPE),
            "sk-local-readonly": ("control:read",),
        }
    )
    models: tuple[ModelConfig, ...] = field(default_factory=_default_models)
    machine_profiles: dict[str, int] = field(default_factory=lambda: {"l4": 4, "a100-40gb": 2})
    slots_per_worker: int = 4
    default_pool: str = "default"
    queue_capacity: int = 64
    admission_policy: AdmissionPolicy = "drop_lru"
    ttft_ms: float = 20.0
    tokens_per_s: float = 500.0
    load_ms: int = 500
    heartbeat_ms: int = 1000
    cancel_budget_ms: int = 100
    attach_timeout_ms: int = 30000
    session_ttl_ms: int = 600000
    task_retention_s: float = 120.0
    max_tokens: int = 4096
    max_body_bytes: int = 4 * 1024 * 1024
    kv_bytes_per_token: int = 2048
    faults: tuple[str, ...] = ()
    # Accounts (contract 1.2): the SQLite file of keys, usage and balances (":memory:" keeps
    # nothing across a restart; give a path to keep it), the default account the static keys
    # above belong to, and the account limits.
    accounts_db: str = ":memory:"
    account_email: str = "dev@localhost"
    account_password: str = "local-dev-password"
    account_credits: int = 1_000_000_000
    signup_credits: int = 1000
    max_api_keys: int = 10
    access_token_ttl_s: int = 900

    def scopes_of(self, key: str) -> tuple[str, ...] | None:
        """The scopes of an API key, or None for an unknown key."""
        return self.api_keys.get(key)


def _coerce(name: str, value: Any) -> Any:
    if name == "models":
        return tuple(
            ModelConfig(
                id=str(m["id"]),
                engine=str(m.get("engine", "vllm")),
                workloads=tuple(m.get("workloads", ("completion",))),
                ctx_max=int(m.get("ctx_max", 8192)),
                lora_adapters=tuple(m.get("lora_adapters", ())),
            )
            for m in value
        )
    if name == "api_keys":
        return {str(k): tuple(v) for k, v in dict(value).items()}
    if name in ("faults", "worker_urls"):
        return tuple(value)
    return value


def config_from_mapping(data: dict[str, Any], base: Config | None = None) -> Config:
    """A Config from a mapping (file content or test overrides); unknown keys are an error."""
    known = {f.name for f in fields(Config)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"unknown config keys: {sorted(unknown)}")
    return replace(base or Config(), **{k: _coerce(k, v) for k, v in data.items()})


def load_config_file(path: str | Path) -> Config:
    """A Config from a YAML or JSON file."""
    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"config file {path} must hold a mapping")
    return config_from_mapping(data)
