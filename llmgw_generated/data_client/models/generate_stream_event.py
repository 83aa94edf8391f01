from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateStreamEvent")


@_attrs_define
class GenerateStreamEvent:
    """One parsed event of a generate stream (OpenAPI 3.2 event shape).

    Attributes:
        data (Literal['[DONE]'] | str): A JSON chunk or the `[DONE]` sentinel.
        event (Literal['message'] | Unset): No `event` field is sent.
        id (str | Unset): Optional SSE `id` field.
    """

    data: Literal["[DONE]"] | str
    event: Literal["message"] | Unset = UNSET
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: Literal["[DONE]"] | str
        data = self.data

        event = self.event

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )
        if event is not UNSET:
            field_dict["event"] = event
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_data(data: object) -> Literal["[DONE]"] | str:
            data_type_0 = cast(Literal["[DONE]"], data)
            if data_type_0 != "[DONE]":
                raise ValueError(f"data_type_0 must match const '[DONE]', got '{data_type_0}'")
            return data_type_0
            return cast(Literal["[DONE]"] | str, data)

        data = _parse_data(d.pop("data"))

        event = cast(Literal["message"] | Unset, d.pop("event", UNSET))
        if event != "message" and not isinstance(event, Unset):
            raise ValueError(f"event must match const 'message', got '{event}'")

        id = d.pop("id", UNSET)

        generate_stream_event = cls(
            data=data,
            event=event,
            id=id,
        )

        generate_stream_event.additional_properties = d
        return generate_stream_event

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
