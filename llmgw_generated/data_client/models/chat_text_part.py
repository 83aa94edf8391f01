from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.chat_text_part_type import ChatTextPartType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint


T = TypeVar("T", bound="ChatTextPart")


@_attrs_define
class ChatTextPart:
    """A text content part (`text` or `input_text`).

    Attributes:
        type_ (ChatTextPartType): Type of a text content part (`input_text` is the Responses API's name, accepted as
            `text`).
        text (str): The text.
        prompt_cache_breakpoint (PromptCacheBreakpoint | Unset): An explicit prompt-cache breakpoint after this part (a
            hint; a gateway may ignore it).
    """

    type_: ChatTextPartType
    text: str
    prompt_cache_breakpoint: PromptCacheBreakpoint | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text

        prompt_cache_breakpoint: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = self.prompt_cache_breakpoint.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "text": text,
            }
        )
        if prompt_cache_breakpoint is not UNSET:
            field_dict["prompt_cache_breakpoint"] = prompt_cache_breakpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint  # noqa: PLC0415

        d = dict(src_dict)
        type_ = ChatTextPartType(d.pop("type"))

        text = d.pop("text")

        _prompt_cache_breakpoint = d.pop("prompt_cache_breakpoint", UNSET)
        prompt_cache_breakpoint: PromptCacheBreakpoint | Unset
        if isinstance(_prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = UNSET
        else:
            prompt_cache_breakpoint = PromptCacheBreakpoint.from_dict(_prompt_cache_breakpoint)

        chat_text_part = cls(
            type_=type_,
            text=text,
            prompt_cache_breakpoint=prompt_cache_breakpoint,
        )

        return chat_text_part
