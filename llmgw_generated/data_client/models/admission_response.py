from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AdmissionResponse")


@_attrs_define
class AdmissionResponse:
    """The answer to an admitted task.

    Attributes:
        task_id (str): The task id.
        queue_position (int): Tasks ahead of this one in its queue (0 is next).
        predicted_start_ms (int): Estimated milliseconds until generation starts.
        backoff_ms (int): Milliseconds to wait before the first poll of `getTask` (0 for streams).
        pool_id (None | str | Unset): The pool the task was queued in.
    """

    task_id: str
    queue_position: int
    predicted_start_ms: int
    backoff_ms: int
    pool_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        task_id = self.task_id

        queue_position = self.queue_position

        predicted_start_ms = self.predicted_start_ms

        backoff_ms = self.backoff_ms

        pool_id: None | str | Unset
        if isinstance(self.pool_id, Unset):
            pool_id = UNSET
        else:
            pool_id = self.pool_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "task_id": task_id,
                "queue_position": queue_position,
                "predicted_start_ms": predicted_start_ms,
                "backoff_ms": backoff_ms,
            }
        )
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        task_id = d.pop("task_id")

        queue_position = d.pop("queue_position")

        predicted_start_ms = d.pop("predicted_start_ms")

        backoff_ms = d.pop("backoff_ms")

        def _parse_pool_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pool_id = _parse_pool_id(d.pop("pool_id", UNSET))

        admission_response = cls(
            task_id=task_id,
            queue_position=queue_position,
            predicted_start_ms=predicted_start_ms,
            backoff_ms=backoff_ms,
            pool_id=pool_id,
        )

        admission_response.additional_properties = d
        return admission_response

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
