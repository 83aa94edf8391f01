from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.rerank_item import RerankItem


T = TypeVar("T", bound="RerankResult")


@_attrs_define
class RerankResult:
    """Result of a rerank task, highest score first.

    Attributes:
        kind (Literal['rerank']): Always `rerank`.
        ranking (list[RerankItem]): The inputs by score, highest first.
    """

    kind: Literal["rerank"]
    ranking: list[RerankItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        ranking = []
        for ranking_item_data in self.ranking:
            ranking_item = ranking_item_data.to_dict()
            ranking.append(ranking_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "ranking": ranking,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rerank_item import RerankItem  # noqa: PLC0415

        d = dict(src_dict)
        kind = cast(Literal["rerank"], d.pop("kind"))
        if kind != "rerank":
            raise ValueError(f"kind must match const 'rerank', got '{kind}'")

        ranking = []
        _ranking = d.pop("ranking")
        for ranking_item_data in _ranking:
            ranking_item = RerankItem.from_dict(ranking_item_data)

            ranking.append(ranking_item)

        rerank_result = cls(
            kind=kind,
            ranking=ranking,
        )

        rerank_result.additional_properties = d
        return rerank_result

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
