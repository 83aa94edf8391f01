from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.image_quality import ImageQuality
from ..models.image_response_format import ImageResponseFormat
from ..models.image_size import ImageSize
from ..models.image_style import ImageStyle
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageGenerationRequest")


@_attrs_define
class ImageGenerationRequest:
    """Image generation parameters (seed 002 `ImageGenerationParams`).

    Attributes:
        prompt (str): What to draw.
        model (str | Unset): The image model (the deployment's default when absent).
        n (int | Unset): Number of images. Default: 1.
        quality (ImageQuality | Unset): Quality asked for.
        response_format (ImageResponseFormat | Unset): A URL the deployment serves (`url`, the default), or the PNG
            bytes in base64 (`b64_json`).
        size (ImageSize | Unset): Size asked for (a synthetic engine may return smaller images).
        style (ImageStyle | Unset): Style asked for.
        user (str | Unset): An end-user id.
    """

    prompt: str
    model: str | Unset = UNSET
    n: int | Unset = 1
    quality: ImageQuality | Unset = UNSET
    response_format: ImageResponseFormat | Unset = UNSET
    size: ImageSize | Unset = UNSET
    style: ImageStyle | Unset = UNSET
    user: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        n = self.n

        quality: str | Unset = UNSET
        if not isinstance(self.quality, Unset):
            quality = self.quality.value

        response_format: str | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format.value

        size: str | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size.value

        style: str | Unset = UNSET
        if not isinstance(self.style, Unset):
            style = self.style.value

        user = self.user

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if n is not UNSET:
            field_dict["n"] = n
        if quality is not UNSET:
            field_dict["quality"] = quality
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if size is not UNSET:
            field_dict["size"] = size
        if style is not UNSET:
            field_dict["style"] = style
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        n = d.pop("n", UNSET)

        _quality = d.pop("quality", UNSET)
        quality: ImageQuality | Unset
        if isinstance(_quality, Unset):
            quality = UNSET
        else:
            quality = ImageQuality(_quality)

        _response_format = d.pop("response_format", UNSET)
        response_format: ImageResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = ImageResponseFormat(_response_format)

        _size = d.pop("size", UNSET)
        size: ImageSize | Unset
        if isinstance(_size, Unset):
            size = UNSET
        else:
            size = ImageSize(_size)

        _style = d.pop("style", UNSET)
        style: ImageStyle | Unset
        if isinstance(_style, Unset):
            style = UNSET
        else:
            style = ImageStyle(_style)

        user = d.pop("user", UNSET)

        image_generation_request = cls(
            prompt=prompt,
            model=model,
            n=n,
            quality=quality,
            response_format=response_format,
            size=size,
            style=style,
            user=user,
        )

        return image_generation_request
