from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.generate_finish_reason import GenerateFinishReason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generate_chunk_error import GenerateChunkError
    from ..models.generate_usage import GenerateUsage


T = TypeVar("T", bound="GenerateChunk")


@_attrs_define
class GenerateChunk:
    """One chunk of a generate stream; `usage` and `ttft_ms` on the terminal chunk only.

    Attributes:
        request_id (str): Same on every chunk.
        seq (int): 0 for the first chunk, one more for each next one.
        text_delta (str): Text since the previous chunk.
        done (bool): True on the terminal chunk only.
        finish_reason (GenerateFinishReason | Unset): Why generation ended.
        usage (GenerateUsage | Unset): Token usage; `total_tokens` equals `prompt_tokens + completion_tokens`.
        ttft_ms (float | Unset): Time to first token, ms (terminal chunk).
        error (GenerateChunkError | Unset): Mid-stream error of a generate stream.
    """

    request_id: str
    seq: int
    text_delta: str
    done: bool
    finish_reason: GenerateFinishReason | Unset = UNSET
    usage: GenerateUsage | Unset = UNSET
    ttft_ms: float | Unset = UNSET
    error: GenerateChunkError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        seq = self.seq

        text_delta = self.text_delta

        done = self.done

        finish_reason: str | Unset = UNSET
        if not isinstance(self.finish_reason, Unset):
            finish_reason = self.finish_reason.value

        usage: dict[str, Any] | Unset = UNSET
        if not isinstance(self.usage, Unset):
            usage = self.usage.to_dict()

        ttft_ms = self.ttft_ms

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "request_id": request_id,
                "seq": seq,
                "text_delta": text_delta,
                "done": done,
            }
        )
        if finish_reason is not UNSET:
            field_dict["finish_reason"] = finish_reason
        if usage is not UNSET:
            field_dict["usage"] = usage
        if ttft_ms is not UNSET:
            field_dict["ttft_ms"] = ttft_ms
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generate_chunk_error import GenerateChunkError  # noqa: PLC0415
        from ..models.generate_usage import GenerateUsage  # noqa: PLC0415

        d = dict(src_dict)
        request_id = d.pop("request_id")

        seq = d.pop("seq")

        text_delta = d.pop("text_delta")

        done = d.pop("done")

        _finish_reason = d.pop("finish_reason", UNSET)
        finish_reason: GenerateFinishReason | Unset
        if isinstance(_finish_reason, Unset):
            finish_reason = UNSET
        else:
            finish_reason = GenerateFinishReason(_finish_reason)

        _usage = d.pop("usage", UNSET)
        usage: GenerateUsage | Unset
        if isinstance(_usage, Unset):
            usage = UNSET
        else:
            usage = GenerateUsage.from_dict(_usage)

        ttft_ms = d.pop("ttft_ms", UNSET)

        _error = d.pop("error", UNSET)
        error: GenerateChunkError | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = GenerateChunkError.from_dict(_error)

        generate_chunk = cls(
            request_id=request_id,
            seq=seq,
            text_delta=text_delta,
            done=done,
            finish_reason=finish_reason,
            usage=usage,
            ttft_ms=ttft_ms,
            error=error,
        )

        generate_chunk.additional_properties = d
        return generate_chunk

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
