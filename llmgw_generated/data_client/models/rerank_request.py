from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RerankRequest")


@_attrs_define
class RerankRequest:
    """Rerank request.

    Attributes:
        model (str): Model id.
        query (str): The query.
        documents (list[str]): Documents to rank.
        top_n (int | Unset): Return only the best `top_n`.
        return_documents (bool | Unset): Include each document's text.
    """

    model: str
    query: str
    documents: list[str]
    top_n: int | Unset = UNSET
    return_documents: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        query = self.query

        documents = self.documents

        top_n = self.top_n

        return_documents = self.return_documents

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "query": query,
                "documents": documents,
            }
        )
        if top_n is not UNSET:
            field_dict["top_n"] = top_n
        if return_documents is not UNSET:
            field_dict["return_documents"] = return_documents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model")

        query = d.pop("query")

        documents = cast(list[str], d.pop("documents"))

        top_n = d.pop("top_n", UNSET)

        return_documents = d.pop("return_documents", UNSET)

        rerank_request = cls(
            model=model,
            query=query,
            documents=documents,
            top_n=top_n,
            return_documents=return_documents,
        )

        return rerank_request
