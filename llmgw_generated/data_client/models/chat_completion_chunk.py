from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.service_tier import ServiceTier
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.chat_chunk_choice import ChatChunkChoice
    from ..models.chat_completion_chunk_moderation_type_0 import ChatCompletionChunkModerationType0
    from ..models.chat_usage import ChatUsage


T = TypeVar("T", bound="ChatCompletionChunk")


@_attrs_define
class ChatCompletionChunk:
    """One chunk of a streamed chat completion.

    Attributes:
        id (str): Same on every chunk of a stream.
        object_ (Literal['chat.completion.chunk']): Always `chat.completion.chunk`.
        created (int): Unix seconds; same on every chunk.
        model (str): Model id.
        choices (list[ChatChunkChoice]): Choice fragments; empty on the usage chunk.
        system_fingerprint (None | str | Unset): Backend configuration fingerprint.
        service_tier (None | ServiceTier | Unset): The tier that served the request.
        obfuscation (str | Unset): Random padding against length side channels (`stream_options.include_obfuscation`);
            carries no content.
        moderation (ChatCompletionChunkModerationType0 | None | Unset): Moderation results (their shape is the
            moderator's).
        usage (ChatUsage | None | Unset): Whole-request usage, on the usage chunk only.
    """

    id: str
    object_: Literal["chat.completion.chunk"]
    created: int
    model: str
    choices: list[ChatChunkChoice]
    system_fingerprint: None | str | Unset = UNSET
    service_tier: None | ServiceTier | Unset = UNSET
    obfuscation: str | Unset = UNSET
    moderation: ChatCompletionChunkModerationType0 | None | Unset = UNSET
    usage: ChatUsage | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.chat_completion_chunk_moderation_type_0 import ChatCompletionChunkModerationType0  # noqa: PLC0415
        from ..models.chat_usage import ChatUsage  # noqa: PLC0415

        id = self.id

        object_ = self.object_

        created = self.created

        model = self.model

        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)

        system_fingerprint: None | str | Unset
        if isinstance(self.system_fingerprint, Unset):
            system_fingerprint = UNSET
        else:
            system_fingerprint = self.system_fingerprint

        service_tier: None | str | Unset
        if isinstance(self.service_tier, Unset):
            service_tier = UNSET
        elif isinstance(self.service_tier, ServiceTier):
            service_tier = self.service_tier.value
        else:
            service_tier = self.service_tier

        obfuscation = self.obfuscation

        moderation: dict[str, Any] | None | Unset
        if isinstance(self.moderation, Unset):
            moderation = UNSET
        elif isinstance(self.moderation, ChatCompletionChunkModerationType0):
            moderation = self.moderation.to_dict()
        else:
            moderation = self.moderation

        usage: dict[str, Any] | None | Unset
        if isinstance(self.usage, Unset):
            usage = UNSET
        elif isinstance(self.usage, ChatUsage):
            usage = self.usage.to_dict()
        else:
            usage = self.usage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "object": object_,
                "created": created,
                "model": model,
                "choices": choices,
            }
        )
        if system_fingerprint is not UNSET:
            field_dict["system_fingerprint"] = system_fingerprint
        if service_tier is not UNSET:
            field_dict["service_tier"] = service_tier
        if obfuscation is not UNSET:
            field_dict["obfuscation"] = obfuscation
        if moderation is not UNSET:
            field_dict["moderation"] = moderation
        if usage is not UNSET:
            field_dict["usage"] = usage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_chunk_choice import ChatChunkChoice  # noqa: PLC0415
        from ..models.chat_completion_chunk_moderation_type_0 import ChatCompletionChunkModerationType0  # noqa: PLC0415
        from ..models.chat_usage import ChatUsage  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = cast(Literal["chat.completion.chunk"], d.pop("object"))
        if object_ != "chat.completion.chunk":
            raise ValueError(f"object must match const 'chat.completion.chunk', got '{object_}'")

        created = d.pop("created")

        model = d.pop("model")

        choices = []
        _choices = d.pop("choices")
        for choices_item_data in _choices:
            choices_item = ChatChunkChoice.from_dict(choices_item_data)

            choices.append(choices_item)

        def _parse_system_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        system_fingerprint = _parse_system_fingerprint(d.pop("system_fingerprint", UNSET))

        def _parse_service_tier(data: object) -> None | ServiceTier | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                service_tier_type_0 = ServiceTier(data)

                return service_tier_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ServiceTier | Unset, data)

        service_tier = _parse_service_tier(d.pop("service_tier", UNSET))

        obfuscation = d.pop("obfuscation", UNSET)

        def _parse_moderation(data: object) -> ChatCompletionChunkModerationType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                moderation_type_0 = ChatCompletionChunkModerationType0.from_dict(data)

                return moderation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatCompletionChunkModerationType0 | None | Unset, data)

        moderation = _parse_moderation(d.pop("moderation", UNSET))

        def _parse_usage(data: object) -> ChatUsage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                usage_type_0 = ChatUsage.from_dict(data)

                return usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChatUsage | None | Unset, data)

        usage = _parse_usage(d.pop("usage", UNSET))

        chat_completion_chunk = cls(
            id=id,
            object_=object_,
            created=created,
            model=model,
            choices=choices,
            system_fingerprint=system_fingerprint,
            service_tier=service_tier,
            obfuscation=obfuscation,
            moderation=moderation,
            usage=usage,
        )

        chat_completion_chunk.additional_properties = d
        return chat_completion_chunk

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
