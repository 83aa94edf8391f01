from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gpu_counts import GpuCounts


T = TypeVar("T", bound="PoolSpec")


@_attrs_define
class PoolSpec:
    """Desired shape of a pool.

    Attributes:
        gpus (GpuCounts | Unset): A count per machine profile, e.g. `{"l4": 2, "a100-40gb": 1}`.
        gpu_caps (GpuCounts | Unset): A count per machine profile, e.g. `{"l4": 2, "a100-40gb": 1}`.
    """

    gpus: GpuCounts | Unset = UNSET
    gpu_caps: GpuCounts | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        gpus: dict[str, Any] | Unset = UNSET
        if not isinstance(self.gpus, Unset):
            gpus = self.gpus.to_dict()

        gpu_caps: dict[str, Any] | Unset = UNSET
        if not isinstance(self.gpu_caps, Unset):
            gpu_caps = self.gpu_caps.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if gpus is not UNSET:
            field_dict["gpus"] = gpus
        if gpu_caps is not UNSET:
            field_dict["gpu_caps"] = gpu_caps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gpu_counts import GpuCounts  # noqa: PLC0415

        d = dict(src_dict)
        _gpus = d.pop("gpus", UNSET)
        gpus: GpuCounts | Unset
        if isinstance(_gpus, Unset):
            gpus = UNSET
        else:
            gpus = GpuCounts.from_dict(_gpus)

        _gpu_caps = d.pop("gpu_caps", UNSET)
        gpu_caps: GpuCounts | Unset
        if isinstance(_gpu_caps, Unset):
            gpu_caps = UNSET
        else:
            gpu_caps = GpuCounts.from_dict(_gpu_caps)

        pool_spec = cls(
            gpus=gpus,
            gpu_caps=gpu_caps,
        )

        return pool_spec
