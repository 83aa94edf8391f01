from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_role import UserRole
from ..models.user_status import UserStatus

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """An account (seed 002 `User`).

    Attributes:
        id (str): Account id.
        email (str): Login email.
        name (None | str): Display name.
        role (UserRole): Role of an account (seed 002 `User.role`).
        status (UserStatus): Status of an account (seed 002 `User.status`).
        email_verified (bool): Whether the email was verified.
        credits_balance (float): Credits left.
        created_at (datetime.datetime): When it was registered.
    """

    id: str
    email: str
    name: None | str
    role: UserRole
    status: UserStatus
    email_verified: bool
    credits_balance: float
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        email = self.email

        name: None | str
        name = self.name

        role = self.role.value

        status = self.status.value

        email_verified = self.email_verified

        credits_balance = self.credits_balance

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "email": email,
                "name": name,
                "role": role,
                "status": status,
                "email_verified": email_verified,
                "credits_balance": credits_balance,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        email = d.pop("email")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))

        role = UserRole(d.pop("role"))

        status = UserStatus(d.pop("status"))

        email_verified = d.pop("email_verified")

        credits_balance = d.pop("credits_balance")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        user = cls(
            id=id,
            email=email,
            name=name,
            role=role,
            status=status,
            email_verified=email_verified,
            credits_balance=credits_balance,
            created_at=created_at,
        )

        user.additional_properties = d
        return user

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
