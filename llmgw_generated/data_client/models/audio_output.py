from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.audio_output_format import AudioOutputFormat

if TYPE_CHECKING:
    from ..models.audio_output_voice_type_1 import AudioOutputVoiceType1


T = TypeVar("T", bound="AudioOutput")


@_attrs_define
class AudioOutput:
    """Audio output parameters (with `modalities` audio); a gateway without audio output refuses them with 400.

    Attributes:
        voice (AudioOutputVoiceType1 | str): A built-in voice name or a custom voice.
        format_ (AudioOutputFormat): Audio format.
    """

    voice: AudioOutputVoiceType1 | str
    format_: AudioOutputFormat
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audio_output_voice_type_1 import AudioOutputVoiceType1  # noqa: PLC0415

        voice: dict[str, Any] | str
        if isinstance(self.voice, AudioOutputVoiceType1):
            voice = self.voice.to_dict()
        else:
            voice = self.voice

        format_ = self.format_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "voice": voice,
                "format": format_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audio_output_voice_type_1 import AudioOutputVoiceType1  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_voice(data: object) -> AudioOutputVoiceType1 | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                voice_type_1 = AudioOutputVoiceType1.from_dict(data)

                return voice_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AudioOutputVoiceType1 | str, data)

        voice = _parse_voice(d.pop("voice"))

        format_ = AudioOutputFormat(d.pop("format"))

        audio_output = cls(
            voice=voice,
            format_=format_,
        )

        audio_output.additional_properties = d
        return audio_output

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
