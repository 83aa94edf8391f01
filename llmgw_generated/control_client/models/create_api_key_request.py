from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.key_scope import KeyScope
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateApiKeyRequest")


@_attrs_define
class CreateApiKeyRequest:
    """A new key's settings (seed 002 `CreateApiKeyParams`, plus `scopes`).

    Attributes:
        label (str | Unset): A name for people.
        allowed_ips (list[str] | Unset): IP addresses or CIDR networks; a malformed entry is 400 with `param`
            `allowed_ips`.
        allowed_endpoints (list[str] | Unset): Path patterns starting with `/`, `*` matching any rest; a malformed entry
            is 400 with `param` `allowed_endpoints`.
        expires_at (datetime.datetime | Unset): When the key expires; in the past is 400.
        scopes (list[KeyScope] | Unset): Scopes (default `[inference]`).
    """

    label: str | Unset = UNSET
    allowed_ips: list[str] | Unset = UNSET
    allowed_endpoints: list[str] | Unset = UNSET
    expires_at: datetime.datetime | Unset = UNSET
    scopes: list[KeyScope] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        allowed_ips: list[str] | Unset = UNSET
        if not isinstance(self.allowed_ips, Unset):
            allowed_ips = self.allowed_ips

        allowed_endpoints: list[str] | Unset = UNSET
        if not isinstance(self.allowed_endpoints, Unset):
            allowed_endpoints = self.allowed_endpoints

        expires_at: str | Unset = UNSET
        if not isinstance(self.expires_at, Unset):
            expires_at = self.expires_at.isoformat()

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = []
            for scopes_item_data in self.scopes:
                scopes_item = scopes_item_data.value
                scopes.append(scopes_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if label is not UNSET:
            field_dict["label"] = label
        if allowed_ips is not UNSET:
            field_dict["allowed_ips"] = allowed_ips
        if allowed_endpoints is not UNSET:
            field_dict["allowed_endpoints"] = allowed_endpoints
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if scopes is not UNSET:
            field_dict["scopes"] = scopes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label", UNSET)

        allowed_ips = cast(list[str], d.pop("allowed_ips", UNSET))

        allowed_endpoints = cast(list[str], d.pop("allowed_endpoints", UNSET))

        _expires_at = d.pop("expires_at", UNSET)
        expires_at: datetime.datetime | Unset
        if isinstance(_expires_at, Unset):
            expires_at = UNSET
        else:
            expires_at = datetime.datetime.fromisoformat(_expires_at)

        _scopes = d.pop("scopes", UNSET)
        scopes: list[KeyScope] | Unset = UNSET
        if _scopes is not UNSET:
            scopes = []
            for scopes_item_data in _scopes:
                scopes_item = KeyScope(scopes_item_data)

                scopes.append(scopes_item)

        create_api_key_request = cls(
            label=label,
            allowed_ips=allowed_ips,
            allowed_endpoints=allowed_endpoints,
            expires_at=expires_at,
            scopes=scopes,
        )

        return create_api_key_request
