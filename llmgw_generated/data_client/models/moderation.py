from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.moderation_policy_type_0 import ModerationPolicyType0


T = TypeVar("T", bound="Moderation")


@_attrs_define
class Moderation:
    """Moderation of input and output by a moderation model; a gateway without moderation refuses it with 400.

    Attributes:
        model (str): The moderation model.
        policy (ModerationPolicyType0 | None | Unset): The moderation policy.
    """

    model: str
    policy: ModerationPolicyType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.moderation_policy_type_0 import ModerationPolicyType0  # noqa: PLC0415

        model = self.model

        policy: dict[str, Any] | None | Unset
        if isinstance(self.policy, Unset):
            policy = UNSET
        elif isinstance(self.policy, ModerationPolicyType0):
            policy = self.policy.to_dict()
        else:
            policy = self.policy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
            }
        )
        if policy is not UNSET:
            field_dict["policy"] = policy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.moderation_policy_type_0 import ModerationPolicyType0  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        def _parse_policy(data: object) -> ModerationPolicyType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                policy_type_0 = ModerationPolicyType0.from_dict(data)

                return policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModerationPolicyType0 | None | Unset, data)

        policy = _parse_policy(d.pop("policy", UNSET))

        moderation = cls(
            model=model,
            policy=policy,
        )

        moderation.additional_properties = d
        return moderation

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
