from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PromptTokensDetails")


@_attrs_define
class PromptTokensDetails:
    """Breakdown of the prompt tokens (OpenAI sends it; a gateway may omit it).

    Attributes:
        cached_tokens (int | Unset): Prompt tokens read from the prompt cache. Default: 0.
        audio_tokens (int | Unset): Audio input tokens. Default: 0.
        text_tokens (int | Unset): Text input tokens.
        image_tokens (int | Unset): Image input tokens.
        cache_write_tokens (int | Unset): Prompt tokens written to the cache. Default: 0.
    """

    cached_tokens: int | Unset = 0
    audio_tokens: int | Unset = 0
    text_tokens: int | Unset = UNSET
    image_tokens: int | Unset = UNSET
    cache_write_tokens: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        cached_tokens = self.cached_tokens

        audio_tokens = self.audio_tokens

        text_tokens = self.text_tokens

        image_tokens = self.image_tokens

        cache_write_tokens = self.cache_write_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cached_tokens is not UNSET:
            field_dict["cached_tokens"] = cached_tokens
        if audio_tokens is not UNSET:
            field_dict["audio_tokens"] = audio_tokens
        if text_tokens is not UNSET:
            field_dict["text_tokens"] = text_tokens
        if image_tokens is not UNSET:
            field_dict["image_tokens"] = image_tokens
        if cache_write_tokens is not UNSET:
            field_dict["cache_write_tokens"] = cache_write_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cached_tokens = d.pop("cached_tokens", UNSET)

        audio_tokens = d.pop("audio_tokens", UNSET)

        text_tokens = d.pop("text_tokens", UNSET)

        image_tokens = d.pop("image_tokens", UNSET)

        cache_write_tokens = d.pop("cache_write_tokens", UNSET)

        prompt_tokens_details = cls(
            cached_tokens=cached_tokens,
            audio_tokens=audio_tokens,
            text_tokens=text_tokens,
            image_tokens=image_tokens,
            cache_write_tokens=cache_write_tokens,
        )

        prompt_tokens_details.additional_properties = d
        return prompt_tokens_details

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
