"""The model catalog: preloaded models, registration with digest checks, lifecycle, loading.

Why loading is simulated: the provisioning signals of the contract (503 MODEL_LOADING while a
newly registered model loads, 502 MODEL_LOAD_FAILED for an artifact that cannot load) must be
observable. An artifact is loadable only if its bytes are a JSON object with
`"format": "synthetic-model"`; a loadable model takes `load_ms` after its first use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
import urllib.parse
from dataclasses import dataclass, field

from llmgw_generated.models.common import Engine, ErrorKind, ErrorReason, Workload
from llmgw_generated.models.control import CatalogModel, ModelLoadState, ModelState, RegisterModelRequest
from llmgw_reference.config import Config
from llmgw_reference.errors import ApiError, bad_request, conflict, not_found, reason_error

SYNTHETIC_FORMAT = "synthetic-model"


@dataclass
class CatalogEntry:
    """One model and its lifecycle and load state."""

    id: str
    digest: str
    engine: Engine
    workloads: list[Workload]
    ctx_max: int
    lora_adapters: list[str]
    loadable: bool
    state: ModelState = ModelState.Active
    load_state: ModelLoadState = ModelLoadState.not_loaded
    loaded_at: float = 0.0  # monotonic time the load completes
    created: int = field(default_factory=lambda: int(time.time()))

    def to_model(self) -> CatalogModel:
        return CatalogModel.model_validate(
            {
                "id": self.id,
                "digest": self.digest,
                "state": self.state,
                "engine": self.engine,
                "workloads": list(self.workloads),
                "ctx_max": self.ctx_max,
                "lora_adapters": list(self.lora_adapters),
                "load_state": self.load_state,
                "created": self.created,
            }
        )


def synthetic_artifact(model_id: str) -> bytes:
    """The bytes of a loadable synthetic artifact (what preloaded models are made of)."""
    return json.dumps({"format": SYNTHETIC_FORMAT, "name": model_id}, sort_keys=True).encode()


def digest_of(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def decode_data_uri(uri: str) -> bytes | None:
    """The bytes of an RFC 2397 `data:` URI, or None when it is not one or is malformed."""
    if not uri.startswith("data:") or "," not in uri:
        return None
    meta, _, payload = uri[5:].partition(",")
    if meta.endswith(";base64"):
        try:
            return base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            return None
    return urllib.parse.unquote_to_bytes(payload)


def is_loadable(data: bytes) -> bool:
    try:
        parsed = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(parsed, dict) and parsed.get("format") == SYNTHETIC_FORMAT


class Catalog:
    """The models by id."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.models: dict[str, CatalogEntry] = {}
        for m in config.models:
            self.models[m.id] = CatalogEntry(
                id=m.id,
                digest=digest_of(synthetic_artifact(m.id)),
                engine=Engine(m.engine),
                workloads=[Workload(w) for w in m.workloads],
                ctx_max=m.ctx_max,
                lora_adapters=list(m.lora_adapters),
                loadable=True,
                load_state=ModelLoadState.loaded,
            )

    def get(self, model_id: str) -> CatalogEntry:
        entry = self.models.get(model_id)
        if entry is None:
            raise not_found(f"Model {model_id!r} is not in the catalog.", reason=ErrorReason.UNKNOWN_MODEL)
        self._advance(entry)
        return entry

    def sorted_ids(self) -> list[str]:
        for entry in self.models.values():
            self._advance(entry)
        return sorted(self.models)

    def loaded_ids(self) -> list[str]:
        return [m for m in self.sorted_ids() if self.models[m].load_state == ModelLoadState.loaded]

    def _advance(self, entry: CatalogEntry) -> None:
        if entry.load_state == ModelLoadState.loading and time.monotonic() >= entry.loaded_at:
            entry.load_state = ModelLoadState.loaded

    def register(self, req: RegisterModelRequest) -> tuple[CatalogEntry, bool]:
        """Registers a model; returns (entry, created). Raises 409 / 422 UNTRUSTED_ARTIFACT."""
        model_id = req.id.root
        data = decode_data_uri(req.artifact_uri)
        if data is None:
            raise ApiError(
                ErrorKind.UNTRUSTED_ARTIFACT,
                "The artifact cannot be verified: only inline data: URIs are fetched by this deployment.",
                status=422,
                param="artifact_uri",
            )
        if digest_of(data) != req.digest:
            raise ApiError(
                ErrorKind.UNTRUSTED_ARTIFACT,
                "The artifact's sha256 digest does not match the claimed digest.",
                status=422,
                param="digest",
            )
        existing = self.models.get(model_id)
        if existing is not None:
            if existing.digest == req.digest:
                return existing, False
            raise conflict(f"Model {model_id!r} is registered with another digest.", param="digest")
        entry = CatalogEntry(
            id=model_id,
            digest=req.digest,
            engine=req.engine or Engine.vllm,
            workloads=list(req.workloads or [Workload.completion]),
            ctx_max=req.ctx_max or 4096,
            lora_adapters=[a.root for a in (req.lora_adapters or [])],
            loadable=is_loadable(data),
        )
        self.models[model_id] = entry
        return entry, True

    def set_state(self, model_id: str, state: ModelState) -> CatalogEntry:
        entry = self.get(model_id)
        entry.state = state
        return entry

    def resolve(self, model_id: str, workload: Workload) -> CatalogEntry:
        """A model that can take new work now, or the contract's error for why not."""
        entry = self.get(model_id)
        if entry.state == ModelState.Retired:
            raise ApiError(ErrorKind.MODEL_DEPRECATED, f"Model {model_id!r} is Retired.", status=410)
        if entry.load_state == ModelLoadState.not_loaded:
            if entry.loadable:
                entry.load_state = ModelLoadState.loading
                entry.loaded_at = time.monotonic() + self.config.load_ms / 1000
            else:
                entry.load_state = ModelLoadState.failed
        if entry.load_state == ModelLoadState.failed:
            raise reason_error(
                ErrorReason.MODEL_LOAD_FAILED,
                f"Model {model_id!r} failed to load: its artifact is not a loadable model.",
            )
        if entry.load_state == ModelLoadState.loading:
            remaining = max(1, int((entry.loaded_at - time.monotonic()) * 1000))
            raise reason_error(
                ErrorReason.MODEL_LOADING, f"Model {model_id!r} is loading.", retry_after_ms=remaining
            )
        if workload not in entry.workloads:
            raise bad_request(f"Model {model_id!r} does not serve {workload.value!r} work.", param="workload")
        return entry
