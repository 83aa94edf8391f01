from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..models.model_load_state import ModelLoadState
from ..models.model_state import ModelState
from ..models.workload import Workload
from ..types import UNSET, Unset

T = TypeVar("T", bound="CatalogModel")


@_attrs_define
class CatalogModel:
    """A model of the catalog.

    Attributes:
        id (str): Model id; letters, digits and `._:-`, 1 to 128 characters.
        digest (str): Content digest of the artifact, `sha256:` and 64 lower-case hex digits.
        state (ModelState | Unset): Catalog lifecycle state.
        engine (Engine | Unset): Inference engine family. A deployment whose engine is none of these (a synthetic
            or test engine) reports, in `Capabilities.engines[].implementation`, `synthetic:
            true` and its own name, and uses in `engine` the value of the family whose wire
            behaviour it follows.
        workloads (list[Workload] | Unset): Workloads the model serves.
        ctx_max (int | Unset): Largest context the model accepts.
        lora_adapters (list[str] | Unset): Names of LoRA adapters that can be applied to this model.
        load_state (ModelLoadState | Unset): Whether the model is loaded on a worker now.
        created (int | Unset): Registration time, Unix seconds.
    """

    id: str
    digest: str
    state: ModelState | Unset = UNSET
    engine: Engine | Unset = UNSET
    workloads: list[Workload] | Unset = UNSET
    ctx_max: int | Unset = UNSET
    lora_adapters: list[str] | Unset = UNSET
    load_state: ModelLoadState | Unset = UNSET
    created: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        digest = self.digest

        state: str | Unset = UNSET
        if not isinstance(self.state, Unset):
            state = self.state.value

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

        load_state: str | Unset = UNSET
        if not isinstance(self.load_state, Unset):
            load_state = self.load_state.value

        created = self.created

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "digest": digest,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state
        if engine is not UNSET:
            field_dict["engine"] = engine
        if workloads is not UNSET:
            field_dict["workloads"] = workloads
        if ctx_max is not UNSET:
            field_dict["ctx_max"] = ctx_max
        if lora_adapters is not UNSET:
            field_dict["lora_adapters"] = lora_adapters
        if load_state is not UNSET:
            field_dict["load_state"] = load_state
        if created is not UNSET:
            field_dict["created"] = created

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        digest = d.pop("digest")

        _state = d.pop("state", UNSET)
        state: ModelState | Unset
        if isinstance(_state, Unset):
            state = UNSET
        else:
            state = ModelState(_state)

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

        _load_state = d.pop("load_state", UNSET)
        load_state: ModelLoadState | Unset
        if isinstance(_load_state, Unset):
            load_state = UNSET
        else:
            load_state = ModelLoadState(_load_state)

        created = d.pop("created", UNSET)

        catalog_model = cls(
            id=id,
            digest=digest,
            state=state,
            engine=engine,
            workloads=workloads,
            ctx_max=ctx_max,
            lora_adapters=lora_adapters,
            load_state=load_state,
            created=created,
        )

        catalog_model.additional_properties = d
        return catalog_model

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
