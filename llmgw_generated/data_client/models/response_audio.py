from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ResponseAudio")


@_attrs_define
class ResponseAudio:
    """Audio output of the answer (with `modalities` audio).

    Attributes:
        id (str): Audio answer id.
        expires_at (int): Unix seconds after which it cannot be referred to.
        data (str): Base64 audio bytes.
        transcript (str): Its transcript.
    """

    id: str
    expires_at: int
    data: str
    transcript: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        expires_at = self.expires_at

        data = self.data

        transcript = self.transcript

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "expires_at": expires_at,
                "data": data,
                "transcript": transcript,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        expires_at = d.pop("expires_at")

        data = d.pop("data")

        transcript = d.pop("transcript")

        response_audio = cls(
            id=id,
            expires_at=expires_at,
            data=data,
            transcript=transcript,
        )

        response_audio.additional_properties = d
        return response_audio

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
