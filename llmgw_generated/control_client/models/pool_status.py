from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.pool_state import PoolState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gpu_counts import GpuCounts


T = TypeVar("T", bound="PoolStatus")


@_attrs_define
class PoolStatus:
    """Readiness and assignment of a pool.

    Attributes:
        state (PoolState): `ready` when every machine profile has at least its `gpus` count of workers assigned, else
            `pending`.
        ready (bool): Same as `state == ready`.
        assigned (GpuCounts): A count per machine profile, e.g. `{"l4": 2, "a100-40gb": 1}`.
        workers (list[str] | Unset): Ids of the workers assigned.
    """

    state: PoolState
    ready: bool
    assigned: GpuCounts
    workers: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        state = self.state.value

        ready = self.ready

        assigned = self.assigned.to_dict()

        workers: list[str] | Unset = UNSET
        if not isinstance(self.workers, Unset):
            workers = self.workers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "state": state,
                "ready": ready,
                "assigned": assigned,
            }
        )
        if workers is not UNSET:
            field_dict["workers"] = workers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gpu_counts import GpuCounts  # noqa: PLC0415

        d = dict(src_dict)
        state = PoolState(d.pop("state"))

        ready = d.pop("ready")

        assigned = GpuCounts.from_dict(d.pop("assigned"))

        workers = cast(list[str], d.pop("workers", UNSET))

        pool_status = cls(
            state=state,
            ready=ready,
            assigned=assigned,
            workers=workers,
        )

        pool_status.additional_properties = d
        return pool_status

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
