from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rerank_document import RerankDocument


T = TypeVar("T", bound="RerankResultItem")


@_attrs_define
class RerankResultItem:
    """One ranked document.

    Attributes:
        index (int): Position in `documents`.
        relevance_score (float): Relevance; higher is more relevant.
        document (RerankDocument | Unset): A returned document.
    """

    index: int
    relevance_score: float
    document: RerankDocument | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        relevance_score = self.relevance_score

        document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.document, Unset):
            document = self.document.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "relevance_score": relevance_score,
            }
        )
        if document is not UNSET:
            field_dict["document"] = document

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rerank_document import RerankDocument  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        relevance_score = d.pop("relevance_score")

        _document = d.pop("document", UNSET)
        document: RerankDocument | Unset
        if isinstance(_document, Unset):
            document = UNSET
        else:
            document = RerankDocument.from_dict(_document)

        rerank_result_item = cls(
            index=index,
            relevance_score=relevance_score,
            document=document,
        )

        rerank_result_item.additional_properties = d
        return rerank_result_item

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
