from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.web_search_user_location_type import WebSearchUserLocationType

if TYPE_CHECKING:
    from ..models.web_search_user_location_approximate import WebSearchUserLocationApproximate


T = TypeVar("T", bound="WebSearchUserLocation")


@_attrs_define
class WebSearchUserLocation:
    """Approximate location of the user for web search.

    Attributes:
        type_ (WebSearchUserLocationType): Always `approximate`.
        approximate (WebSearchUserLocationApproximate): The location.
    """

    type_: WebSearchUserLocationType
    approximate: WebSearchUserLocationApproximate
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        approximate = self.approximate.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "approximate": approximate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.web_search_user_location_approximate import WebSearchUserLocationApproximate  # noqa: PLC0415

        d = dict(src_dict)
        type_ = WebSearchUserLocationType(d.pop("type"))

        approximate = WebSearchUserLocationApproximate.from_dict(d.pop("approximate"))

        web_search_user_location = cls(
            type_=type_,
            approximate=approximate,
        )

        web_search_user_location.additional_properties = d
        return web_search_user_location

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
