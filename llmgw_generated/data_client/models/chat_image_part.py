from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_image_part_image_url import ChatImagePartImageUrl
    from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint


T = TypeVar("T", bound="ChatImagePart")


@_attrs_define
class ChatImagePart:
    """An image content part (user messages). A model without vision refuses it with 400 `invalid_request_error` (`param`
    the part); a vision model uses it.

        Attributes:
            type_ (Literal['image_url']): Always `image_url`.
            image_url (ChatImagePartImageUrl): The image.
            prompt_cache_breakpoint (PromptCacheBreakpoint | Unset): An explicit prompt-cache breakpoint after this part (a
                hint; a gateway may ignore it).
    """

    type_: Literal["image_url"]
    image_url: ChatImagePartImageUrl
    prompt_cache_breakpoint: PromptCacheBreakpoint | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        image_url = self.image_url.to_dict()

        prompt_cache_breakpoint: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = self.prompt_cache_breakpoint.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "image_url": image_url,
            }
        )
        if prompt_cache_breakpoint is not UNSET:
            field_dict["prompt_cache_breakpoint"] = prompt_cache_breakpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_image_part_image_url import ChatImagePartImageUrl  # noqa: PLC0415
        from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["image_url"], d.pop("type"))
        if type_ != "image_url":
            raise ValueError(f"type must match const 'image_url', got '{type_}'")

        image_url = ChatImagePartImageUrl.from_dict(d.pop("image_url"))

        _prompt_cache_breakpoint = d.pop("prompt_cache_breakpoint", UNSET)
        prompt_cache_breakpoint: PromptCacheBreakpoint | Unset
        if isinstance(_prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = UNSET
        else:
            prompt_cache_breakpoint = PromptCacheBreakpoint.from_dict(_prompt_cache_breakpoint)

        chat_image_part = cls(
            type_=type_,
            image_url=image_url,
            prompt_cache_breakpoint=prompt_cache_breakpoint,
        )

        return chat_image_part
