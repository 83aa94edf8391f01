from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.placement_mode import PlacementMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="PlacementOverrides")


@_attrs_define
class PlacementOverrides:
    """Where a task may run.

    Attributes:
        mode (PlacementMode | Unset): `pin`: only `pin_pool_id`; `prefer`: `prefer_pools` first, then any other not
            avoided; `auto`: the gateway chooses.
        pin_pool_id (str | Unset): The pool a `pin` task must run in; unknown gives 422 `POOL_UNAVAILABLE`, no ready
            workers 503 `POOL_UNREADY` (unless `allow_fallback`).
        prefer_pools (list[str] | Unset): Pools to try first, in order.
        avoid_pools (list[str] | Unset): Pools never to use.
        require_device_mask (str | Unset): Machine profile the task needs (e.g. `a100-40gb`), or `*` for any.
        allow_fallback (bool | Unset): With `pin`, run elsewhere (not in `avoid_pools`) when the pinned pool has no
            ready workers instead of failing.
    """

    mode: PlacementMode | Unset = UNSET
    pin_pool_id: str | Unset = UNSET
    prefer_pools: list[str] | Unset = UNSET
    avoid_pools: list[str] | Unset = UNSET
    require_device_mask: str | Unset = UNSET
    allow_fallback: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        pin_pool_id = self.pin_pool_id

        prefer_pools: list[str] | Unset = UNSET
        if not isinstance(self.prefer_pools, Unset):
            prefer_pools = self.prefer_pools

        avoid_pools: list[str] | Unset = UNSET
        if not isinstance(self.avoid_pools, Unset):
            avoid_pools = self.avoid_pools

        require_device_mask = self.require_device_mask

        allow_fallback = self.allow_fallback

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if mode is not UNSET:
            field_dict["mode"] = mode
        if pin_pool_id is not UNSET:
            field_dict["pin_pool_id"] = pin_pool_id
        if prefer_pools is not UNSET:
            field_dict["prefer_pools"] = prefer_pools
        if avoid_pools is not UNSET:
            field_dict["avoid_pools"] = avoid_pools
        if require_device_mask is not UNSET:
            field_dict["require_device_mask"] = require_device_mask
        if allow_fallback is not UNSET:
            field_dict["allow_fallback"] = allow_fallback

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _mode = d.pop("mode", UNSET)
        mode: PlacementMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = PlacementMode(_mode)

        pin_pool_id = d.pop("pin_pool_id", UNSET)

        prefer_pools = cast(list[str], d.pop("prefer_pools", UNSET))

        avoid_pools = cast(list[str], d.pop("avoid_pools", UNSET))

        require_device_mask = d.pop("require_device_mask", UNSET)

        allow_fallback = d.pop("allow_fallback", UNSET)

        placement_overrides = cls(
            mode=mode,
            pin_pool_id=pin_pool_id,
            prefer_pools=prefer_pools,
            avoid_pools=avoid_pools,
            require_device_mask=require_device_mask,
            allow_fallback=allow_fallback,
        )

        return placement_overrides
