from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rerank_result_item import RerankResultItem
    from ..models.rerank_usage import RerankUsage


T = TypeVar("T", bound="RerankResponse")


@_attrs_define
class RerankResponse:
    """Rerank response.

    Attributes:
        model (str): Model id.
        results (list[RerankResultItem]): Documents by relevance, highest first.
        usage (RerankUsage): Token usage of a rerank request.
        id (str | Unset): Request id.
    """

    model: str
    results: list[RerankResultItem]
    usage: RerankUsage
    id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        usage = self.usage.to_dict()

        id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "results": results,
                "usage": usage,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rerank_result_item import RerankResultItem  # noqa: PLC0415
        from ..models.rerank_usage import RerankUsage  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = RerankResultItem.from_dict(results_item_data)

            results.append(results_item)

        usage = RerankUsage.from_dict(d.pop("usage"))

        id = d.pop("id", UNSET)

        rerank_response = cls(
            model=model,
            results=results,
            usage=usage,
            id=id,
        )

        rerank_response.additional_properties = d
        return rerank_response

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
