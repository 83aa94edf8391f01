from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AudioOutputVoiceType1")


@_attrs_define
class AudioOutputVoiceType1:
    """A custom voice.

    Attributes:
        id (str): Custom voice id.
    """

    id: str

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        audio_output_voice_type_1 = cls(
            id=id,
        )

        return audio_output_voice_type_1
