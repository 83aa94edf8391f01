from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.chat_text_part_type import ChatTextPartType

T = TypeVar("T", bound="ChatTextPart")


@_attrs_define
class ChatTextPart:
    """A text content part (`text` or `input_text`); other part types are rejected with 400 `unsupported_field`.

    Attributes:
        type_ (ChatTextPartType): Type of a text content part.
        text (str): The text.
    """

    type_: ChatTextPartType
    text: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = ChatTextPartType(d.pop("type"))

        text = d.pop("text")

        chat_text_part = cls(
            type_=type_,
            text=text,
        )

        return chat_text_part
