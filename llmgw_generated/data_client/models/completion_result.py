from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.finish_reason import FinishReason

T = TypeVar("T", bound="CompletionResult")


@_attrs_define
class CompletionResult:
    """Result of a completion task.

    Attributes:
        kind (Literal['completion']): Always `completion`.
        text (str): The generated text (all token texts concatenated).
        tokens_out (int): Tokens generated.
        finish_reason (FinishReason): Why generation ended.
    """

    kind: Literal["completion"]
    text: str
    tokens_out: int
    finish_reason: FinishReason
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        text = self.text

        tokens_out = self.tokens_out

        finish_reason = self.finish_reason.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "text": text,
                "tokens_out": tokens_out,
                "finish_reason": finish_reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["completion"], d.pop("kind"))
        if kind != "completion":
            raise ValueError(f"kind must match const 'completion', got '{kind}'")

        text = d.pop("text")

        tokens_out = d.pop("tokens_out")

        finish_reason = FinishReason(d.pop("finish_reason"))

        completion_result = cls(
            kind=kind,
            text=text,
            tokens_out=tokens_out,
            finish_reason=finish_reason,
        )

        completion_result.additional_properties = d
        return completion_result

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
