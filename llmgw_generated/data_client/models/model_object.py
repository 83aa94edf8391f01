from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelObject")


@_attrs_define
class ModelObject:
    """One model of the OpenAI list (chat, embedding or other models alike, as OpenAI lists them).

    Attributes:
        id (str): Model id.
        object_ (Literal['model']): Always `model`.
        created (int): Unix seconds.
        owned_by (str): Owner.
        shutdown_date (None | str | Unset): When the model will stop being served (a deprecated model), or null.
    """

    id: str
    object_: Literal["model"]
    created: int
    owned_by: str
    shutdown_date: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        object_ = self.object_

        created = self.created

        owned_by = self.owned_by

        shutdown_date: None | str | Unset
        if isinstance(self.shutdown_date, Unset):
            shutdown_date = UNSET
        else:
            shutdown_date = self.shutdown_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "created": created,
                "owned_by": owned_by,
            }
        )
        if shutdown_date is not UNSET:
            field_dict["shutdown_date"] = shutdown_date

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        object_ = cast(Literal["model"], d.pop("object"))
        if object_ != "model":
            raise ValueError(f"object must match const 'model', got '{object_}'")

        created = d.pop("created")

        owned_by = d.pop("owned_by")

        def _parse_shutdown_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shutdown_date = _parse_shutdown_date(d.pop("shutdown_date", UNSET))

        model_object = cls(
            id=id,
            object_=object_,
            created=created,
            owned_by=owned_by,
            shutdown_date=shutdown_date,
        )

        model_object.additional_properties = d
        return model_object

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
