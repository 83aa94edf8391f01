from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_file_part_file import ChatFilePartFile
    from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint


T = TypeVar("T", bound="ChatFilePart")


@_attrs_define
class ChatFilePart:
    """A file content part (user messages); refused with 400 by a model that cannot read files.

    Attributes:
        type_ (Literal['file']): Always `file`.
        file (ChatFilePartFile): The file, inline or by id.
        prompt_cache_breakpoint (PromptCacheBreakpoint | Unset): An explicit prompt-cache breakpoint after this part (a
            hint; a gateway may ignore it).
    """

    type_: Literal["file"]
    file: ChatFilePartFile
    prompt_cache_breakpoint: PromptCacheBreakpoint | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        file = self.file.to_dict()

        prompt_cache_breakpoint: dict[str, Any] | Unset = UNSET
        if not isinstance(self.prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = self.prompt_cache_breakpoint.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "file": file,
            }
        )
        if prompt_cache_breakpoint is not UNSET:
            field_dict["prompt_cache_breakpoint"] = prompt_cache_breakpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_file_part_file import ChatFilePartFile  # noqa: PLC0415
        from ..models.prompt_cache_breakpoint import PromptCacheBreakpoint  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["file"], d.pop("type"))
        if type_ != "file":
            raise ValueError(f"type must match const 'file', got '{type_}'")

        file = ChatFilePartFile.from_dict(d.pop("file"))

        _prompt_cache_breakpoint = d.pop("prompt_cache_breakpoint", UNSET)
        prompt_cache_breakpoint: PromptCacheBreakpoint | Unset
        if isinstance(_prompt_cache_breakpoint, Unset):
            prompt_cache_breakpoint = UNSET
        else:
            prompt_cache_breakpoint = PromptCacheBreakpoint.from_dict(_prompt_cache_breakpoint)

        chat_file_part = cls(
            type_=type_,
            file=file,
            prompt_cache_breakpoint=prompt_cache_breakpoint,
        )

        return chat_file_part
