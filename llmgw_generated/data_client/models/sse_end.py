from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.finish_reason import FinishReason
from ..types import UNSET, Unset

T = TypeVar("T", bound="SSEEnd")


@_attrs_define
class SSEEnd:
    """Payload of the `end` event: the task finished.

    Attributes:
        tokens_out (int): Tokens sent in `token` events; never above `max_tokens`.
        decode_ms (int): Milliseconds spent generating.
        finish_reason (FinishReason | Unset): Why generation ended.
        prompt_tokens (int | Unset): Tokens in the prompt.
        ttft_ms (int | Unset): Milliseconds from admission to the first token.
    """

    tokens_out: int
    decode_ms: int
    finish_reason: FinishReason | Unset = UNSET
    prompt_tokens: int | Unset = UNSET
    ttft_ms: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tokens_out = self.tokens_out

        decode_ms = self.decode_ms

        finish_reason: str | Unset = UNSET
        if not isinstance(self.finish_reason, Unset):
            finish_reason = self.finish_reason.value

        prompt_tokens = self.prompt_tokens

        ttft_ms = self.ttft_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "tokens_out": tokens_out,
                "decode_ms": decode_ms,
            }
        )
        if finish_reason is not UNSET:
            field_dict["finish_reason"] = finish_reason
        if prompt_tokens is not UNSET:
            field_dict["prompt_tokens"] = prompt_tokens
        if ttft_ms is not UNSET:
            field_dict["ttft_ms"] = ttft_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tokens_out = d.pop("tokens_out")

        decode_ms = d.pop("decode_ms")

        _finish_reason = d.pop("finish_reason", UNSET)
        finish_reason: FinishReason | Unset
        if isinstance(_finish_reason, Unset):
            finish_reason = UNSET
        else:
            finish_reason = FinishReason(_finish_reason)

        prompt_tokens = d.pop("prompt_tokens", UNSET)

        ttft_ms = d.pop("ttft_ms", UNSET)

        sse_end = cls(
            tokens_out=tokens_out,
            decode_ms=decode_ms,
            finish_reason=finish_reason,
            prompt_tokens=prompt_tokens,
            ttft_ms=ttft_ms,
        )

        sse_end.additional_properties = d
        return sse_end

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
