from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UrlCitationUrlCitation")


@_attrs_define
class UrlCitationUrlCitation:
    """The citation.

    Attributes:
        end_index (int): Index of the last character of the citation in the content.
        start_index (int): Index of its first character.
        url (str): The web resource.
        title (str): Its title.
    """

    end_index: int
    start_index: int
    url: str
    title: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        end_index = self.end_index

        start_index = self.start_index

        url = self.url

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "end_index": end_index,
                "start_index": start_index,
                "url": url,
                "title": title,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end_index = d.pop("end_index")

        start_index = d.pop("start_index")

        url = d.pop("url")

        title = d.pop("title")

        url_citation_url_citation = cls(
            end_index=end_index,
            start_index=start_index,
            url=url,
            title=title,
        )

        url_citation_url_citation.additional_properties = d
        return url_citation_url_citation

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
