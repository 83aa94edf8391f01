from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pool_spec import PoolSpec
    from ..models.pool_status import PoolStatus


T = TypeVar("T", bound="PoolInfo")


@_attrs_define
class PoolInfo:
    """A pool with its spec and status.

    Attributes:
        id (str): Pool id; lower-case letters, digits and `-`, 1 to 63 characters.
        spec (PoolSpec): Desired shape of a pool.
        status (PoolStatus): Readiness and assignment of a pool.
    """

    id: str
    spec: PoolSpec
    status: PoolStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        spec = self.spec.to_dict()

        status = self.status.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "spec": spec,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pool_spec import PoolSpec  # noqa: PLC0415
        from ..models.pool_status import PoolStatus  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        spec = PoolSpec.from_dict(d.pop("spec"))

        status = PoolStatus.from_dict(d.pop("status"))

        pool_info = cls(
            id=id,
            spec=spec,
            status=status,
        )

        pool_info.additional_properties = d
        return pool_info

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
