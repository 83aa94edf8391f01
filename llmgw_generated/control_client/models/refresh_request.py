from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RefreshRequest")


@_attrs_define
class RefreshRequest:
    """A refresh token to spend.

    Attributes:
        refresh_token (str): From a login or refresh answer.
        ttl_s (int | Unset): As LoginRequest.ttl_s.
    """

    refresh_token: str
    ttl_s: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        refresh_token = self.refresh_token

        ttl_s = self.ttl_s

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "refresh_token": refresh_token,
            }
        )
        if ttl_s is not UNSET:
            field_dict["ttl_s"] = ttl_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        refresh_token = d.pop("refresh_token")

        ttl_s = d.pop("ttl_s", UNSET)

        refresh_request = cls(
            refresh_token=refresh_token,
            ttl_s=ttl_s,
        )

        return refresh_request
