from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EmbeddingResult")


@_attrs_define
class EmbeddingResult:
    """Result of an embedding task.

    Attributes:
        kind (Literal['embedding']): Always `embedding`.
        embeddings (list[list[float]]): One vector per input, in input order.
    """

    kind: Literal["embedding"]
    embeddings: list[list[float]]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        embeddings = []
        for embeddings_item_data in self.embeddings:
            embeddings_item = embeddings_item_data

            embeddings.append(embeddings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "embeddings": embeddings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = cast(Literal["embedding"], d.pop("kind"))
        if kind != "embedding":
            raise ValueError(f"kind must match const 'embedding', got '{kind}'")

        embeddings = []
        _embeddings = d.pop("embeddings")
        for embeddings_item_data in _embeddings:
            embeddings_item = cast(list[float], embeddings_item_data)

            embeddings.append(embeddings_item)

        embedding_result = cls(
            kind=kind,
            embeddings=embeddings,
        )

        embedding_result.additional_properties = d
        return embedding_result

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
