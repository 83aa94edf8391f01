from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="EngineImplementation")


@_attrs_define
class EngineImplementation:
    """What actually runs behind an `engine` entry; honest about synthetic engines.

    Attributes:
        name (str): Implementation name, e.g. `vllm`, `llama.cpp` or `synthetic`.
        synthetic (bool): True when this is not a real inference engine (a deterministic test engine); `engine` then
            names the family whose behaviour it follows.
        version (str | Unset): Implementation version.
    """

    name: str
    synthetic: bool
    version: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        synthetic = self.synthetic

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "synthetic": synthetic,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        synthetic = d.pop("synthetic")

        version = d.pop("version", UNSET)

        engine_implementation = cls(
            name=name,
            synthetic=synthetic,
            version=version,
        )

        engine_implementation.additional_properties = d
        return engine_implementation

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
