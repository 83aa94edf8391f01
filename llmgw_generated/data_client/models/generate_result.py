from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.generate_finish_reason import GenerateFinishReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generate_usage import GenerateUsage


T = TypeVar("T", bound="GenerateResult")


@_attrs_define
class GenerateResult:
    """Aggregated generate result.

    Attributes:
        model (str): Model the gateway dispatched to.
        text (str): The generated text.
        finish_reason (GenerateFinishReason): Why generation ended.
        usage (GenerateUsage): Token usage; `total_tokens` equals `prompt_tokens + completion_tokens`.
        request_id (str | Unset): Request id.
        attempt_id (str | Unset): Worker attempt id.
        ttft_ms (float | Unset): Time to first token, ms.
        tpot_ms (float | Unset): Average time per output token, ms.
    """

    model: str
    text: str
    finish_reason: GenerateFinishReason
    usage: GenerateUsage
    request_id: str | Unset = UNSET
    attempt_id: str | Unset = UNSET
    ttft_ms: float | Unset = UNSET
    tpot_ms: float | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        text = self.text

        finish_reason = self.finish_reason.value

        usage = self.usage.to_dict()

        request_id = self.request_id

        attempt_id = self.attempt_id

        ttft_ms = self.ttft_ms

        tpot_ms = self.tpot_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "text": text,
                "finish_reason": finish_reason,
                "usage": usage,
            }
        )
        if request_id is not UNSET:
            field_dict["request_id"] = request_id
        if attempt_id is not UNSET:
            field_dict["attempt_id"] = attempt_id
        if ttft_ms is not UNSET:
            field_dict["ttft_ms"] = ttft_ms
        if tpot_ms is not UNSET:
            field_dict["tpot_ms"] = tpot_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generate_usage import GenerateUsage  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        text = d.pop("text")

        finish_reason = GenerateFinishReason(d.pop("finish_reason"))

        usage = GenerateUsage.from_dict(d.pop("usage"))

        request_id = d.pop("request_id", UNSET)

        attempt_id = d.pop("attempt_id", UNSET)

        ttft_ms = d.pop("ttft_ms", UNSET)

        tpot_ms = d.pop("tpot_ms", UNSET)

        generate_result = cls(
            model=model,
            text=text,
            finish_reason=finish_reason,
            usage=usage,
            request_id=request_id,
            attempt_id=attempt_id,
            ttft_ms=ttft_ms,
            tpot_ms=tpot_ms,
        )

        generate_result.additional_properties = d
        return generate_result

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
