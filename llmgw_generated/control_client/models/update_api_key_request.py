from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.api_key_status_change import ApiKeyStatusChange
from ..models.key_scope import KeyScope
from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateApiKeyRequest")


@_attrs_define
class UpdateApiKeyRequest:
    """The fields to change (seed 002 `UpdateApiKeyParams`, plus `scopes` and `status`).

    Attributes:
        label (str | Unset): A name for people.
        allowed_ips (list[str] | None | Unset): As CreateApiKeyRequest; null lifts the restriction.
        allowed_endpoints (list[str] | None | Unset): As CreateApiKeyRequest; null lifts the restriction.
        scopes (list[KeyScope] | Unset): Scopes.
        status (ApiKeyStatusChange | Unset): The statuses an update may set (suspend a key or make a suspended key
            active again).
    """

    label: str | Unset = UNSET
    allowed_ips: list[str] | None | Unset = UNSET
    allowed_endpoints: list[str] | None | Unset = UNSET
    scopes: list[KeyScope] | Unset = UNSET
    status: ApiKeyStatusChange | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        allowed_ips: list[str] | None | Unset
        if isinstance(self.allowed_ips, Unset):
            allowed_ips = UNSET
        elif isinstance(self.allowed_ips, list):
            allowed_ips = self.allowed_ips

        else:
            allowed_ips = self.allowed_ips

        allowed_endpoints: list[str] | None | Unset
        if isinstance(self.allowed_endpoints, Unset):
            allowed_endpoints = UNSET
        elif isinstance(self.allowed_endpoints, list):
            allowed_endpoints = self.allowed_endpoints

        else:
            allowed_endpoints = self.allowed_endpoints

        scopes: list[str] | Unset = UNSET
        if not isinstance(self.scopes, Unset):
            scopes = []
            for scopes_item_data in self.scopes:
                scopes_item = scopes_item_data.value
                scopes.append(scopes_item)

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if label is not UNSET:
            field_dict["label"] = label
        if allowed_ips is not UNSET:
            field_dict["allowed_ips"] = allowed_ips
        if allowed_endpoints is not UNSET:
            field_dict["allowed_endpoints"] = allowed_endpoints
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label", UNSET)

        def _parse_allowed_ips(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_ips_type_0 = cast(list[str], data)

                return allowed_ips_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_ips = _parse_allowed_ips(d.pop("allowed_ips", UNSET))

        def _parse_allowed_endpoints(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_endpoints_type_0 = cast(list[str], data)

                return allowed_endpoints_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_endpoints = _parse_allowed_endpoints(d.pop("allowed_endpoints", UNSET))

        _scopes = d.pop("scopes", UNSET)
        scopes: list[KeyScope] | Unset = UNSET
        if _scopes is not UNSET:
            scopes = []
            for scopes_item_data in _scopes:
                scopes_item = KeyScope(scopes_item_data)

                scopes.append(scopes_item)

        _status = d.pop("status", UNSET)
        status: ApiKeyStatusChange | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = ApiKeyStatusChange(_status)

        update_api_key_request = cls(
            label=label,
            allowed_ips=allowed_ips,
            allowed_endpoints=allowed_endpoints,
            scopes=scopes,
            status=status,
        )

        return update_api_key_request
