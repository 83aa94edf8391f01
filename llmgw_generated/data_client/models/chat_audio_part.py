from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_audio_part_input_audio import ChatAudioPartInputAudio
    from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint


T = TypeVar("T", bound="ChatAudioPart")


@_attrs_define
class ChatAudioPart:
    """An input audio content part (user messages); refused with 400 by a model without audio input.

    Attributes:
        type_ (Literal['input_audio']): Always `input_audio`.
        input_audio (ChatAudioPartInputAudio): The audio.
        prompt_cache_breakpoint (PromptCacheBreakpoint | Unset): An explicit prompt-cache breakpoint after this part (a
            hint; a gateway may ignore it).
    """

    type_: Literal["input_audio"]
    input_audio: ChatAudioPartInputAudio
    prompt_cache_breakpoint: PromptCacheBreakpoint | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        input_audio = self.input_audio.to_dict()

        prompt_cache_breakpoint: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = self.prompt_cache_breakpoint.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "input_audio": input_audio,
            }
        )
        if prompt_cache_breakpoint is not UNSET:
            field_dict["prompt_cache_breakpoint"] = prompt_cache_breakpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_audio_part_input_audio import ChatAudioPartInputAudio  # noqa: PLC0415
        from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["input_audio"], d.pop("type"))
        if type_ != "input_audio":
            raise ValueError(f"type must match const 'input_audio', got '{type_}'")

        input_audio = ChatAudioPartInputAudio.from_dict(d.pop("input_audio"))

        _prompt_cache_breakpoint = d.pop("prompt_cache_breakpoint", UNSET)
        prompt_cache_breakpoint: PromptCacheBreakpoint | Unset
        if isinstance(_prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = UNSET
        else:
            prompt_cache_breakpoint = PromptCacheBreakpoint.from_dict(_prompt_cache_breakpoint)

        chat_audio_part = cls(
            type_=type_,
            input_audio=input_audio,
            prompt_cache_breakpoint=prompt_cache_breakpoint,
        )

        return chat_audio_part
