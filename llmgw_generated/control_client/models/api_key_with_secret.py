from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.api_key_status import ApiKeyStatus
from ..models.key_scope import KeyScope

T = TypeVar("T", bound="ApiKeyWithSecret")


@_attrs_define
class ApiKeyWithSecret:
    """The create answer, the only one with the secret `key`.

    Attributes:
        id (str): The key's id.
        key (str): The secret
        key_prefix (str): The first characters of the secret.
        label (None | str): A name for people.
        status (ApiKeyStatus): Lifecycle of an API key (seed 002 `KeyStatus`). `ACTIVE` keys work; `SUSPENDED`
            keys are refused until set `ACTIVE` again; `REVOKED` (by delete) and `EXPIRED`
            (past `expires_at`) are final. Only an `ACTIVE` key is accepted.
        scopes (list[KeyScope]): Scopes the key holds.
        allowed_ips (list[str] | None): As ApiKey.
        allowed_endpoints (list[str] | None): As ApiKey.
        expires_at (datetime.datetime | None): As ApiKey.
        last_used_at (datetime.datetime | None): As ApiKey.
        created_at (datetime.datetime): As ApiKey.
    """

    id: str
    key: str
    key_prefix: str
    label: None | str
    status: ApiKeyStatus
    scopes: list[KeyScope]
    allowed_ips: list[str] | None
    allowed_endpoints: list[str] | None
    expires_at: datetime.datetime | None
    last_used_at: datetime.datetime | None
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        key = self.key

        key_prefix = self.key_prefix

        label: None | str
        label = self.label

        status = self.status.value

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        allowed_ips: list[str] | None
        if isinstance(self.allowed_ips, list):
            allowed_ips = self.allowed_ips

        else:
            allowed_ips = self.allowed_ips

        allowed_endpoints: list[str] | None
        if isinstance(self.allowed_endpoints, list):
            allowed_endpoints = self.allowed_endpoints

        else:
            allowed_endpoints = self.allowed_endpoints

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "key": key,
                "key_prefix": key_prefix,
                "label": label,
                "status": status,
                "scopes": scopes,
                "allowed_ips": allowed_ips,
                "allowed_endpoints": allowed_endpoints,
                "expires_at": expires_at,
                "last_used_at": last_used_at,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        key = d.pop("key")

        key_prefix = d.pop("key_prefix")

        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))

        status = ApiKeyStatus(d.pop("status"))

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = KeyScope(scopes_item_data)

            scopes.append(scopes_item)

        def _parse_allowed_ips(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_ips_type_0 = cast(list[str], data)

                return allowed_ips_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        allowed_ips = _parse_allowed_ips(d.pop("allowed_ips"))

        def _parse_allowed_endpoints(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_endpoints_type_0 = cast(list[str], data)

                return allowed_endpoints_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        allowed_endpoints = _parse_allowed_endpoints(d.pop("allowed_endpoints"))

        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))

        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        api_key_with_secret = cls(
            id=id,
            key=key,
            key_prefix=key_prefix,
            label=label,
            status=status,
            scopes=scopes,
            allowed_ips=allowed_ips,
            allowed_endpoints=allowed_endpoints,
            expires_at=expires_at,
            last_used_at=last_used_at,
            created_at=created_at,
        )

        api_key_with_secret.additional_properties = d
        return api_key_with_secret

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
