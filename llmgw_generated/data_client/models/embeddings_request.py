from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.embeddings_request_encoding_format import EmbeddingsRequestEncodingFormat
from ..types import UNSET, Unset

T = TypeVar("T", bound="EmbeddingsRequest")


@_attrs_define
class EmbeddingsRequest:
    """OpenAI embeddings request.

    Attributes:
        model (str): Model id.
        input_ (list[int] | list[list[int]] | list[str] | str): A text, a list of texts, a list of token ids, or a list
            of token-id lists (1 to 2048 inputs); token ids are what LangChain sends by default.
        encoding_format (EmbeddingsRequestEncodingFormat | Unset): `float` (default) or `base64` (little-endian
            float32); the openai Python client asks for base64 by default.
        dimensions (int | Unset): Output dimensions, at most the model's own.
        user (str | Unset): End-user identifier.
    """

    model: str
    input_: list[int] | list[list[int]] | list[str] | str
    encoding_format: EmbeddingsRequestEncodingFormat | Unset = UNSET
    dimensions: int | Unset = UNSET
    user: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        input_: list[int] | list[list[int]] | list[str] | str
        if isinstance(self.input_, list):
            input_ = self.input_

        elif isinstance(self.input_, list):
            input_ = self.input_

        elif isinstance(self.input_, list):
            input_ = []
            for componentsschemas_embeddings_input_type_3_item_data in self.input_:
                componentsschemas_embeddings_input_type_3_item = (
                    componentsschemas_embeddings_input_type_3_item_data
                )

                input_.append(componentsschemas_embeddings_input_type_3_item)

        else:
            input_ = self.input_

        encoding_format: str | Unset = UNSET
        if not isinstance(self.encoding_format, Unset):
            encoding_format = self.encoding_format.value

        dimensions = self.dimensions

        user = self.user

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "model": model,
                "input": input_,
            }
        )
        if encoding_format is not UNSET:
            field_dict["encoding_format"] = encoding_format
        if dimensions is not UNSET:
            field_dict["dimensions"] = dimensions
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model")

        def _parse_input_(data: object) -> list[int] | list[list[int]] | list[str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_embeddings_input_type_1 = cast(list[str], data)

                return componentsschemas_embeddings_input_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_embeddings_input_type_2 = cast(list[int], data)

                return componentsschemas_embeddings_input_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, list):
                    raise TypeError()
                componentsschemas_embeddings_input_type_3 = []
                _componentsschemas_embeddings_input_type_3 = data
                for (
                    componentsschemas_embeddings_input_type_3_item_data
                ) in _componentsschemas_embeddings_input_type_3:
                    componentsschemas_embeddings_input_type_3_item = cast(
                        list[int], componentsschemas_embeddings_input_type_3_item_data
                    )

                    componentsschemas_embeddings_input_type_3.append(
                        componentsschemas_embeddings_input_type_3_item
                    )

                return componentsschemas_embeddings_input_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | list[list[int]] | list[str] | str, data)

        input_ = _parse_input_(d.pop("input"))

        _encoding_format = d.pop("encoding_format", UNSET)
        encoding_format: EmbeddingsRequestEncodingFormat | Unset
        if isinstance(_encoding_format, Unset):
            encoding_format = UNSET
        else:
            encoding_format = EmbeddingsRequestEncodingFormat(_encoding_format)

        dimensions = d.pop("dimensions", UNSET)

        user = d.pop("user", UNSET)

        embeddings_request = cls(
            model=model,
            input_=input_,
            encoding_format=encoding_format,
            dimensions=dimensions,
            user=user,
        )

        return embeddings_request
