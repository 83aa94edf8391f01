from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.capabilities_role import CapabilitiesRole
from ..models.conformance_profile import ConformanceProfile
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.engine_capability import EngineCapability
    from ..models.limits import Limits


T = TypeVar("T", bound="Capabilities")


@_attrs_define
class Capabilities:
    """What the deployment is and supports.

    Attributes:
        api_version (str): Contract version implemented, e.g. `1.0`.
        engines (list[EngineCapability]): Engines served, with their context size and workloads.
        role (CapabilitiesRole | Unset): Which role answers.
        profiles (list[ConformanceProfile] | Unset): Conformance profiles the deployment claims to honour.
        features (list[str] | Unset): Optional features supported: `sessions`, `pools`, `catalog-data-uri`, `lora`,
            `tools`, `logprobs`, `n`, `stop`, `response_format`, `cancel`, `deadlines`,
            `kv-reuse`, `provisioning`, `rerank`, `embeddings`, `generate`; since 1.2
            `api-keys`, `access-tokens`, `usage`, `credits`, `images`.
        limits (Limits | Unset): Numbers a client and the conformance suite need to know.
    """

    api_version: str
    engines: list[EngineCapability]
    role: CapabilitiesRole | Unset = UNSET
    profiles: list[ConformanceProfile] | Unset = UNSET
    features: list[str] | Unset = UNSET
    limits: Limits | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_version = self.api_version

        engines = []
        for engines_item_data in self.engines:
            engines_item = engines_item_data.to_dict()
            engines.append(engines_item)

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        profiles: list[str] | Unset = UNSET
        if not isinstance(self.profiles, Unset):
            profiles = []
            for profiles_item_data in self.profiles:
                profiles_item = profiles_item_data.value
                profiles.append(profiles_item)

        features: list[str] | Unset = UNSET
        if not isinstance(self.features, Unset):
            features = self.features

        limits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.limits, Unset):
            limits = self.limits.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "api_version": api_version,
                "engines": engines,
            }
        )
        if role is not UNSET:
            field_dict["role"] = role
        if profiles is not UNSET:
            field_dict["profiles"] = profiles
        if features is not UNSET:
            field_dict["features"] = features
        if limits is not UNSET:
            field_dict["limits"] = limits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.engine_capability import EngineCapability  # noqa: PLC0415
        from ..models.limits import Limits  # noqa: PLC0415

        d = dict(src_dict)
        api_version = d.pop("api_version")

        engines = []
        _engines = d.pop("engines")
        for engines_item_data in _engines:
            engines_item = EngineCapability.from_dict(engines_item_data)

            engines.append(engines_item)

        _role = d.pop("role", UNSET)
        role: CapabilitiesRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = CapabilitiesRole(_role)

        _profiles = d.pop("profiles", UNSET)
        profiles: list[ConformanceProfile] | Unset = UNSET
        if _profiles is not UNSET:
            profiles = []
            for profiles_item_data in _profiles:
                profiles_item = ConformanceProfile(profiles_item_data)

                profiles.append(profiles_item)

        features = cast(list[str], d.pop("features", UNSET))

        _limits = d.pop("limits", UNSET)
        limits: Limits | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        else:
            limits = Limits.from_dict(_limits)

        capabilities = cls(
            api_version=api_version,
            engines=engines,
            role=role,
            profiles=profiles,
            features=features,
            limits=limits,
        )

        capabilities.additional_properties = d
        return capabilities

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
