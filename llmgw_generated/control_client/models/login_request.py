from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginRequest")


@_attrs_define
class LoginRequest:
    """Credentials (seed 002 `LoginParams`).

    Attributes:
        email (str): Login email.
        password (str): Password.
        ttl_s (int | Unset): Lifetime asked for the access token; the deployment may shorten it.
    """

    email: str
    password: str
    ttl_s: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email = self.email

        password = self.password

        ttl_s = self.ttl_s

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "email": email,
                "password": password,
            }
        )
        if ttl_s is not UNSET:
            field_dict["ttl_s"] = ttl_s

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        password = d.pop("password")

        ttl_s = d.pop("ttl_s", UNSET)

        login_request = cls(
            email=email,
            password=password,
            ttl_s=ttl_s,
        )

        return login_request
