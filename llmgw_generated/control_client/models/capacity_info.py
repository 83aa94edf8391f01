from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.worker_info import WorkerInfo


T = TypeVar("T", bound="CapacityInfo")


@_attrs_define
class CapacityInfo:
    """Cluster capacity.

    Attributes:
        gpu_count (int): GPUs across all workers.
        models_loaded (int): Distinct models loaded across all workers.
        configured_machine_profiles (list[str]): Canonical machine profiles configured in the cluster.
        live_machine_profiles (list[str]): Machine profiles with at least one worker not down.
        workers (list[WorkerInfo]): Every worker.
        active_tasks (int): Tasks generating now (holding a slot); equals the sum of `workers[].active_tasks`.
        queued_tasks (int): Tasks admitted and waiting for a slot.
    """

    gpu_count: int
    models_loaded: int
    configured_machine_profiles: list[str]
    live_machine_profiles: list[str]
    workers: list[WorkerInfo]
    active_tasks: int
    queued_tasks: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gpu_count = self.gpu_count

        models_loaded = self.models_loaded

        configured_machine_profiles = self.configured_machine_profiles

        live_machine_profiles = self.live_machine_profiles

        workers = []
        for workers_item_data in self.workers:
            workers_item = workers_item_data.to_dict()
            workers.append(workers_item)

        active_tasks = self.active_tasks

        queued_tasks = self.queued_tasks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gpu_count": gpu_count,
                "models_loaded": models_loaded,
                "configured_machine_profiles": configured_machine_profiles,
                "live_machine_profiles": live_machine_profiles,
                "workers": workers,
                "active_tasks": active_tasks,
                "queued_tasks": queued_tasks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.worker_info import WorkerInfo  # noqa: PLC0415

        d = dict(src_dict)
        gpu_count = d.pop("gpu_count")

        models_loaded = d.pop("models_loaded")

        configured_machine_profiles = cast(list[str], d.pop("configured_machine_profiles"))

        live_machine_profiles = cast(list[str], d.pop("live_machine_profiles"))

        workers = []
        _workers = d.pop("workers")
        for workers_item_data in _workers:
            workers_item = WorkerInfo.from_dict(workers_item_data)

            workers.append(workers_item)

        active_tasks = d.pop("active_tasks")

        queued_tasks = d.pop("queued_tasks")

        capacity_info = cls(
            gpu_count=gpu_count,
            models_loaded=models_loaded,
            configured_machine_profiles=configured_machine_profiles,
            live_machine_profiles=live_machine_profiles,
            workers=workers,
            active_tasks=active_tasks,
            queued_tasks=queued_tasks,
        )

        capacity_info.additional_properties = d
        return capacity_info

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
