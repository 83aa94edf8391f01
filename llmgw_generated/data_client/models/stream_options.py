from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamOptions")


@_attrs_define
class StreamOptions:
    """Streaming options.

    Attributes:
        include_usage (bool | Unset): Send one usage chunk (`choices` empty) before `data [DONE]`.
        include_obfuscation (bool | Unset): OpenAI pads chunks with an `obfuscation` string against side channels; a
            gateway may ignore it.
    """

    include_usage: bool | Unset = UNSET
    include_obfuscation: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        include_usage = self.include_usage

        include_obfuscation = self.include_obfuscation

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if include_usage is not UNSET:
            field_dict["include_usage"] = include_usage
        if include_obfuscation is not UNSET:
            field_dict["include_obfuscation"] = include_obfuscation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        include_usage = d.pop("include_usage", UNSET)

        include_obfuscation = d.pop("include_obfuscation", UNSET)

        stream_options = cls(
            include_usage=include_usage,
            include_obfuscation=include_obfuscation,
        )

        return stream_options
