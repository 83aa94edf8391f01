from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SSEStarted")


@_attrs_define
class SSEStarted:
    """Payload of the `started` event: the first event of every native stream.

    Attributes:
        queue_position (int): Tasks ahead of this one when the stream opened.
        predicted_start_ms (int): Estimated milliseconds until the first token.
        task_id (str | Unset): The task id.
        pool_id (None | str | Unset): The pool the task was placed in.
    """

    queue_position: int
    predicted_start_ms: int
    task_id: str | Unset = UNSET
    pool_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        queue_position = self.queue_position

        predicted_start_ms = self.predicted_start_ms

        task_id = self.task_id

        pool_id: None | str | Unset
        if isinstance(self.pool_id, Unset):
            pool_id = UNSET
        else:
            pool_id = self.pool_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "queue_position": queue_position,
                "predicted_start_ms": predicted_start_ms,
            }
        )
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        queue_position = d.pop("queue_position")

        predicted_start_ms = d.pop("predicted_start_ms")

        task_id = d.pop("task_id", UNSET)

        def _parse_pool_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pool_id = _parse_pool_id(d.pop("pool_id", UNSET))

        sse_started = cls(
            queue_position=queue_position,
            predicted_start_ms=predicted_start_ms,
            task_id=task_id,
            pool_id=pool_id,
        )

        sse_started.additional_properties = d
        return sse_started

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
