from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.engine import Engine
from ..models.workload import Workload
from ..types import UNSET, Unset

T = TypeVar("T", bound="RegisterModelRequest")


@_attrs_define
class RegisterModelRequest:
    """A model to register.

    Attributes:
        id (str): Model id; letters, digits and `._:-`, 1 to 128 characters.
        digest (str): Claimed content digest, `sha256:<64 hex>`.
        artifact_uri (str): Where the artifact is; `data:` URIs (RFC 2397, base64) carry the bytes inline.
        engine (Engine | Unset): Inference engine family. A deployment whose engine is none of these (a synthetic
            or test engine) reports, in `Capabilities.engines[].implementation`, `synthetic:
            true` and its own name, and uses in `engine` the value of the family whose wire
            behaviour it follows.
        workloads (list[Workload] | Unset): Workloads the model serves (default `[completion]`).
        ctx_max (int | Unset): Largest context the model accepts.
        lora_adapters (list[str] | Unset): LoRA adapter names.
    """

    id: str
    digest: str
    artifact_uri: str
    engine: Engine | Unset = UNSET
    workloads: list[Workload] | Unset = UNSET
    ctx_max: int | Unset = UNSET
    lora_adapters: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        digest = self.digest

        artifact_uri = self.artifact_uri

        engine: str | Unset = UNSET
        if not isinstance(self.engine, Unset):
            engine = self.engine.value

        workloads: list[str] | Unset = UNSET
        if not isinstance(self.workloads, Unset):
            workloads = []
            for workloads_item_data in self.workloads:
                workloads_item = workloads_item_data.value
                workloads.append(workloads_item)

        ctx_max = self.ctx_max

        lora_adapters: list[str] | Unset = UNSET
        if not isinstance(self.lora_adapters, Unset):
            lora_adapters = self.lora_adapters

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "digest": digest,
                "artifact_uri": artifact_uri,
            }
        )
        if engine is not UNSET:
            field_dict["engine"] = engine
        if workloads is not UNSET:
            field_dict["workloads"] = workloads
        if ctx_max is not UNSET:
            field_dict["ctx_max"] = ctx_max
        if lora_adapters is not UNSET:
            field_dict["lora_adapters"] = lora_adapters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        digest = d.pop("digest")

        artifact_uri = d.pop("artifact_uri")

        _engine = d.pop("engine", UNSET)
        engine: Engine | Unset
        if isinstance(_engine, Unset):
            engine = UNSET
        else:
            engine = Engine(_engine)

        _workloads = d.pop("workloads", UNSET)
        workloads: list[Workload] | Unset = UNSET
        if _workloads is not UNSET:
            workloads = []
            for workloads_item_data in _workloads:
                workloads_item = Workload(workloads_item_data)

                workloads.append(workloads_item)

        ctx_max = d.pop("ctx_max", UNSET)

        lora_adapters = cast(list[str], d.pop("lora_adapters", UNSET))

        register_model_request = cls(
            id=id,
            digest=digest,
            artifact_uri=artifact_uri,
            engine=engine,
            workloads=workloads,
            ctx_max=ctx_max,
            lora_adapters=lora_adapters,
        )

        return register_model_request
