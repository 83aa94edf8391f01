from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.engine import Engine
from ..models.workload import Workload
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.engine_implementation import EngineImplementation


T = TypeVar("T", bound="EngineCapability")


@_attrs_define
class EngineCapability:
    """One engine the deployment serves.

    Attributes:
        engine (Engine): Inference engine family. A deployment whose engine is none of these (a synthetic
            or test engine) reports, in `Capabilities.engines[].implementation`, `synthetic:
            true` and its own name, and uses in `engine` the value of the family whose wire
            behaviour it follows.
        ctx_max (int): Largest context (prompt plus output tokens) the engine accepts.
        supported_workloads (list[Workload] | Unset): Workloads the engine serves.
        implementation (EngineImplementation | Unset): What actually runs behind an `engine` entry; honest about
            synthetic engines.
    """

    engine: Engine
    ctx_max: int
    supported_workloads: list[Workload] | Unset = UNSET
    implementation: EngineImplementation | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        engine = self.engine.value

        ctx_max = self.ctx_max

        supported_workloads: list[str] | Unset = UNSET
        if not isinstance(self.supported_workloads, Unset):
            supported_workloads = []
            for supported_workloads_item_data in self.supported_workloads:
                supported_workloads_item = supported_workloads_item_data.value
                supported_workloads.append(supported_workloads_item)

        implementation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.implementation, Unset):
            implementation = self.implementation.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "engine": engine,
                "ctx_max": ctx_max,
            }
        )
        if supported_workloads is not UNSET:
            field_dict["supported_workloads"] = supported_workloads
        if implementation is not UNSET:
            field_dict["implementation"] = implementation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.engine_implementation import EngineImplementation  # noqa: PLC0415

        d = dict(src_dict)
        engine = Engine(d.pop("engine"))

        ctx_max = d.pop("ctx_max")

        _supported_workloads = d.pop("supported_workloads", UNSET)
        supported_workloads: list[Workload] | Unset = UNSET
        if _supported_workloads is not UNSET:
            supported_workloads = []
            for supported_workloads_item_data in _supported_workloads:
                supported_workloads_item = Workload(supported_workloads_item_data)

                supported_workloads.append(supported_workloads_item)

        _implementation = d.pop("implementation", UNSET)
        implementation: EngineImplementation | Unset
        if isinstance(_implementation, Unset):
            implementation = UNSET
        else:
            implementation = EngineImplementation.from_dict(_implementation)

        engine_capability = cls(
            engine=engine,
            ctx_max=ctx_max,
            supported_workloads=supported_workloads,
            implementation=implementation,
        )

        engine_capability.additional_properties = d
        return engine_capability

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
