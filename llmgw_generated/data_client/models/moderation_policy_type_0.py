from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.moderation_policy_type_0_input_type_0 import ModerationPolicyType0InputType0
    from ..models.moderation_policy_type_0_output_type_0 import ModerationPolicyType0OutputType0


T = TypeVar("T", bound="ModerationPolicyType0")


@_attrs_define
class ModerationPolicyType0:
    """The moderation policy.

    Attributes:
        input_ (ModerationPolicyType0InputType0 | None | Unset): Moderation of the input.
        output (ModerationPolicyType0OutputType0 | None | Unset): Moderation of the output.
    """

    input_: ModerationPolicyType0InputType0 | None | Unset = UNSET
    output: ModerationPolicyType0OutputType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.moderation_policy_type_0_input_type_0 import ModerationPolicyType0InputType0  # noqa: PLC0415
        from ..models.moderation_policy_type_0_output_type_0 import ModerationPolicyType0OutputType0  # noqa: PLC0415

        input_: dict[str, Any] | None | Unset
        if isinstance(self.input_, Unset):
            input_ = UNSET
        elif isinstance(self.input_, ModerationPolicyType0InputType0):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, ModerationPolicyType0OutputType0):
            output = self.output.to_dict()
        else:
            output = self.output

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if input_ is not UNSET:
            field_dict["input"] = input_
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.moderation_policy_type_0_input_type_0 import ModerationPolicyType0InputType0  # noqa: PLC0415
        from ..models.moderation_policy_type_0_output_type_0 import ModerationPolicyType0OutputType0  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_input_(data: object) -> ModerationPolicyType0InputType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = ModerationPolicyType0InputType0.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModerationPolicyType0InputType0 | None | Unset, data)

        input_ = _parse_input_(d.pop("input", UNSET))

        def _parse_output(data: object) -> ModerationPolicyType0OutputType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = ModerationPolicyType0OutputType0.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModerationPolicyType0OutputType0 | None | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        moderation_policy_type_0 = cls(
            input_=input_,
            output=output,
        )

        moderation_policy_type_0.additional_properties = d
        return moderation_policy_type_0

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
