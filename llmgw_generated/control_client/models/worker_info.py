from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.worker_state import WorkerState
from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkerInfo")


@_attrs_define
class WorkerInfo:
    """One worker.

    Attributes:
        id (str): Worker id.
        machine_profile (str): A canonical machine profile name such as `l4`, `a100-40gb` or `l4-spot`.
        state (WorkerState): State of a worker.
        slots (int): Tasks it can run at once.
        active_tasks (int): Tasks running on it now.
        pool_id (None | str | Unset): Pool the worker is assigned to, or null.
        models (list[str] | Unset): Models loaded on it.
    """

    id: str
    machine_profile: str
    state: WorkerState
    slots: int
    active_tasks: int
    pool_id: None | str | Unset = UNSET
    models: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        machine_profile = self.machine_profile

        state = self.state.value

        slots = self.slots

        active_tasks = self.active_tasks

        pool_id: None | str | Unset
        if isinstance(self.pool_id, Unset):
            pool_id = UNSET
        else:
            pool_id = self.pool_id

        models: list[str] | Unset = UNSET
        if not isinstance(self.models, Unset):
            models = self.models

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "machine_profile": machine_profile,
                "state": state,
                "slots": slots,
                "active_tasks": active_tasks,
            }
        )
        if pool_id is not UNSET:
            field_dict["pool_id"] = pool_id
        if models is not UNSET:
            field_dict["models"] = models

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        machine_profile = d.pop("machine_profile")

        state = WorkerState(d.pop("state"))

        slots = d.pop("slots")

        active_tasks = d.pop("active_tasks")

        def _parse_pool_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        pool_id = _parse_pool_id(d.pop("pool_id", UNSET))

        models = cast(list[str], d.pop("models", UNSET))

        worker_info = cls(
            id=id,
            machine_profile=machine_profile,
            state=state,
            slots=slots,
            active_tasks=active_tasks,
            pool_id=pool_id,
            models=models,
        )

        worker_info.additional_properties = d
        return worker_info

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
