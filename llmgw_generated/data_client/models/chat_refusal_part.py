from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ChatRefusalPart")


@_attrs_define
class ChatRefusalPart:
    """A refusal content part of a replayed assistant message.

    Attributes:
        type_ (Literal['refusal']): Always `refusal`.
        refusal (str): The refusal text.
    """

    type_: Literal["refusal"]
    refusal: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        refusal = self.refusal

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "refusal": refusal,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["refusal"], d.pop("type"))
        if type_ != "refusal":
            raise ValueError(f"type must match const 'refusal', got '{type_}'")

        refusal = d.pop("refusal")

        chat_refusal_part = cls(
            type_=type_,
            refusal=refusal,
        )

        return chat_refusal_part
