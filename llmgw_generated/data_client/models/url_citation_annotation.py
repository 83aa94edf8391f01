from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.url_citation_type import UrlCitationType

if TYPE_CHECKING:
    from ..models.url_citation_url_citation import UrlCitationUrlCitation


T = TypeVar("T", bound="UrlCitation")


@_attrs_define
class UrlCitation:
    """A URL cited by the answer (web search).

    Attributes:
        type_ (UrlCitationType): Always `url_citation`.
        url_citation (UrlCitationUrlCitation): The citation.
    """

    type_: UrlCitationType
    url_citation: UrlCitationUrlCitation
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        url_citation = self.url_citation.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "url_citation": url_citation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.url_citation_url_citation import UrlCitationUrlCitation  # noqa: PLC0415

        d = dict(src_dict)
        type_ = UrlCitationType(d.pop("type"))

        url_citation = UrlCitationUrlCitation.from_dict(d.pop("url_citation"))

        url_citation_annotation = cls(
            type_=type_,
            url_citation=url_citation,
        )

        url_citation_annotation.additional_properties = d
        return url_citation_annotation

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
